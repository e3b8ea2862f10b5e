package org.jmor.parallel.testkit;

import org.jmor.parallel.SplitRule;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;

/**
 * The contract for a simulated remote backend ({@link LoopbackTransport}): everything crosses a
 * byte boundary and the SPI contract on serialized commands is enforced.
 */
class LoopbackPoolContractTest extends WorkerPoolContract {
  @Override
  protected WorkerPool createPool(int workers) {
    return createPool(workers, SplitRule.BALANCED);
  }

  @Override
  protected WorkerPool createPool(int workers, SplitRule rule) {
    return WorkerPools.builder()
        .backend(LoopbackTransport.Provider.NAME)
        .workers(workers)
        .splitRule(rule)
        .build();
  }

  @Override
  protected boolean serializes() {
    return true;
  }

  @Override
  protected int[] workerCounts() {
    return new int[] {1, 3, 4};
  }
}
