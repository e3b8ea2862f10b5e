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
  final String pool;
  final Integer workers;
  final Integer clusterWorkers;
  final String clusterProfile;
  final Boolean allowMpi;
  final Long seed;
  final SplitRule splitRule;
  final Boolean strict;
  final Map<String, String> environment;
  final Properties systemProperties;
  final Path configFile;

  private ParallelPoolOptions(String pool, Integer workers, Integer clusterWorkers,
      String clusterProfile, Boolean allowMpi, Long seed, SplitRule splitRule, Boolean strict,
      Map<String, String> environment, Properties systemProperties, Path configFile) {
    this.pool = pool;
    this.workers = workers;
    this.clusterWorkers = clusterWorkers;
    this.clusterProfile = clusterProfile;
    this.allowMpi = allowMpi;
    this.seed = seed;
    this.splitRule = splitRule;
    this.strict = strict;
    this.environment = environment;
    this.systemProperties = systemProperties;
    this.configFile = configFile;
  }

  /** Returns options with nothing set: everything comes from the configuration. */
  public static ParallelPoolOptions defaults() {
    return new ParallelPoolOptions(null, null, null, null, null, null, null, null, null, null, null);
  }

  /**
   * Sets the backend ({@link PoolConfig#POOL}).
   *
   * @param pool {@code auto}, {@code sequential}, {@code threads}, {@code threads:N},
   *     {@code cluster}, {@code mpi}, or null for the configured value
   * @return new options
   */
  public ParallelPoolOptions withPool(String pool) {
    return new ParallelPoolOptions(pool, workers, clusterWorkers, clusterProfile, allowMpi, seed,
        splitRule, strict, environment, systemProperties, configFile);
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
    return new ParallelPoolOptions(pool, workers, clusterWorkers, clusterProfile, allowMpi, seed,
        splitRule, strict, environment, systemProperties, configFile);
  }

  /**
   * Sets the number of cluster workers ({@link PoolConfig#CLUSTER_WORKERS}); a positive number
   * asks for a cluster pool, 0 means no cluster (and does not fall back to the configuration).
   *
   * @param clusterWorkers at least 0, or null for the configured value
   * @return new options
   */
  public ParallelPoolOptions withClusterWorkers(Integer clusterWorkers) {
    if (clusterWorkers != null && clusterWorkers < 0) {
      throw new IllegalArgumentException("clusterWorkers must be >= 0, got " + clusterWorkers);
    }
    return new ParallelPoolOptions(pool, workers, clusterWorkers, clusterProfile, allowMpi, seed,
        splitRule, strict, environment, systemProperties, configFile);
  }

  /**
   * Sets the cluster profile ({@link PoolConfig#CLUSTER_PROFILE}); non-empty asks for a cluster.
   *
   * @param clusterProfile the profile, or null for the configured value
   * @return new options
   */
  public ParallelPoolOptions withClusterProfile(String clusterProfile) {
    return new ParallelPoolOptions(pool, workers, clusterWorkers, clusterProfile, allowMpi, seed,
        splitRule, strict, environment, systemProperties, configFile);
  }

  /**
   * Sets whether an MPI run may give an MPI pool ({@link PoolConfig#ALLOW_MPI}).
   *
   * @param allowMpi the flag, or null for the configured value
   * @return new options
   */
  public ParallelPoolOptions withAllowMpi(Boolean allowMpi) {
    return new ParallelPoolOptions(pool, workers, clusterWorkers, clusterProfile, allowMpi, seed,
        splitRule, strict, environment, systemProperties, configFile);
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
    return new ParallelPoolOptions(pool, workers, clusterWorkers, clusterProfile, allowMpi, seed,
        splitRule, strict, environment, systemProperties, configFile);
  }

  /**
   * Sets the split rule ({@link PoolConfig#SPLIT}).
   *
   * @param splitRule the rule, or null
   * @return new options
   */
  public ParallelPoolOptions withSplitRule(SplitRule splitRule) {
    return new ParallelPoolOptions(pool, workers, clusterWorkers, clusterProfile, allowMpi, seed,
        splitRule, strict, environment, systemProperties, configFile);
  }

  /**
   * Sets strict mode ({@link PoolConfig#STRICT}).
   *
   * @param strict the flag, or null
   * @return new options
   */
  public ParallelPoolOptions withStrict(Boolean strict) {
    return new ParallelPoolOptions(pool, workers, clusterWorkers, clusterProfile, allowMpi, seed,
        splitRule, strict, environment, systemProperties, configFile);
  }

  /**
   * Replaces the process environment as a configuration source (for tests and embedding).
   *
   * @param environment the variables
   * @return new options
   */
  public ParallelPoolOptions withEnvironment(Map<String, String> environment) {
    return new ParallelPoolOptions(pool, workers, clusterWorkers, clusterProfile, allowMpi, seed,
        splitRule, strict, Map.copyOf(Objects.requireNonNull(environment)), systemProperties,
        configFile);
  }

  /**
   * Replaces the system properties as a configuration source (for tests and embedding).
   *
   * @param systemProperties the properties
   * @return new options
   */
  public ParallelPoolOptions withSystemProperties(Properties systemProperties) {
    Properties copy = new Properties();
    copy.putAll(Objects.requireNonNull(systemProperties));
    return new ParallelPoolOptions(pool, workers, clusterWorkers, clusterProfile, allowMpi, seed,
        splitRule, strict, environment, copy, configFile);
  }

  /**
   * Uses this properties file instead of the one named by {@link PoolConfig#CONFIG_FILE}.
   *
   * @param configFile the file; it need not exist
   * @return new options
   */
  public ParallelPoolOptions withConfigFile(Path configFile) {
    return new ParallelPoolOptions(pool, workers, clusterWorkers, clusterProfile, allowMpi, seed,
        splitRule, strict, environment, systemProperties, configFile);
  }
}
