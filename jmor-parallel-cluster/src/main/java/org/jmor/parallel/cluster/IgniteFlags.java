package org.jmor.parallel.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JVM flags that Apache Ignite 2.17 needs on Java 17 in every JVM of a cluster, the driver
 * included (Ignite's "Running Ignite with Java 11 or later"). Without them a node dies at start
 * with {@code InaccessibleObjectException}; {@link #check()} fails earlier, with a message that
 * lists them.
 */
public final class IgniteFlags {
  private IgniteFlags() {}

  /** The packages to open, as {@code module/package}. */
  private static final List<String> OPENS =
      List.of(
          "java.base/jdk.internal.access",
          "java.base/jdk.internal.misc",
          "java.base/sun.nio.ch",
          "java.base/sun.util.calendar",
          "java.management/com.sun.jmx.mbeanserver",
          "jdk.internal.jvmstat/sun.jvmstat.monitor",
          "java.base/sun.reflect.generics.reflectiveObjects",
          "jdk.management/com.sun.management.internal",
          "java.base/java.io",
          "java.base/java.nio",
          "java.base/java.net",
          "java.base/java.util",
          "java.base/java.util.concurrent",
          "java.base/java.util.concurrent.locks",
          "java.base/java.util.concurrent.atomic",
          "java.base/java.lang",
          "java.base/java.lang.invoke",
          "java.base/java.math",
          "java.sql/java.sql",
          "java.base/java.lang.reflect",
          "java.base/java.time",
          "java.base/java.text",
          "java.management/sun.management",
          "java.desktop/java.awt.font");

  /** The flags, one {@code --add-opens=module/package=ALL-UNNAMED} each. */
  public static final List<String> FLAGS =
      OPENS.stream().map(p -> "--add-opens=" + p + "=ALL-UNNAMED").toList();

  /**
   * Returns the flags that this JVM lacks: the packages that are not open to the class path.
   *
   * @return the missing flags, empty when every one is given
   */
  public static List<String> missing() {
    Module unnamed = IgniteFlags.class.getClassLoader().getUnnamedModule();
    List<String> missing = new ArrayList<>();
    for (String p : OPENS) {
      int slash = p.indexOf('/');
      Optional<Module> m = ModuleLayer.boot().findModule(p.substring(0, slash));
      if (m.isPresent() && !m.get().isOpen(p.substring(slash + 1), unnamed)) {
        missing.add("--add-opens=" + p + "=ALL-UNNAMED");
      }
    }
    return missing;
  }

  /**
   * Fails fast when this JVM lacks flags that Ignite needs.
   *
   * @throws IllegalStateException naming the missing flags and the whole list to add
   */
  public static void check() {
    List<String> missing = missing();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "the cluster pool needs Apache Ignite, which on Java 17 needs "
              + missing.size()
              + " JVM flags that this JVM lacks (the first: "
              + missing.get(0)
              + "). Start the JVM with all of these (for example in JDK_JAVA_OPTIONS, Maven"
              + " Surefire's argLine or Gradle's jvmArgs):\n"
              + String.join(" ", FLAGS));
    }
  }
}
