package org.jmor.parallel.testkit;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jmor.parallel.PoolBuilder;
import org.jmor.parallel.WorkerPool;

/**
 * The failure model against workers in other JVMs ({@link ForkedTransport}): the default hooks of
 * the suite SIGKILL, SIGSTOP and SIGCONT the processes that {@link #workerProcesses} names.
 */
class ForkedPoolFailureModelTest extends FailureModelContract {
  private final Map<WorkerPool, ForkedTransport> transports = new IdentityHashMap<>();

  @Override
  protected PoolBuilder configure(PoolBuilder builder) {
    return builder.backend(ForkedTransport.Provider.NAME);
  }

  /** The pools of a test are built one at a time: a new pool gets the newest transport. */
  @Override
  protected synchronized List<ProcessHandle> workerProcesses(WorkerPool pool) {
    ForkedTransport t =
        transports.computeIfAbsent(
            pool, p -> ForkedTransport.OPENED.get(ForkedTransport.OPENED.size() - 1));
    return t.processes();
  }
}
