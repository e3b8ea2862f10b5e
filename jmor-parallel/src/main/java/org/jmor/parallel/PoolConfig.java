package org.jmor.parallel;

import java.util.Locale;

/**
 * The configuration keys that {@link WorkerPools#newParallelPool(ParallelPoolOptions)} reads.
 *
 * <p>Each key is looked up, in this order of precedence, in: the explicit {@link
 * ParallelPoolOptions}; the Java system property of that name (for example {@code
 * -Djmor.pool=threads:4}); the environment variable named by {@link #envName(String)} ({@code
 * JMOR_POOL=threads:4}); the properties file named by {@link #CONFIG_FILE}, or {@code
 * ./jmor.properties} when it exists; the built-in default.
 */
public final class PoolConfig {
  private PoolConfig() {}

  /**
   * The backend: {@code auto} (default), {@code sequential}, {@code threads}, {@code threads:N},
   * {@code cluster} or {@code mpi}.
   */
  public static final String POOL = "jmor.pool";

  /** Number of workers; 0 (default) means the backend's natural number. */
  public static final String WORKERS = "jmor.pool.workers";

  /** Seed of the workers' random generators; default 42 (pyMOR's). */
  public static final String SEED = "jmor.pool.seed";

  /** {@code balanced} (default) or {@code ceiling}; see {@link SplitRule}. */
  public static final String SPLIT = "jmor.pool.split";

  /** {@code true} to serialize every task, argument and result on in-process pools. */
  public static final String STRICT = "jmor.pool.strict";

  /** Number of cluster workers (pyMOR's {@code ipython_num_engines}); 0 means no cluster. */
  public static final String CLUSTER_WORKERS = "jmor.cluster.workers";

  /** Cluster profile (pyMOR's {@code ipython_profile}); empty means no cluster. */
  public static final String CLUSTER_PROFILE = "jmor.cluster.profile";

  /** Whether an MPI run may give an MPI pool (pyMOR's {@code allow_mpi}); default true. */
  public static final String ALLOW_MPI = "jmor.mpi.allow";

  /** Path of a properties file with any of these keys; default {@code ./jmor.properties}. */
  public static final String CONFIG_FILE = "jmor.config";

  /**
   * The deadline of each blocking call, as a duration ({@code 30s}, {@code 500ms}, {@code 2m}, ISO
   * {@code PT30S}); {@code none} (the default) waits as long as the work takes.
   */
  public static final String TIMEOUT = "jmor.pool.timeout";

  /** How long {@link WorkerPool#close()} lets work finish before interrupting it; default 5s. */
  public static final String CLOSE_TIMEOUT = "jmor.pool.close-timeout";

  /** The default pool seed, pyMOR's 42. */
  public static final long DEFAULT_SEED = 42;

  /**
   * Returns the environment variable for a key: upper case, dots replaced by underscores ({@code
   * jmor.pool.workers} → {@code JMOR_POOL_WORKERS}).
   *
   * @param key a key of this class
   * @return the variable name
   */
  public static String envName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_');
  }
}
