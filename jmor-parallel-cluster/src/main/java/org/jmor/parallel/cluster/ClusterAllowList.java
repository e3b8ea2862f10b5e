package org.jmor.parallel.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a worker JVM deserializes: an allow-list, enforced twice.
 *
 * <ul>
 *   <li>Ignite's marshaller allow-list ({@value #IGNITE_PROPERTY}, a class-list file): Ignite's own
 *       classes and its JDK list, plus {@link #LIBRARY} and the user's entries. Ignite also
 *       installs it as the JVM-wide {@code ObjectInputFilter} of the worker JVM.
 *   <li>The core's frame filter ({@code jmor.serial.filter}, a JDK filter pattern): the same
 *       entries plus a few JDK packages, then {@code !*}.
 * </ul>
 *
 * <p>User entries ({@code jmor.cluster.allow}, {@code ./jmor worker --allow}): a package with its
 * sub-packages as {@code com.example.*}, or one class by its full name, separated by commas.
 */
final class ClusterAllowList {
  private ClusterAllowList() {}

  /** Ignite 2.17's system property naming the marshaller's class-list file. */
  static final String IGNITE_PROPERTY = "IGNITE_MARSHALLER_WHITELIST";

  /** The core's frame filter property ({@code FrameCodec.FILTER_PROPERTY}). */
  static final String FRAME_PROPERTY = "jmor.serial.filter";

  /**
   * What the library's frames hold besides Ignite's JDK list: the library, its linear algebra (EJML
   * matrices inside models and vector arrays), serialized lambdas, and the JDK 9+ immutable
   * collections (Ignite's JDK list predates them).
   */
  static final List<String> LIBRARY =
      List.of(
          "org.jmor.*",
          "org.ejml.*",
          "java.lang.invoke.SerializedLambda",
          "java.util.CollSer",
          "java.util.ImmutableCollections$ListN",
          "java.util.ImmutableCollections$List12",
          "java.util.ImmutableCollections$SetN",
          "java.util.ImmutableCollections$Set12",
          "java.util.ImmutableCollections$MapN",
          "java.util.ImmutableCollections$Map1",
          "java.util.ImmutableCollections$SubList",
          "java.util.concurrent.CompletionException",
          "java.util.concurrent.ExecutionException",
          "java.util.concurrent.CancellationException",
          "java.util.concurrent.TimeoutException",
          "java.io.UncheckedIOException",
          "java.lang.Record");

  /** The JDK packages that the frame filter lets through (Ignite's list narrows them further). */
  private static final String JDK_PACKAGES =
      "java.lang.*;java.lang.invoke.SerializedLambda;java.util.*;java.util.concurrent.*;"
          + "java.math.*;java.time.*;java.io.*";

  private static final Pattern ENTRY =
      Pattern.compile("([A-Za-z_$][A-Za-z0-9_$]*\\.)*([A-Za-z_$][A-Za-z0-9_$]*|\\*)");

  /**
   * Parses user entries.
   *
   * @param csv entries separated by commas (blank: none)
   * @param source where they come from, for messages
   * @return the entries
   * @throws IllegalArgumentException naming a malformed entry
   */
  static List<String> parse(@Nullable String csv, String source) {
    List<String> out = new ArrayList<>();
    if (csv == null || csv.isBlank()) {
      return out;
    }
    for (String raw : csv.split(",")) {
      String e = raw.strip();
      if (e.isEmpty()) {
        continue;
      }
      if (e.endsWith(".**")) {
        e = e.substring(0, e.length() - 1);
      }
      if (!ENTRY.matcher(e).matches() || e.equals("*")) {
        throw new IllegalArgumentException(
            source
                + ": '"
                + e
                + "' is not a package (com.example.*) or a class name (com.example.Task)");
      }
      out.add(e);
    }
    return out;
  }

  /**
   * Writes Ignite's class-list file: {@link #LIBRARY} and the user's entries, one a line.
   *
   * @param file the file to write
   * @param user the user's entries
   * @throws IOException if it cannot be written
   */
  static void writeIgniteList(Path file, List<String> user) throws IOException {
    Set<String> lines = new LinkedHashSet<>();
    lines.add("# jmor cluster worker: allowed classes besides Ignite's own lists");
    lines.addAll(LIBRARY);
    lines.addAll(user);
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  /**
   * The JDK filter pattern of the worker's frames: the pattern already configured (consulted
   * first), then the library, the JDK packages and the user's entries, then {@code !*}.
   *
   * @param configured the worker's {@code jmor.serial.filter}, or null
   * @param user the user's entries
   * @return the pattern
   */
  static String framePattern(@Nullable String configured, List<String> user) {
    StringBuilder sb = new StringBuilder();
    if (configured != null && !configured.isBlank()) {
      sb.append(configured.strip()).append(';');
    }
    sb.append("org.jmor.**;org.ejml.**;").append(JDK_PACKAGES);
    for (String e : user) {
      sb.append(';').append(e.endsWith(".*") ? e + "*" : e);
    }
    return sb.append(";!*").toString();
  }
}
