package org.jmor.parallel.testkit;

import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;

class ThreadPoolFailureModelTest extends FailureModelContract {
  @Override
  protected WorkerPool createPool(int workers) {
    return WorkerPools.threads(workers);
  }
}
