package org.jmor.parallel.testkit;

import org.jmor.parallel.PoolBuilder;

class StrictThreadPoolFailureModelTest extends FailureModelContract {
  @Override
  protected PoolBuilder configure(PoolBuilder builder) {
    return builder.backend("threads").strict(true);
  }
}
