package org.jmor.parallel.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;

/** Differential tests of the sequential pool against plain loops. */
class SequentialPoolDifferentialTest extends DifferentialContract {
  @Override
  protected WorkerPool createPool(int workers) {
    assumeTrue(workers == 1, "the sequential pool has exactly one worker");
    return WorkerPools.sequential();
  }

  @Override
  protected boolean isSequential() {
    return true;
  }
}
