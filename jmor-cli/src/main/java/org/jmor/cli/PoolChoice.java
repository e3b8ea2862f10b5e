package org.jmor.cli;

import org.jmor.parallel.ParallelPoolOptions;
import org.jmor.parallel.PoolConfig;
import org.jmor.parallel.PoolName;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.parallel.cluster.ClusterProvider;
import org.jmor.parallel.spi.ConfigView;
import org.jspecify.annotations.Nullable;

/**
 * The pool a command runs on: {@code --pool} if given, else the factory's configuration ({@code
 * -Djmor.pool}, {@code JMOR_POOL}, {@code jmor.properties}, then {@code auto}). Everything is
 * checked before any work: the name (one parser, {@link PoolName#parse}) and an upper bound on
 * in-process worker threads; a backend that is not in this build is refused by the factory, which
 * asks the providers on the class path and names the module to add.
 */
public final class PoolChoice {
  /** In-process workers allowed per available processor without {@code --force}. */
  public static final int WORKERS_PER_PROCESSOR = 4;

  private PoolChoice() {}

  /**
   * Checks the pool a command would run on and returns the options to open it with.
   *
   * @param pool the value of {@code --pool}, or null to follow the configuration
   * @param force whether to allow more than {@link #WORKERS_PER_PROCESSOR} worker threads per
   *     available processor
   * @return the options for {@link WorkerPools#newParallelPool(ParallelPoolOptions)}
   * @throws IllegalArgumentException with a one-line message naming the option or the configuration
   *     source of the bad value
   */
  public static ParallelPoolOptions check(@Nullable String pool, boolean force) {
    return check(pool, pool == null ? null : "--pool " + Shown.cut(pool), null, force);
  }

  /**
   * Checks the pool a command would run on, chosen by another option (pyMOR's {@code
   * --ipython-engines}, {@code --ipython-profile}), and returns the options to open it with.
   *
   * @param pool the pool name, or null to follow the configuration
   * @param label the option that chose it, for the messages (null: {@code --pool POOL})
   * @param clusterProfile the cluster profile, or null for the configured value
   * @param force see {@link #check(String, boolean)}
   * @return the options for {@link WorkerPools#newParallelPool(ParallelPoolOptions)}
   * @throws IllegalArgumentException with a one-line message naming the option or the configuration
   *     source of the bad value
   */
  public static ParallelPoolOptions check(
      @Nullable String pool,
      @Nullable String label,
      @Nullable String clusterProfile,
      boolean force) {
    ParallelPoolOptions options = ParallelPoolOptions.defaults();
    String chosenBy = label != null ? label : "--pool " + Shown.cut(pool);
    if (pool != null) {
      options = options.withPool(parse(pool, chosenBy).toString());
    }
    if (clusterProfile != null) {
      options = options.with(ClusterProvider.PROFILE, clusterProfile);
    }
    // the same view the factory resolves: a missing or malformed properties file fails here
    ConfigView c = WorkerPools.configuration(options);
    String value = c.get(PoolConfig.POOL);
    String where =
        pool != null
            ? chosenBy
            : PoolConfig.POOL
                + ": '"
                + Shown.cut(value)
                + "' (from "
                + c.source(PoolConfig.POOL)
                + ")";
    PoolName name = value == null ? PoolName.parse(PoolName.AUTO) : parse(value, where);
    // a backend that is not on the class path: the factory's message (it asks the providers)
    // names the module to add, before any work, when the command opens the pool
    boolean inProcess =
        name.isAuto() || name.backend().equals("threads") || name.backend().equals("sequential");
    int workers = name.workers();
    String what = where;
    if (workers == 0 && inProcess) {
      String w = c.get(PoolConfig.WORKERS);
      if (w != null) {
        try {
          workers = Integer.parseInt(w);
        } catch (NumberFormatException e) {
          workers = 0; // the factory reports it, with its source
        }
        what =
            PoolConfig.WORKERS
                + ": '"
                + Shown.cut(w)
                + "' (from "
                + c.source(PoolConfig.WORKERS)
                + ")";
      }
    }
    int processors = Runtime.getRuntime().availableProcessors();
    long max = (long) WORKERS_PER_PROCESSOR * processors;
    if (inProcess && workers > max && !force) {
      throw new IllegalArgumentException(
          what
              + ": "
              + workers
              + " worker threads are more than "
              + WORKERS_PER_PROCESSOR
              + " per available processor ("
              + max
              + " on "
              + processors
              + (processors == 1 ? " processor" : " processors")
              + "); use --force to start them anyway");
    }
    return options;
  }

  /**
   * Checks and opens the process-wide pool ({@link WorkerPools#newParallelPool}).
   *
   * @param pool the value of {@code --pool}, or null to follow the configuration
   * @param force see {@link #check}
   * @return the pool; release it with {@link WorkerPools#resetParallelPool()}
   */
  public static WorkerPool open(@Nullable String pool, boolean force) {
    return WorkerPools.newParallelPool(check(pool, force));
  }

  /**
   * Checks and opens the process-wide pool chosen by another option ({@link #check(String, String,
   * String, boolean)}).
   *
   * @param pool the pool name, or null to follow the configuration
   * @param label the option that chose it, for the messages
   * @param clusterProfile the cluster profile, or null for the configured value
   * @param force see {@link #check(String, boolean)}
   * @return the pool; release it with {@link WorkerPools#resetParallelPool()}
   */
  public static WorkerPool open(
      @Nullable String pool,
      @Nullable String label,
      @Nullable String clusterProfile,
      boolean force) {
    return WorkerPools.newParallelPool(check(pool, label, clusterProfile, force));
  }

  private static PoolName parse(String text, String label) {
    try {
      return PoolName.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(label + ": " + e.getMessage(), e);
    }
  }
}
