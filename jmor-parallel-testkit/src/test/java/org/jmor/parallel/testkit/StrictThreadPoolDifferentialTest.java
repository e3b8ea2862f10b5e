package org.jmor.parallel.testkit;

import org.jmor.parallel.PoolBuilder;

/** Differential tests of the strict thread pool with 2 and 3 workers. */
class StrictThreadPoolDifferentialTest extends DifferentialContract {
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
}
