package org.jmor.parallel.processes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jmor.parallel.PoolBuilder;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.testkit.FailureModelContract;

/**
 * The kit's failure model on pools of worker JVMs: the suite SIGKILLs, SIGSTOPs and SIGCONTs the
 * workers' processes; a frozen worker is caught by the heartbeat (a short one here, so that the
 * suite's 10 s bound holds on a loaded machine too).
 */
class ProcessesPoolFailureModelTest extends FailureModelContract {
  private final Map<WorkerPool, List<ProcessHandle>> processes = new IdentityHashMap<>();

  @Override
  protected PoolBuilder configure(PoolBuilder builder) {
    return builder
        .backend(ProcessesProvider.NAME)
        .property(ProcessesProvider.HEARTBEAT_TIMEOUT, "4s");
  }

  @Override
  protected FreezeDetection freezeDetection() {
    return FreezeDetection.FAILURE_DETECTOR;
  }

  /** The newest pool's worker JVMs (the suite builds one pool at a time), by worker index. */
  @Override
  protected synchronized List<ProcessHandle> workerProcesses(WorkerPool pool) {
    return processes.computeIfAbsent(pool, p -> newestWorkers(p.size()));
  }

  static List<ProcessHandle> newestWorkers(int n) {
    List<ProcessHandle> all =
        ProcessHandle.current()
            .children()
            .filter(p -> commandLine(p).contains(ProcessWorkerMain.class.getName()))
            .filter(p -> p.info().startInstant().isPresent())
            .sorted(Comparator.comparing(p -> p.info().startInstant().orElseThrow()))
            .toList();
    List<ProcessHandle> newest =
        new ArrayList<>(all.subList(Math.max(0, all.size() - n), all.size()));
    newest.sort(Comparator.comparingInt(ProcessesPoolFailureModelTest::index));
    return newest;
  }

  private static int index(ProcessHandle p) {
    List<String> args = commandLine(p);
    return Integer.parseInt(args.get(args.size() - 2));
  }
}
