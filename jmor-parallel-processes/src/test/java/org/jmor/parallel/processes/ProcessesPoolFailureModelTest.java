package org.jmor.parallel.processes;

import org.jmor.parallel.PoolBuilder;
import org.jmor.parallel.testkit.FailureModelContract;

/** The failure model on pools of worker JVMs. */
class ProcessesPoolFailureModelTest extends FailureModelContract {
  @Override
  protected PoolBuilder configure(PoolBuilder builder) {
    return builder.backend(ProcessesProvider.NAME);
  }
}
