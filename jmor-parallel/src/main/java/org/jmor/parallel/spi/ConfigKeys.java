package org.jmor.parallel.spi;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The configuration keys ({@code jmor.…}) and environment variables ({@code JMOR_…}) that a module
 * reads outside the worker pools (a cache, a command line), so that the pool factory does not warn
 * about them as unknown. Register an implementation in {@code
 * META-INF/services/org.jmor.parallel.spi.ConfigKeys} (found with {@link java.util.ServiceLoader}
 * through the thread's context class loader); it needs a public no-argument constructor. A backend
 * declares its keys with {@link PoolProvider#keys()} instead.
 *
 * <p>Declare the keys where they are declared in code, with {@link #declaredIn}: a key added as a
 * constant is then known without a list to keep in step.
 */
public interface ConfigKeys {

  /**
   * Returns the keys ({@code jmor.…}) and environment variables ({@code JMOR_…}) the module reads.
   *
   * @return the names; not null
   */
  Set<String> keys();

  /**
   * The keys and environment variables declared as constants in {@code classes}: the values of
   * every {@code static final String} field (of any visibility) that is a key ({@code jmor.}
   * followed by letters, digits, {@code .}, {@code -} or {@code _}, not ending with a dot) or an
   * environment variable ({@code JMOR_} followed by upper-case letters, digits and {@code _}).
   *
   * <p>On the module path the package of each class must be open to {@code org.jmor.parallel} (the
   * backends' module descriptors say {@code opens ... to org.jmor.parallel}).
   *
   * @param classes the classes that declare the keys as constants
   * @return the names, sorted; a new set
   * @throws IllegalStateException if a field cannot be read
   */
  static Set<String> declaredIn(Class<?>... classes) {
    Pattern key = Pattern.compile("jmor\\.[A-Za-z0-9._-]*[A-Za-z0-9_-]|JMOR_[A-Z0-9_]*[A-Z0-9]");
    Set<String> keys = new TreeSet<>();
    for (Class<?> c : classes) {
      for (Field f : c.getDeclaredFields()) {
        int m = f.getModifiers();
        if (!Modifier.isStatic(m) || !Modifier.isFinal(m) || f.getType() != String.class) {
          continue;
        }
        Object v;
        try {
          f.setAccessible(true);
          v = f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
          throw new IllegalStateException("cannot read the constant " + f, e);
        }
        if (v instanceof String s && key.matcher(s).matches()) {
          keys.add(s);
        }
      }
    }
    return keys;
  }
}
