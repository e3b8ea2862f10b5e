package org.jmor.parallel;

import java.time.Duration;
import java.util.Locale;

/**
 * The configuration keys of the worker pools.
 *
 * <p>Each key is looked up, in this order of precedence, in: the explicit {@link
 * ParallelPoolOptions} (or {@link PoolBuilder}); the Java system property of that name (for example
 * {@code -Djmor.pool=threads:4}); the environment variable named by {@link #envName(String)}
 * ({@code JMOR_POOL=threads:4}); the properties file named by {@link #CONFIG_FILE}, or {@code
 * ./jmor.properties} when it exists; the built-in default. A blank value counts as unset.
 *
 * <p>The core reads the keys {@code jmor.pool}, {@code jmor.pool.*} and {@code jmor.config}. Every
 * key {@code jmor.<name>.*} belongs to the backend {@code <name>}: it reaches that backend's {@link
 * org.jmor.parallel.spi.PoolProvider} in its {@link org.jmor.parallel.spi.PoolSpec}, and the
 * provider interprets it.
 */
public final class PoolConfig {
  private PoolConfig() {}

  /**
   * The backend: {@code auto} (default), {@code sequential}, {@code threads}, {@code threads:N}, or
   * the name of a backend found on the class path, optionally with {@code :N} (see {@link
   * PoolName}).
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

  /**
   * Deadline of each pool call ({@code apply}, {@code map}, ...); default none. A duration such as
   * {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h} or ISO-8601 {@code PT30S}; {@code none} or
   * {@code 0} for no deadline.
   */
  public static final String TIMEOUT = "jmor.pool.timeout";

  /**
   * How long {@link WorkerPool#close()} waits for the workers to stop; default 5 s ({@link
   * #DEFAULT_CLOSE_TIMEOUT}). Same syntax as {@link #TIMEOUT}; {@code none} or {@code 0} for no
   * bound.
   */
  public static final String CLOSE_TIMEOUT = "jmor.pool.close-timeout";

  /**
   * What a pool does when it loses a worker: {@code fail} (default: the call fails and the pool is
   * broken) or {@code shrink} (the pool goes on with the survivors; see {@link OnWorkerLoss}).
   */
  public static final String ON_WORKER_LOSS = "jmor.pool.on-worker-loss";

  /** Path of a properties file with any of these keys; default {@code ./jmor.properties}. */
  public static final String CONFIG_FILE = "jmor.config";

  /** The default pool seed, pyMOR's 42. */
  public static final long DEFAULT_SEED = 42;

  /** The default of {@link #CLOSE_TIMEOUT}: 5 seconds. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Returns the environment variable for a key: upper case, dots and hyphens replaced by
   * underscores ({@code jmor.pool.workers} → {@code JMOR_POOL_WORKERS}, {@code
   * jmor.pool.close-timeout} → {@code JMOR_POOL_CLOSE_TIMEOUT}).
   *
   * @param key a configuration key
   * @return the variable name
   */
  public static String envName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
