package org.jmor.parallel.processes;

import org.jmor.parallel.PoolBuilder;
import org.jmor.parallel.testkit.DifferentialContract;

/** The differential suite on pools of 1, 2 and 3 worker JVMs. */
class ProcessesPoolDifferentialTest extends DifferentialContract {
  @Override
  protected PoolBuilder configure(PoolBuilder builder) {
    return builder.backend(ProcessesProvider.NAME);
  }

  @Override
  protected boolean serializes() {
    return true;
  }

  @Override
  protected int[] workerCounts() {
    return new int[] {1, 2, 3};
  }
}
