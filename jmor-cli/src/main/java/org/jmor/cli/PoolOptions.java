package org.jmor.cli;

import org.jmor.parallel.ParallelPoolOptions;
import org.jmor.parallel.WorkerPool;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The pool options that every command which runs on a pool shares ({@code --pool}, {@code
 * --force}), as a picocli mixin; {@link PoolChoice} checks them before any work.
 */
public final class PoolOptions {
  @Option(
      names = "--pool",
      paramLabel = "POOL",
      description =
          "Worker pool: auto, sequential, threads, threads:N or mpi (default: the configuration, "
              + "-Djmor.pool, JMOR_POOL or jmor.properties, else auto: the MPI pool under mpirun,"
              + " else one thread per core).")
  @Nullable String pool;

  @Option(
      names = "--force",
      description =
          "Allow more than "
              + PoolChoice.WORKERS_PER_PROCESSOR
              + " worker threads per available processor.")
  boolean force;

  /** Creates the options (for picocli). */
  public PoolOptions() {}

  /**
   * Checks the choice (one parser, bounds, backends) without starting a pool.
   *
   * @return the options for the factory
   * @throws IllegalArgumentException if the choice is bad; the message names its source
   */
  public ParallelPoolOptions check() {
    return PoolChoice.check(pool, force);
  }

  /**
   * Checks the choice and opens the process-wide pool.
   *
   * @return the pool
   * @throws IllegalArgumentException if the choice is bad; the message names its source
   */
  public WorkerPool open() {
    return PoolChoice.open(pool, force);
  }

  /**
   * Checks the choice and opens the process-wide pool, recording with {@code recorder}.
   *
   * @param recorder the run's recorder ({@link RunObservation#recorder()})
   * @return the pool
   * @throws IllegalArgumentException if the choice is bad; the message names its source
   */
  public WorkerPool open(org.jmor.parallel.events.Recorder recorder) {
    return org.jmor.parallel.WorkerPools.newParallelPool(check().withRecorder(recorder));
  }

  /**
   * Checks and opens the process-wide pool that another option chose (pyMOR's {@code
   * --ipython-engines}, {@code --ipython-profile}) instead of {@code --pool}.
   *
   * @param chosen the pool name
   * @param label the option that chose it, for the messages
   * @param clusterProfile the cluster profile, or null for the configured value
   * @return the pool
   * @throws IllegalArgumentException if {@code --pool} was given too, or the choice is bad
   */
  public WorkerPool open(String chosen, String label, @Nullable String clusterProfile) {
    if (pool != null) {
      throw new IllegalArgumentException(
          label + " and --pool " + Shown.cut(pool) + " both choose the pool; give one of them");
    }
    return PoolChoice.open(chosen, label, clusterProfile, force);
  }

  /**
   * As {@link #open(String, String, String)}, recording with {@code recorder}.
   *
   * @param chosen the pool that another option chose
   * @param label that option, for messages
   * @param clusterProfile the cluster profile, or null
   * @param recorder the run's recorder
   * @return the pool
   * @throws IllegalArgumentException if {@code --pool} was given too, or as {@link #check()}
   */
  public WorkerPool open(
      String chosen,
      String label,
      @Nullable String clusterProfile,
      org.jmor.parallel.events.Recorder recorder) {
    if (pool != null) {
      throw new IllegalArgumentException(
          label + " and --pool " + Shown.cut(pool) + " both choose the pool; give one of them");
    }
    return org.jmor.parallel.WorkerPools.newParallelPool(
        PoolChoice.check(chosen, label, clusterProfile, force).withRecorder(recorder));
  }
}
