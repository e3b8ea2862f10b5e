package org.jmor.parallel;

import java.time.Duration;
import java.util.Objects;
import org.jmor.parallel.events.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link WorkerPool} with explicit options; get one from {@link WorkerPools#builder()}.
 * Every setter checks its argument at once.
 *
 * <pre>{@code
 * try (WorkerPool pool = WorkerPools.builder().backend("threads").workers(4).seed(7)
 *     .splitRule(SplitRule.CEILING).strict(true).build()) { ... }
 * }</pre>
 *
 * <p>A mutable front-end of {@link ParallelPoolOptions}: {@link #build()} goes through the same
 * resolution and opening path as {@link WorkerPools#newParallelPool(ParallelPoolOptions)}, with the
 * builder's values as explicit options, which outrank every other source. The builder sets the
 * backend ({@code threads}), the worker count (0), the seed (42), the split rule ({@code balanced})
 * and strict mode (off) explicitly, so the configuration does not change them; keys the builder
 * does not set (the timeouts, a backend's {@code jmor.<name>.*} keys) come from the configuration.
 */
public final class PoolBuilder {
  private ParallelPoolOptions options;
  private @Nullable Settings settings;

  PoolBuilder() {
    this(ParallelPoolOptions.defaults());
  }

  /** A builder whose configuration sources are those of {@code base} (for tests). */
  PoolBuilder(ParallelPoolOptions base) {
    options =
        base.withPool(WorkerPools.THREADS)
            .withWorkers(0)
            .withSeed(PoolConfig.DEFAULT_SEED)
            .withSplitRule(SplitRule.BALANCED)
            .withStrict(false);
  }

  /**
   * Sets the backend: {@code sequential}, {@code threads} (the default), {@code threads:N}, {@code
   * auto}, or the name of a backend found on the class path (see {@link PoolName}).
   *
   * @param backend the name
   * @return this builder
   * @throws IllegalArgumentException if the name is blank or malformed
   */
  public PoolBuilder backend(String backend) {
    Objects.requireNonNull(backend, "backend");
    if (backend.isBlank()) {
      throw new IllegalArgumentException(
          "backend must not be blank; expected one of: "
              + WorkerPools.available(WorkerPools.providers()));
    }
    PoolName name;
    try {
      name = PoolName.parse(backend);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("pool '" + backend.trim() + "': " + e.getMessage(), e);
    }
    options = options.withPool(name.toString());
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
    options = options.withWorkers(workers);
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
    options = options.withSeed(seed);
    return this;
  }

  /**
   * Sets how sequences are split among the workers; default {@link SplitRule#BALANCED}.
   *
   * @param splitRule the rule
   * @return this builder
   */
  public PoolBuilder splitRule(SplitRule splitRule) {
    options = options.withSplitRule(Objects.requireNonNull(splitRule, "splitRule"));
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
    options = options.withStrict(strict);
    return this;
  }

  /**
   * Sets the deadline of each pool call ({@link PoolConfig#TIMEOUT}); default none, or the
   * configured one.
   *
   * @param timeout the deadline; {@link Duration#ZERO} for none
   * @return this builder
   * @throws IllegalArgumentException if negative
   */
  public PoolBuilder timeout(Duration timeout) {
    options = options.withTimeout(Objects.requireNonNull(timeout, "timeout"));
    return this;
  }

  /**
   * Sets how long closing the pool waits for its workers ({@link PoolConfig#CLOSE_TIMEOUT});
   * default 5 s, or the configured bound.
   *
   * @param closeTimeout the bound; {@link Duration#ZERO} for none
   * @return this builder
   * @throws IllegalArgumentException if negative
   */
  public PoolBuilder closeTimeout(Duration closeTimeout) {
    options = options.withCloseTimeout(Objects.requireNonNull(closeTimeout, "closeTimeout"));
    return this;
  }

  /**
   * Sets what the pool does when it loses a worker ({@link PoolConfig#ON_WORKER_LOSS}); default
   * {@link OnWorkerLoss#FAIL}, or the configured policy. {@link OnWorkerLoss#SHRINK} needs a
   * backend that supports it: {@link #build()} refuses it otherwise.
   *
   * @param policy the policy
   * @return this builder
   */
  public PoolBuilder onWorkerLoss(OnWorkerLoss policy) {
    options =
        options.with(
            PoolConfig.ON_WORKER_LOSS,
            Objects.requireNonNull(policy, "policy").name().toLowerCase(java.util.Locale.ROOT));
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
   * Sets the recorder that the pool records its calls and worker states with (see {@link
   * WorkerPool#recorder()}); default {@link Recorder#off()}.
   *
   * @param recorder the recorder
   * @return this builder
   * @throws NullPointerException if {@code recorder} is null
   */
  public PoolBuilder recorder(Recorder recorder) {
    options = options.withRecorder(Objects.requireNonNull(recorder, "recorder"));
    return this;
  }

  /**
   * Sets any configuration key explicitly, for example a backend-specific option {@code
   * jmor.<name>.<key>} for the backend's provider (see {@link ParallelPoolOptions#with}).
   *
   * @param key the key
   * @param value the value
   * @return this builder
   */
  public PoolBuilder property(String key, String value) {
    options =
        options.with(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * Returns the options this builder holds: its explicit values and configuration sources. {@code
   * WorkerPools.newParallelPool(builder.options())} opens the same kind of pool as {@link #build()}
   * (but caches it).
   *
   * @return the current options (immutable)
   */
  public ParallelPoolOptions options() {
    return options;
  }

  /**
   * Starts the pool.
   *
   * @return the pool, owned by the caller
   * @throws IllegalArgumentException if the backend is unknown or not on the class path (the
   *     message names the module to add), or a configured value is malformed, or the backend does
   *     not support {@link OnWorkerLoss#SHRINK} when it is asked for
   * @throws IllegalStateException if the backend fails to start
   */
  public WorkerPool build() {
    return WorkerPools.open(options, settings == null ? Settings.create() : settings);
  }
}
