package org.jmor.parallel.cluster;

import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jmor.parallel.PoolBuilder;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.testkit.FailureModelContract;
import org.junit.jupiter.api.BeforeAll;

/**
 * The failure model on the cluster pool. The tests that kill or freeze a worker, or check that
 * close ends the worker JVMs, start a pool of their own 2 (shrink: 3) worker JVMs ({@code
 * cluster:2}), and the suite SIGKILLs, SIGSTOPs and SIGCONTs them; a frozen worker is caught by a
 * call deadline. The other tests (stuck tasks, tasks that ignore interrupts, deadlines, cancel,
 * bounded close, continuations, pool names) open and close their pools on the shared cluster of 2
 * worker JVMs ({@link SharedCluster}, {@link #configureShared}): a cluster's start takes about 10
 * s, and closing a pool there must interrupt its stuck task, since the JVMs live on.
 */
class ClusterPoolFailureModelTest extends FailureModelContract {
  private final Map<WorkerPool, List<ProcessHandle>> processes = new IdentityHashMap<>();
  private volatile Set<Long> before = Set.of();

  @BeforeAll
  void stopOtherSharedClusters() {
    // their idle worker JVMs would share the cores with these; the one of 2 workers stays for the
    // tests that harm no worker (closing it too cost a restart of its 2 JVMs here)
    SharedCluster.closeAllBut(2);
  }

  @Override
  protected PoolBuilder configure(PoolBuilder builder) {
    before = workerJvms().stream().map(ProcessHandle::pid).collect(Collectors.toSet());
    return builder.backend(ClusterProvider.NAME);
  }

  @Override
  protected PoolBuilder configureShared(PoolBuilder builder) {
    String id = SharedCluster.get(2).id();
    // the pool starts no JVM: workerProcesses finds none for it
    before = workerJvms().stream().map(ProcessHandle::pid).collect(Collectors.toSet());
    return builder.backend(ClusterProvider.NAME).property(ClusterProvider.ID, id);
  }

  @Override
  protected FreezeDetection freezeDetection() {
    return FreezeDetection.CALL_TIMEOUT;
  }

  /** The worker JVMs this JVM started for the pool (after it was configured), by index. */
  @Override
  protected synchronized List<ProcessHandle> workerProcesses(WorkerPool pool) {
    return processes.computeIfAbsent(
        pool,
        p ->
            workerJvms().stream()
                .filter(h -> !before.contains(h.pid()))
                .sorted(Comparator.comparingInt(ClusterPoolFailureModelTest::index))
                .collect(Collectors.toList()));
  }

  private static List<ProcessHandle> workerJvms() {
    return ProcessHandle.current()
        .children()
        .filter(h -> commandLine(h).contains(IgniteWorkerMain.class.getName()))
        .collect(Collectors.toList());
  }

  private static int index(ProcessHandle h) {
    List<String> args = commandLine(h);
    int at = args.indexOf("--index");
    return at < 0 ? Integer.MAX_VALUE : Integer.parseInt(args.get(at + 1));
  }
}
