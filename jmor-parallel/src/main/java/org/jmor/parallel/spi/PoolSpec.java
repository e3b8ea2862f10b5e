package org.jmor.parallel.spi;

import java.util.Map;
import java.util.Objects;

/**
 * What a {@link PoolProvider} is asked to start.
 *
 * @param workers the requested number of workers; 0 means the backend's natural number
 * @param seed the pool seed from which every {@link WorkerRuntime} derives its random generator
 * @param properties further backend options (configuration keys and their values)
 */
public record PoolSpec(int workers, long seed, Map<String, String> properties) {
  /** Checks and copies the arguments. */
  public PoolSpec {
    if (workers < 0) {
      throw new IllegalArgumentException("workers must be >= 0, got " + workers);
    }
    properties = Map.copyOf(Objects.requireNonNull(properties, "properties"));
  }
}
