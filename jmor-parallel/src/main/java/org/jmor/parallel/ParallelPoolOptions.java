package org.jmor.parallel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.jmor.parallel.events.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * Explicit options for {@link WorkerPools#newParallelPool(ParallelPoolOptions)}: configuration keys
 * (see {@link PoolConfig}) with string values, which outrank every other source, plus replacements
 * of the configuration sources themselves. Every key left unset falls back to the configuration.
 * Immutable: each {@code with*} method returns a new instance. The typed {@code withX} methods are
 * shorthands of {@link #with(String, String)}.
 */
public final class ParallelPoolOptions {
  private final Map<String, String> values;
  final @Nullable Map<String, String> environment;
  final @Nullable Properties systemProperties;
  final @Nullable Path configFile;
  final Recorder recorder;

  private ParallelPoolOptions(
      Map<String, String> values,
      @Nullable Map<String, String> environment,
      @Nullable Properties systemProperties,
      @Nullable Path configFile,
      Recorder recorder) {
    this.values = values;
    this.environment = environment;
    this.systemProperties = systemProperties;
    this.configFile = configFile;
    this.recorder = recorder;
  }

  /** Returns options with nothing set: everything comes from the configuration. */
  public static ParallelPoolOptions defaults() {
    return new ParallelPoolOptions(Map.of(), null, null, null, Recorder.off());
  }

  /**
   * Sets a configuration key explicitly; it then outranks system properties, environment and file.
   * Values are checked when the pool is opened (the message names the key and "option"); a blank
   * value counts as unset, as in every other source.
   *
   * @param key a key, for example {@link PoolConfig#POOL} or a backend's {@code jmor.mpi.allow}
   * @param value the value, or null to unset the key (it then comes from the configuration)
   * @return new options
   * @throws IllegalArgumentException if the key is blank
   */
  public ParallelPoolOptions with(String key, @Nullable String value) {
    Objects.requireNonNull(key, "key");
    if (key.isBlank()) {
      throw new IllegalArgumentException("the key must not be blank");
    }
    Map<String, String> m = new TreeMap<>(values);
    if (value == null) {
      m.remove(key);
    } else {
      m.put(key, value);
    }
    return new ParallelPoolOptions(
        Collections.unmodifiableMap(m), environment, systemProperties, configFile, recorder);
  }

  /**
   * Returns the explicit value of a key.
   *
   * @param key the key
   * @return the value given to {@link #with(String, String)} or a typed {@code withX}, or null
   */
  public @Nullable String get(String key) {
    return values.get(key);
  }

  /** Returns every explicit key and value, sorted by key (unmodifiable). */
  public Map<String, String> values() {
    return values;
  }

  /**
   * Sets the backend ({@link PoolConfig#POOL}).
   *
   * @param pool {@code auto}, {@code sequential}, {@code threads}, {@code threads:N}, a provider's
   *     name (with {@code :N}), or null for the configured value
   * @return new options
   */
  public ParallelPoolOptions withPool(@Nullable String pool) {
    return with(PoolConfig.POOL, pool);
  }

  /**
   * Sets the number of workers ({@link PoolConfig#WORKERS}).
   *
   * @param workers at least 0 (0: the backend's natural number), or null
   * @return new options
   * @throws IllegalArgumentException if negative
   */
  public ParallelPoolOptions withWorkers(@Nullable Integer workers) {
    return with(PoolConfig.WORKERS, atLeastZero("workers", workers));
  }

  /**
   * Sets the number of cluster workers ({@link PoolConfig#CLUSTER_WORKERS}, read by the cluster
   * backend); a positive number asks for a cluster pool, 0 means no cluster (and does not fall back
   * to the configuration).
   *
   * @param clusterWorkers at least 0, or null for the configured value
   * @return new options
   * @throws IllegalArgumentException if negative
   */
  public ParallelPoolOptions withClusterWorkers(@Nullable Integer clusterWorkers) {
    return with(PoolConfig.CLUSTER_WORKERS, atLeastZero("clusterWorkers", clusterWorkers));
  }

  /**
   * Sets the cluster profile ({@link PoolConfig#CLUSTER_PROFILE}, read by the cluster backend);
   * non-empty asks for a cluster.
   *
   * @param clusterProfile the profile, or null for the configured value
   * @return new options
   */
  public ParallelPoolOptions withClusterProfile(@Nullable String clusterProfile) {
    return with(PoolConfig.CLUSTER_PROFILE, clusterProfile);
  }

  /**
   * Sets whether an MPI run may give an MPI pool ({@link PoolConfig#ALLOW_MPI}, read by the MPI
   * backend).
   *
   * @param allowMpi the flag, or null for the configured value
   * @return new options
   */
  public ParallelPoolOptions withAllowMpi(@Nullable Boolean allowMpi) {
    return with(PoolConfig.ALLOW_MPI, allowMpi == null ? null : allowMpi.toString());
  }

  /**
   * Sets the seed of the workers' random generators ({@link PoolConfig#SEED}).
   *
   * @param seed at least 0, or null
   * @return new options
   * @throws IllegalArgumentException if negative
   */
  public ParallelPoolOptions withSeed(@Nullable Long seed) {
    return with(PoolConfig.SEED, atLeastZero("seed", seed));
  }

  /**
   * Sets the split rule ({@link PoolConfig#SPLIT}).
   *
   * @param splitRule the rule, or null
   * @return new options
   */
  public ParallelPoolOptions withSplitRule(@Nullable SplitRule splitRule) {
    return with(
        PoolConfig.SPLIT, splitRule == null ? null : splitRule.name().toLowerCase(Locale.ROOT));
  }

  /**
   * Sets strict mode ({@link PoolConfig#STRICT}).
   *
   * @param strict the flag, or null
   * @return new options
   */
  public ParallelPoolOptions withStrict(@Nullable Boolean strict) {
    return with(PoolConfig.STRICT, strict == null ? null : strict.toString());
  }

  /**
   * Sets what the pool does when it loses a worker ({@link PoolConfig#ON_WORKER_LOSS}).
   *
   * @param onWorkerLoss the policy, or null for the configured value
   * @return new options
   */
  public ParallelPoolOptions withOnWorkerLoss(@Nullable OnWorkerLoss onWorkerLoss) {
    return with(
        PoolConfig.ON_WORKER_LOSS,
        onWorkerLoss == null ? null : onWorkerLoss.name().toLowerCase(Locale.ROOT));
  }

  /**
   * Sets the deadline of each pool call ({@link PoolConfig#TIMEOUT}).
   *
   * @param timeout the deadline, {@link Duration#ZERO} for none, or null for the configured value
   * @return new options
   * @throws IllegalArgumentException if negative
   */
  public ParallelPoolOptions withTimeout(@Nullable Duration timeout) {
    return with(PoolConfig.TIMEOUT, duration("timeout", timeout));
  }

  /**
   * Sets how long closing the pool waits for its workers ({@link PoolConfig#CLOSE_TIMEOUT}).
   *
   * @param closeTimeout the bound, {@link Duration#ZERO} for none, or null for the configured value
   * @return new options
   * @throws IllegalArgumentException if negative
   */
  public ParallelPoolOptions withCloseTimeout(@Nullable Duration closeTimeout) {
    return with(PoolConfig.CLOSE_TIMEOUT, duration("closeTimeout", closeTimeout));
  }

  /**
   * Replaces the process environment as a configuration source (for tests and embedding).
   *
   * @param environment the variables
   * @return new options
   */
  public ParallelPoolOptions withEnvironment(Map<String, String> environment) {
    return new ParallelPoolOptions(
        values,
        Map.copyOf(Objects.requireNonNull(environment)),
        systemProperties,
        configFile,
        recorder);
  }

  /**
   * Replaces the system properties as a configuration source (for tests and embedding).
   *
   * @param systemProperties the properties
   * @return new options
   */
  public ParallelPoolOptions withSystemProperties(Properties systemProperties) {
    Properties props = new Properties();
    props.putAll(Objects.requireNonNull(systemProperties));
    return new ParallelPoolOptions(values, environment, props, configFile, recorder);
  }

  /**
   * Uses this properties file instead of the one named by {@link PoolConfig#CONFIG_FILE}.
   *
   * @param configFile the file; it need not exist
   * @return new options
   */
  public ParallelPoolOptions withConfigFile(@Nullable Path configFile) {
    return new ParallelPoolOptions(values, environment, systemProperties, configFile, recorder);
  }

  /**
   * Returns options whose pool records its calls and worker states with {@code recorder} (see
   * {@link WorkerPool#recorder()}); the default is {@link Recorder#off()}, which records nothing
   * and costs nothing. Not a configuration key: only code sets it.
   *
   * @param recorder the recorder
   * @return new options
   * @throws NullPointerException if {@code recorder} is null
   */
  public ParallelPoolOptions withRecorder(Recorder recorder) {
    return new ParallelPoolOptions(
        values, environment, systemProperties, configFile, Objects.requireNonNull(recorder));
  }

  /**
   * Returns the recorder set by {@link #withRecorder}, {@link Recorder#off()} by default.
   *
   * @return the recorder
   */
  public Recorder recorder() {
    return recorder;
  }

  /** Returns the explicit keys and values. */
  @Override
  public String toString() {
    return "ParallelPoolOptions" + values;
  }

  private static @Nullable String atLeastZero(String what, @Nullable Number n) {
    if (n != null && n.longValue() < 0) {
      throw new IllegalArgumentException(what + " must be >= 0, got " + n);
    }
    return n == null ? null : n.toString();
  }

  static @Nullable String duration(String what, @Nullable Duration d) {
    if (d != null && d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative, got " + d);
    }
    return d == null ? null : d.isZero() ? "none" : d.toString();
  }
}
