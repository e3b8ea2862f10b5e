package org.jmor.parallel.testkit;

import org.jmor.parallel.PoolBuilder;

class ThreadPoolFailureModelTest extends FailureModelContract {
  @Override
  protected PoolBuilder configure(PoolBuilder builder) {
    return builder.backend("threads");
  }
}
