package org.jmor.parallel.spi;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A read-only view of the resolved pool configuration, given to {@link PoolProvider#detects} and in
 * {@link PoolSpec#config()}.
 *
 * <p>A key is resolved, in this order of precedence, from: the explicit options ({@code
 * ParallelPoolOptions}, {@code PoolBuilder}); the Java system property of that name; the
 * environment variable {@code PoolConfig.envName(key)} (for example {@code JMOR_CLUSTER_WORKERS});
 * the properties file ({@code jmor.config}, default {@code ./jmor.properties}). A blank value
 * counts as unset at every level; values are trimmed.
 */
public interface ConfigView {

  /**
   * Returns the resolved value of a key.
   *
   * @param key a configuration key, for example {@code jmor.cluster.workers}
   * @return the trimmed value from the source of highest precedence, or null when no source sets it
   */
  @Nullable String get(String key);

  /**
   * Describes where the value of a key comes from, for messages.
   *
   * @param key a configuration key
   * @return for example {@code "option"}, {@code "system property -Djmor.pool"}, {@code
   *     "environment JMOR_POOL"}, {@code "jmor.properties line 3"}, or {@code "default"} when the
   *     key is unset
   */
  String source(String key);

  /**
   * Returns a raw environment variable, for example {@code OMPI_COMM_WORLD_SIZE}, from the
   * environment the options replace the process environment with, if they do.
   *
   * @param variable the variable's name
   * @return its value, or null
   */
  @Nullable String env(String variable);

  /**
   * Returns every key that starts with {@code prefix}, from every source, with its resolved value.
   * Environment variables {@code JMOR_<NAME>_...} map back to lower-case dotted keys ({@code
   * JMOR_CLUSTER_PROFILE} gives {@code jmor.cluster.profile}) unless another source spells the same
   * key.
   *
   * @param prefix for example {@code "jmor.cluster."}
   * @return an unmodifiable map sorted by key
   */
  Map<String, String> withPrefix(String prefix);

  /**
   * Returns a view of fixed values only, as if each were an explicit option: no system properties,
   * no environment, no file. For providers' unit tests and {@link PoolSpec}'s short constructor.
   *
   * @param values the keys and values; blank values count as unset
   * @return the view
   */
  static ConfigView of(Map<String, String> values) {
    Map<String, String> copy = new TreeMap<>();
    Objects.requireNonNull(values, "values")
        .forEach(
            (k, v) -> {
              if (v != null && !v.isBlank()) {
                copy.put(k, v.trim());
              }
            });
    Map<String, String> map = Collections.unmodifiableMap(copy);
    return new ConfigView() {
      @Override
      public @Nullable String get(String key) {
        return map.get(key);
      }

      @Override
      public String source(String key) {
        return map.containsKey(key) ? "option" : "default";
      }

      @Override
      public @Nullable String env(String variable) {
        return null;
      }

      @Override
      public Map<String, String> withPrefix(String prefix) {
        Map<String, String> m = new TreeMap<>();
        map.forEach(
            (k, v) -> {
              if (k.startsWith(prefix)) {
                m.put(k, v);
              }
            });
        return Collections.unmodifiableMap(m);
      }

      @Override
      public String toString() {
        return "ConfigView" + map;
      }
    };
  }
}
