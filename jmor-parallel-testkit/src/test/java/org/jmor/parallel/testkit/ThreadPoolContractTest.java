package org.jmor.parallel.testkit;

import org.jmor.parallel.SplitRule;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;

/** The contract for {@link WorkerPools#threads(int)} with 1, 2, 3 and 4 workers. */
class ThreadPoolContractTest extends WorkerPoolContract {
  @Override
  protected WorkerPool createPool(int workers) {
    return WorkerPools.threads(workers);
  }

  @Override
  protected WorkerPool createPool(int workers, SplitRule rule) {
    return WorkerPools.builder().backend("threads").workers(workers).splitRule(rule).build();
  }

  @Override
  protected int[] workerCounts() {
    return new int[] {1, 2, 3, 4};
  }
}
