package org.jmor.parallel;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link WorkerPool} with explicit options; get one from {@link WorkerPools#builder()}.
 * Every setter checks its argument at once.
 *
 * <pre>{@code
 * try (WorkerPool pool = WorkerPools.builder().backend("threads").workers(4).seed(7)
 *     .splitRule(SplitRule.CEILING).strict(true).build()) { ... }
 * }</pre>
 */
public final class PoolBuilder {
  private String backend = "threads";
  private int workers;
  private long seed = PoolConfig.DEFAULT_SEED;
  private SplitRule splitRule = SplitRule.BALANCED;
  private boolean strict;
  private Settings settings;
  private final Map<String, String> properties = new HashMap<>();

  PoolBuilder() {}

  /**
   * Sets the backend: {@code sequential}, {@code threads} (the default) or the name of a backend
   * found on the class path ({@code cluster}, {@code mpi}).
   *
   * @param backend the name
   * @return this builder
   * @throws IllegalArgumentException if the name is blank
   */
  public PoolBuilder backend(String backend) {
    Objects.requireNonNull(backend, "backend");
    if (backend.isBlank()) {
      throw new IllegalArgumentException(
          "backend must not be blank; expected one of: " + WorkerPools.BACKENDS);
    }
    this.backend = backend.trim().toLowerCase(Locale.ROOT);
    return this;
  }

  /**
   * Sets the number of workers; 0 (the default) means the backend's natural number (available
   * processors for threads, 1 for sequential).
   *
   * @param workers at least 0
   * @return this builder
   * @throws IllegalArgumentException if negative
   */
  public PoolBuilder workers(int workers) {
    if (workers < 0) {
      throw new IllegalArgumentException("workers must be >= 0, got " + workers);
    }
    this.workers = workers;
    return this;
  }

  /**
   * Sets the pool seed from which worker {@code i}'s random generator derives (child {@code i} of
   * {@code SeedSequence(seed)}); default 42.
   *
   * @param seed at least 0
   * @return this builder
   * @throws IllegalArgumentException if negative
   */
  public PoolBuilder seed(long seed) {
    if (seed < 0) {
      throw new IllegalArgumentException("seed must be >= 0, got " + seed);
    }
    this.seed = seed;
    return this;
  }

  /**
   * Sets how sequences are split among the workers; default {@link SplitRule#BALANCED}.
   *
   * @param splitRule the rule
   * @return this builder
   */
  public PoolBuilder splitRule(SplitRule splitRule) {
    this.splitRule = Objects.requireNonNull(splitRule, "splitRule");
    return this;
  }

  /**
   * Makes an in-process pool serialize every task, argument and result, as a remote backend would,
   * so that code that cannot run on a cluster fails here. Remote backends always serialize.
   *
   * @param strict the flag
   * @return this builder
   */
  public PoolBuilder strict(boolean strict) {
    this.strict = strict;
    return this;
  }

  /**
   * Sets the settings registry that the pool mirrors on its workers; default a new one.
   *
   * @param settings the registry, possibly shared with other pools
   * @return this builder
   */
  public PoolBuilder settings(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    return this;
  }

  /**
   * Passes a backend-specific option to the backend's provider.
   *
   * @param key the key
   * @param value the value
   * @return this builder
   */
  public PoolBuilder property(String key, String value) {
    properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * Starts the pool.
   *
   * @return the pool, owned by the caller
   * @throws IllegalArgumentException if the backend is unknown or not on the class path (the
   *     message names the module to add)
   * @throws IllegalStateException if the backend fails to start
   */
  public WorkerPool build() {
    return WorkerPools.open(
        backend,
        workers,
        seed,
        splitRule,
        strict,
        settings == null ? Settings.create() : settings,
        properties);
  }
}
