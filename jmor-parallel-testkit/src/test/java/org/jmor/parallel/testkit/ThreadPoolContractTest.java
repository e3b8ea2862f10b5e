package org.jmor.parallel.testkit;

import org.jmor.parallel.PoolBuilder;
import org.jmor.parallel.WorkerPools;

/** The contract for {@link WorkerPools#threads(int)} with 1, 2, 3 and 4 workers. */
class ThreadPoolContractTest extends WorkerPoolContract {
  @Override
  protected PoolBuilder configure(PoolBuilder builder) {
    return builder.backend("threads");
  }

  @Override
  protected boolean isInProcess() {
    return true;
  }
}
