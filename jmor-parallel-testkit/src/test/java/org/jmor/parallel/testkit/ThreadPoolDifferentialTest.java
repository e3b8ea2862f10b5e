package org.jmor.parallel.testkit;

import org.jmor.parallel.PoolBuilder;

/** Differential tests of the thread pool with 1 to 4 workers. */
class ThreadPoolDifferentialTest extends DifferentialContract {
  @Override
  protected PoolBuilder configure(PoolBuilder builder) {
    return builder.backend("threads");
  }
}
