package org.jmor.parallel;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Explicit options for {@link WorkerPools#newParallelPool(ParallelPoolOptions)}; every option left
 * unset ({@code null}) falls back to the configuration (see {@link PoolConfig}). Immutable: each
 * {@code with*} method returns a new instance.
 */
public final class ParallelPoolOptions {
  String pool;
  Integer workers;
  Integer clusterWorkers;
  String clusterProfile;
  Boolean allowMpi;
  Long seed;
  SplitRule splitRule;
  Boolean strict;
  Map<String, String> environment;
  Properties systemProperties;
  Path configFile;

  // Set only on fresh copies (see copy()), so every instance is immutable once returned.

  private ParallelPoolOptions() {}

  private ParallelPoolOptions copy() {
    ParallelPoolOptions c = new ParallelPoolOptions();
    c.pool = pool;
    c.workers = workers;
    c.clusterWorkers = clusterWorkers;
    c.clusterProfile = clusterProfile;
    c.allowMpi = allowMpi;
    c.seed = seed;
    c.splitRule = splitRule;
    c.strict = strict;
    c.environment = environment;
    c.systemProperties = systemProperties;
    c.configFile = configFile;
    return c;
  }

  /** Returns options with nothing set: everything comes from the configuration. */
  public static ParallelPoolOptions defaults() {
    return new ParallelPoolOptions();
  }

  /**
   * Sets the backend ({@link PoolConfig#POOL}).
   *
   * @param pool {@code auto}, {@code sequential}, {@code threads}, {@code threads:N}, {@code
   *     cluster}, {@code mpi}, or null for the configured value
   * @return new options
   */
  public ParallelPoolOptions withPool(String pool) {
    ParallelPoolOptions c = copy();
    c.pool = pool;
    return c;
  }

  /**
   * Sets the number of workers ({@link PoolConfig#WORKERS}).
   *
   * @param workers at least 0 (0: the backend's natural number), or null
   * @return new options
   */
  public ParallelPoolOptions withWorkers(Integer workers) {
    if (workers != null && workers < 0) {
      throw new IllegalArgumentException("workers must be >= 0, got " + workers);
    }
    ParallelPoolOptions c = copy();
    c.workers = workers;
    return c;
  }

  /**
   * Sets the number of cluster workers ({@link PoolConfig#CLUSTER_WORKERS}); a positive number asks
   * for a cluster pool, 0 means no cluster (and does not fall back to the configuration).
   *
   * @param clusterWorkers at least 0, or null for the configured value
   * @return new options
   */
  public ParallelPoolOptions withClusterWorkers(Integer clusterWorkers) {
    if (clusterWorkers != null && clusterWorkers < 0) {
      throw new IllegalArgumentException("clusterWorkers must be >= 0, got " + clusterWorkers);
    }
    ParallelPoolOptions c = copy();
    c.clusterWorkers = clusterWorkers;
    return c;
  }

  /**
   * Sets the cluster profile ({@link PoolConfig#CLUSTER_PROFILE}); non-empty asks for a cluster.
   *
   * @param clusterProfile the profile, or null for the configured value
   * @return new options
   */
  public ParallelPoolOptions withClusterProfile(String clusterProfile) {
    ParallelPoolOptions c = copy();
    c.clusterProfile = clusterProfile;
    return c;
  }

  /**
   * Sets whether an MPI run may give an MPI pool ({@link PoolConfig#ALLOW_MPI}).
   *
   * @param allowMpi the flag, or null for the configured value
   * @return new options
   */
  public ParallelPoolOptions withAllowMpi(Boolean allowMpi) {
    ParallelPoolOptions c = copy();
    c.allowMpi = allowMpi;
    return c;
  }

  /**
   * Sets the seed of the workers' random generators ({@link PoolConfig#SEED}).
   *
   * @param seed at least 0, or null
   * @return new options
   */
  public ParallelPoolOptions withSeed(Long seed) {
    if (seed != null && seed < 0) {
      throw new IllegalArgumentException("seed must be >= 0, got " + seed);
    }
    ParallelPoolOptions c = copy();
    c.seed = seed;
    return c;
  }

  /**
   * Sets the split rule ({@link PoolConfig#SPLIT}).
   *
   * @param splitRule the rule, or null
   * @return new options
   */
  public ParallelPoolOptions withSplitRule(SplitRule splitRule) {
    ParallelPoolOptions c = copy();
    c.splitRule = splitRule;
    return c;
  }

  /**
   * Sets strict mode ({@link PoolConfig#STRICT}).
   *
   * @param strict the flag, or null
   * @return new options
   */
  public ParallelPoolOptions withStrict(Boolean strict) {
    ParallelPoolOptions c = copy();
    c.strict = strict;
    return c;
  }

  /**
   * Replaces the process environment as a configuration source (for tests and embedding).
   *
   * @param environment the variables
   * @return new options
   */
  public ParallelPoolOptions withEnvironment(Map<String, String> environment) {
    ParallelPoolOptions c = copy();
    c.environment = Map.copyOf(Objects.requireNonNull(environment));
    return c;
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
    ParallelPoolOptions c = copy();
    c.systemProperties = props;
    return c;
  }

  /**
   * Uses this properties file instead of the one named by {@link PoolConfig#CONFIG_FILE}.
   *
   * @param configFile the file; it need not exist
   * @return new options
   */
  public ParallelPoolOptions withConfigFile(Path configFile) {
    ParallelPoolOptions c = copy();
    c.configFile = configFile;
    return c;
  }
}
