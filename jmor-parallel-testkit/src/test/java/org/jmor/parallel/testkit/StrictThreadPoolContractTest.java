package org.jmor.parallel.testkit;

import org.jmor.parallel.PoolBuilder;

/** The contract for the thread pool in strict mode (serializes everything) with 2 and 3 workers. */
class StrictThreadPoolContractTest extends WorkerPoolContract {
  @Override
  protected PoolBuilder configure(PoolBuilder builder) {
    return builder.backend("threads").strict(true);
  }

  @Override
  protected boolean serializes() {
    return true;
  }

  @Override
  protected int[] workerCounts() {
    return new int[] {2, 3};
  }

  @Override
  protected boolean isInProcess() {
    return true;
  }
}
