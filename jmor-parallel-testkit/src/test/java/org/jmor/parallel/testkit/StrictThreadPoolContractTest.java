package org.jmor.parallel.testkit;

import org.jmor.parallel.SplitRule;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;

/** The contract for the thread pool in strict mode (serializes everything) with 2 and 3 workers. */
class StrictThreadPoolContractTest extends WorkerPoolContract {
  @Override
  protected WorkerPool createPool(int workers) {
    return WorkerPools.builder().backend("threads").workers(workers).strict(true).build();
  }

  @Override
  protected WorkerPool createPool(int workers, SplitRule rule) {
    return WorkerPools.builder()
        .backend("threads")
        .workers(workers)
        .strict(true)
        .splitRule(rule)
        .build();
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
