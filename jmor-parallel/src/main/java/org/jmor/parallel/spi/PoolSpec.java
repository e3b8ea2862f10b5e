package org.jmor.parallel.spi;

import java.util.Map;
import java.util.Objects;

/**
 * What a {@link PoolProvider} is asked to start.
 *
 * @param workers the requested number of workers; 0 means the backend's natural number (for example
 *     a count the provider reads from its own keys in {@code properties})
 * @param seed the pool seed from which every {@link WorkerRuntime} derives its random generator
 * @param properties the provider's own configuration: every key {@code jmor.<name>.*} (where {@code
 *     <name>} is {@link PoolProvider#name()}) from every source, with its resolved value, and every
 *     explicit option of the call
 * @param config the whole resolved configuration, for keys outside {@code jmor.<name>.*}
 */
public record PoolSpec(int workers, long seed, Map<String, String> properties, ConfigView config) {
  /** Checks and copies the arguments. */
  public PoolSpec {
    if (workers < 0) {
      throw new IllegalArgumentException("workers must be >= 0, got " + workers);
    }
    properties = Map.copyOf(Objects.requireNonNull(properties, "properties"));
    Objects.requireNonNull(config, "config");
  }

  /**
   * A spec whose configuration view holds only {@code properties} (see {@link ConfigView#of}).
   *
   * @param workers at least 0
   * @param seed the pool seed
   * @param properties the provider's options
   */
  public PoolSpec(int workers, long seed, Map<String, String> properties) {
    this(workers, seed, properties, ConfigView.of(properties));
  }
}
