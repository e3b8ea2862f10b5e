package org.jmor.parallel.testkit;

import org.jmor.parallel.PoolBuilder;

class LoopbackPoolFailureModelTest extends FailureModelContract {
  @Override
  protected PoolBuilder configure(PoolBuilder builder) {
    return builder.backend(LoopbackTransport.Provider.NAME);
  }
}
