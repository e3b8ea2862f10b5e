package org.jmor.parallel.testkit;

import org.jmor.parallel.PoolBuilder;

/** Differential tests of the simulated remote backend. */
class LoopbackPoolDifferentialTest extends DifferentialContract {
  @Override
  protected PoolBuilder configure(PoolBuilder builder) {
    return builder.backend(LoopbackTransport.Provider.NAME);
  }

  @Override
  protected boolean serializes() {
    return true;
  }

  @Override
  protected int[] workerCounts() {
    return new int[] {1, 3, 4};
  }
}
