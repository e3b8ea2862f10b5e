package org.jmor.parallel.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.jmor.parallel.SplitRule;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;

/** The contract for {@link WorkerPools#sequential()}: one worker, not parallel. */
class SequentialPoolContractTest extends WorkerPoolContract {
  @Override
  protected WorkerPool createPool(int workers) {
    assumeTrue(workers == 1, "the sequential pool has exactly one worker");
    return WorkerPools.sequential();
  }

  @Override
  protected WorkerPool createPool(int workers, SplitRule rule) {
    assumeTrue(workers == 1, "the sequential pool has exactly one worker");
    return WorkerPools.builder().backend("sequential").splitRule(rule).build();
  }

  @Override
  protected boolean isSequential() {
    return true;
  }
}
