package org.jmor.parallel.mpi;

import org.jmor.parallel.PoolBuilder;
import org.jmor.parallel.testkit.WorkerPoolContract;

/**
 * The contract kit on the MPI pool. Not run by Surefire directly (the name does not end in Test):
 * {@link ContractRunner} runs it on rank 0 of an {@code mpirun} job, which {@link MpiPoolTest}
 * starts with 1, 2 and 3 ranks.
 */
class MpiPoolContractSuite extends WorkerPoolContract {
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
