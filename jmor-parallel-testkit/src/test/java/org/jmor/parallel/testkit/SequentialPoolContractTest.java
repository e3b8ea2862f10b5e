package org.jmor.parallel.testkit;

import org.jmor.parallel.PoolBuilder;
import org.jmor.parallel.WorkerPools;

/**
 * The contract for {@link WorkerPools#sequential()}: one worker, not parallel. {@link
 * #isSequential()} makes the kit test size 1 only.
 */
class SequentialPoolContractTest extends WorkerPoolContract {
  @Override
  protected PoolBuilder configure(PoolBuilder builder) {
    return builder.backend("sequential");
  }

  @Override
  protected boolean isSequential() {
    return true;
  }

  @Override
  protected boolean isInProcess() {
    return true;
  }
}
