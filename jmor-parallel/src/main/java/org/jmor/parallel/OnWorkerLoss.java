package org.jmor.parallel;

/**
 * What a pool does when it loses a worker (its thread died, its process ended, its node became
 * unreachable): the configuration key {@link PoolConfig#ON_WORKER_LOSS} ({@code
 * jmor.pool.on-worker-loss}), or {@link PoolBuilder#onWorkerLoss(OnWorkerLoss)}.
 */
public enum OnWorkerLoss {
  /**
   * The default: the call during which the worker was lost fails with a {@link
   * WorkerLostException}, and the pool is broken ({@link WorkerPool#isBroken()}).
   */
  FAIL,

  /**
   * The pool goes on with the workers that remain (opt-in; the backend must support it, see {@link
   * org.jmor.parallel.spi.PoolProvider#shrinkUnsupported()}). The call during which a worker is
   * lost completes on the survivors: {@code map} and {@code mapZipped} run the lost worker's block
   * again, split over the survivors, so that their results are complete and in input order; {@code
   * apply} returns the results of the workers that remain; {@code applyOnly} to the lost worker
   * fails with a {@link WorkerLostException}, and the pool stays usable; {@code push}, {@code
   * remove} and the scatters complete on the survivors. {@link WorkerPool#size()} drops, one WARN
   * line names the worker and what was done about its work, and later calls use the survivors only.
   * Losing the last worker breaks the pool as {@link #FAIL} does.
   *
   * <p>Worker indices of later calls ({@code applyOnly}'s argument, the order of {@code apply}'s
   * results) count the survivors, in the order of their original indices; a task's {@link
   * WorkerContext#workerIndex()} and {@link WorkerContext#poolSize()} stay those the worker was
   * started with (so do its random generator and the counters of {@link TransferStatistics}).
   *
   * <p>A pushed object is on every survivor already, and its handle stays valid. A scattered object
   * loses the lost worker's slice: passing its handle to a later call fails with an {@link
   * IllegalStateException} that names the lost slice, unless it was scattered with {@link
   * Scatter#RECOVERABLE}, in which case the pool sends that slice again to a neighbouring survivor
   * (see {@link Scatter#RECOVERABLE}).
   */
  SHRINK
}
