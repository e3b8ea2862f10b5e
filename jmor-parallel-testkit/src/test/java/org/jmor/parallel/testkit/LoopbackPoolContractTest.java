package org.jmor.parallel.testkit;

import org.jmor.parallel.PoolBuilder;

/**
 * The contract for a simulated remote backend ({@link LoopbackTransport}): everything crosses a
 * byte boundary and the SPI contract on serialized commands is enforced.
 */
class LoopbackPoolContractTest extends WorkerPoolContract {
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
