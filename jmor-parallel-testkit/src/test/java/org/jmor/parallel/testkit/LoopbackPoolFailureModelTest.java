package org.jmor.parallel.testkit;

import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;

class LoopbackPoolFailureModelTest extends FailureModelContract {
  @Override
  protected WorkerPool createPool(int workers) {
    return WorkerPools.builder().backend(LoopbackTransport.Provider.NAME).workers(workers).build();
  }
}
