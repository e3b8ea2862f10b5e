package org.jmor.parallel.testkit;

import org.jmor.parallel.PoolBuilder;

/** Differential tests of the sequential pool against plain loops (size 1 only). */
class SequentialPoolDifferentialTest extends DifferentialContract {
  @Override
  protected PoolBuilder configure(PoolBuilder builder) {
    return builder.backend("sequential");
  }

  @Override
  protected boolean isSequential() {
    return true;
  }
}
