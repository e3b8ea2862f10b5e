package org.jmor.parallel.testkit;

import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;

class SequentialPoolFailureModelTest extends FailureModelContract {
  @Override
  protected WorkerPool createPool(int workers) {
    return WorkerPools.sequential();
  }

  @Override
  protected boolean runsOnCaller() {
    return true;
  }
}
