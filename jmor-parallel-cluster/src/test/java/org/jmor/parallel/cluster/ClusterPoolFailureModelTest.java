package org.jmor.parallel.cluster;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jmor.parallel.PoolBuilder;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.testkit.FailureModelContract;
import org.junit.jupiter.api.BeforeAll;

/**
 * The failure model on the cluster pool: each test starts a pool of its own 2 worker JVMs ({@code
 * cluster:2}), and the suite SIGKILLs, SIGSTOPs and SIGCONTs them; a frozen worker is caught by
 * Ignite's failure detection (4 s by default).
 */
class ClusterPoolFailureModelTest extends FailureModelContract {
  private final Map<WorkerPool, List<ProcessHandle>> processes = new IdentityHashMap<>();
  private volatile Instant configured = Instant.now();

  @BeforeAll
  void stopSharedClusters() {
    SharedCluster.closeAll(); // their idle worker JVMs would share the cores with these
  }

  @Override
  protected PoolBuilder configure(PoolBuilder builder) {
    configured = Instant.now();
    return builder.backend(ClusterProvider.NAME);
  }

  @Override
  protected FreezeDetection freezeDetection() {
    return FreezeDetection.FAILURE_DETECTOR;
  }

  /** The worker JVMs this JVM started after the pool was configured, by their {@code --index}. */
  @Override
  protected synchronized List<ProcessHandle> workerProcesses(WorkerPool pool) {
    return processes.computeIfAbsent(
        pool,
        p ->
            ProcessHandle.current()
                .children()
                .filter(h -> isWorkerStartedAfter(h, configured.minusMillis(100)))
                .sorted(Comparator.comparingInt(ClusterPoolFailureModelTest::index))
                .collect(Collectors.toList()));
  }

  private static boolean isWorkerStartedAfter(ProcessHandle h, Instant since) {
    ProcessHandle.Info info = h.info();
    Optional<Instant> start = info.startInstant();
    return info.arguments()
            .map(a -> Arrays.asList(a).contains(IgniteWorkerMain.class.getName()))
            .orElse(false)
        && start.isPresent()
        && !start.get().isBefore(since);
  }

  private static int index(ProcessHandle h) {
    List<String> args = Arrays.asList(h.info().arguments().orElse(new String[0]));
    int at = args.indexOf("--index");
    return at < 0 ? Integer.MAX_VALUE : Integer.parseInt(args.get(at + 1));
  }
}
