package org.jmor.parallel.mpi;

import org.jmor.parallel.PoolBuilder;
import org.jmor.parallel.testkit.DifferentialContract;

/** The differential suite on the MPI pool, run like {@link MpiPoolContractSuite}. */
class MpiPoolDifferentialSuite extends DifferentialContract {
  @Override
  protected PoolBuilder configure(PoolBuilder builder) {
    return builder.backend(MpiProvider.NAME);
  }

  @Override
  protected boolean serializes() {
    return true;
  }

  @Override
  protected boolean fixedSize() {
    return true;
  }

  @Override
  protected int[] workerCounts() {
    return new int[] {ContractRunner.worldSize()};
  }
}
