package org.jmor.parallel.testkit;

import org.jmor.parallel.PoolBuilder;

/** The contract for the sequential pool in strict mode: serializes like a remote backend. */
class StrictSequentialPoolContractTest extends WorkerPoolContract {
  @Override
  protected PoolBuilder configure(PoolBuilder builder) {
    return builder.backend("sequential").strict(true);
  }

  @Override
  protected boolean isSequential() {
    return true;
  }

  @Override
  protected boolean serializes() {
    return true;
  }

  @Override
  protected boolean isInProcess() {
    return true;
  }
}
