package org.jmor.parallel.testkit;

import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;

/** Differential tests of the simulated remote backend. */
class LoopbackPoolDifferentialTest extends DifferentialContract {
  @Override
  protected WorkerPool createPool(int workers) {
    return WorkerPools.builder().backend(LoopbackTransport.Provider.NAME).workers(workers).build();
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
