package org.example.refused;

import org.jmor.parallel.Args;
import org.jmor.parallel.Task;
import org.jmor.parallel.WorkerContext;

/** A task of a user package outside the test cluster's allow-list. */
public final class RefusedTask implements Task<String> {
  private static final long serialVersionUID = 1L;

  @Override
  public String run(WorkerContext context, Args args) {
    return "ran on worker " + context.workerIndex();
  }
}
