package org.jmor.parallel.testkit;

import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;

/** Differential tests of the strict thread pool with 2 and 3 workers. */
class StrictThreadPoolDifferentialTest extends DifferentialContract {
  @Override
  protected WorkerPool createPool(int workers) {
    return WorkerPools.builder().backend("threads").workers(workers).strict(true).build();
  }

  @Override
  protected boolean serializes() {
    return true;
  }

  @Override
  protected int[] workerCounts() {
    return new int[] {2, 3};
  }
}
