package org.jmor.parallel.testkit;

import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;

class StrictThreadPoolFailureModelTest extends FailureModelContract {
  @Override
  protected WorkerPool createPool(int workers) {
    return WorkerPools.builder().backend("threads").workers(workers).strict(true).build();
  }
}
