package org.jmor.parallel.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.jmor.parallel.SplitRule;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;

/** The contract for the sequential pool in strict mode: serializes like a remote backend. */
class StrictSequentialPoolContractTest extends WorkerPoolContract {
  @Override
  protected WorkerPool createPool(int workers) {
    return createPool(workers, SplitRule.BALANCED);
  }

  @Override
  protected WorkerPool createPool(int workers, SplitRule rule) {
    assumeTrue(workers == 1, "the sequential pool has exactly one worker");
    return WorkerPools.builder().backend("sequential").strict(true).splitRule(rule).build();
  }

  @Override
  protected boolean isSequential() {
    return true;
  }

  @Override
  protected boolean serializes() {
    return true;
  }
}
