package org.example.allowed;

import org.jmor.parallel.Args;
import org.jmor.parallel.Task;
import org.jmor.parallel.WorkerContext;

/** A task of a user package that the test cluster allows ({@code org.example.allowed.*}). */
public final class AllowedTask implements Task<String> {
  private static final long serialVersionUID = 1L;

  @Override
  public String run(WorkerContext context, Args args) {
    return "allowed on worker " + context.workerIndex();
  }
}
