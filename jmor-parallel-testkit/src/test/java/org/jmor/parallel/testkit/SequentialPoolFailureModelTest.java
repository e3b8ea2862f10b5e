package org.jmor.parallel.testkit;

import org.jmor.parallel.PoolBuilder;

class SequentialPoolFailureModelTest extends FailureModelContract {
  @Override
  protected PoolBuilder configure(PoolBuilder builder) {
    return builder.backend("sequential");
  }

  @Override
  protected boolean runsOnCaller() {
    return true;
  }
}
