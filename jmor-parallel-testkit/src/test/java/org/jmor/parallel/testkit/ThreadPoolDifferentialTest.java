package org.jmor.parallel.testkit;

import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;

/** Differential tests of the thread pool with 1 to 4 workers. */
class ThreadPoolDifferentialTest extends DifferentialContract {
  @Override
  protected WorkerPool createPool(int workers) {
    return WorkerPools.threads(workers);
  }
}
