package org.jmor.bench;

import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;

/** The backends the benchmarks compare; later backends (cluster, MPI) add a constant here. */
public enum PoolType {
  /** {@link WorkerPools#sequential()}: one worker, the calling thread. */
  SEQUENTIAL,
  /** {@link WorkerPools#threads(int)}. */
  THREADS,
  /** The thread pool in strict mode: every task, argument and result serialized. */
  THREADS_STRICT;

  /**
   * Starts a pool of this type.
   *
   * @param workers the number of workers (ignored by the sequential pool)
   * @return the pool
   */
  public WorkerPool create(int workers) {
    switch (this) {
      case SEQUENTIAL:
        return WorkerPools.sequential();
      case THREADS:
        return WorkerPools.threads(workers);
      default:
        return WorkerPools.builder().backend("threads").workers(workers).strict(true).build();
    }
  }
}
