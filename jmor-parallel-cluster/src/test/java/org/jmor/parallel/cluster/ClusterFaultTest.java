package org.jmor.parallel.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.spi.discovery.tcp.internal.TcpDiscoveryNode;
import org.jmor.parallel.RemoteExecutionException;
import org.jmor.parallel.WorkerLostException;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.parallel.testkit.TestTasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults and the launcher beyond the failure-model suite ({@link ClusterPoolFailureModelTest},
 * which kills workers during {@code apply} and {@code map}): a frozen worker caught by Ignite's
 * failure detection (SIGSTOP, also of the worker the client node is connected through), a task that
 * throws on one worker, failed starts, close; each on a cluster of its own, except the throwing
 * task (the shared cluster of 2).
 */
class ClusterFaultTest {

  @Test
  void flagsOfThisJvm_areComplete() {
    assertThat(IgniteFlags.missing()).isEmpty();
    assertThat(IgniteFlags.FLAGS).hasSize(24).allMatch(f -> f.startsWith("--add-opens="));
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void sigstoppedWorker_failsTheCall_namingIt_andThePoolIsBroken_andCloseLeavesNoProcess()
      throws Exception {
    IgniteCluster cluster = IgnitePools.start(2, ClusterOptions.defaults());
    long frozen = cluster.pid(1);
    try {
      WorkerPool pool =
          WorkerPools.builder()
              .backend(ClusterProvider.NAME)
              .property(ClusterProvider.ID, cluster.id())
              .build();
      assertThat(pool.apply(TestTasks.workerIndex())).containsExactly(0, 1);
      signal("STOP", frozen);
      long t0 = System.nanoTime();
      CompletableFuture<?> call = pool.applyAsync(TestTasks.workerIndex());
      // about 4 s (the failure-detection timeout) when worker 0 notices; about 7-8 s when the
      // frozen
      // worker was the one this JVM's client node is connected through: Ignite then segments the
      // client, and every worker is lost (the message says why). The bound leaves room for a loaded
      // machine: the timing goal is the benchmarks' business, the test checks that the call fails.
      assertThatThrownBy(() -> call.get(30, TimeUnit.SECONDS))
          .hasRootCauseInstanceOf(WorkerLostException.class)
          .rootCause()
          .satisfiesAnyOf(
              e -> assertThat(e).hasMessageContaining("worker 1 was lost"),
              e ->
                  assertThat(e)
                      .hasMessageContaining("client node lost its connection to the cluster")
                      .hasMessageContaining("stopped answering"));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.err.println("the frozen worker failed the call after " + ms + " ms");
      assertThat(pool.isBroken()).isTrue();
      assertThatThrownBy(() -> pool.apply(TestTasks.workerIndex()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("broken");
      assertTimeoutPreemptively(Duration.ofSeconds(10), () -> pool.close());
    } finally {
      signal("CONT", frozen);
      assertTimeoutPreemptively(
          Duration.ofSeconds(20), () -> ClusterTestSupport.closeAndCheck(cluster));
    }
  }

  /**
   * The frozen worker is the one this JVM's client node is connected through: Ignite segments the
   * client and stops it, and may deliver no node event; the call used to wait forever.
   */
  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void sigstoppedRouterWorker_segmentsTheDriver_andFailsTheCall_insteadOfHanging()
      throws Exception {
    IgniteCluster cluster = IgnitePools.start(2, ClusterOptions.defaults());
    long frozen = -1;
    try {
      WorkerPool pool =
          WorkerPools.builder()
              .backend(ClusterProvider.NAME)
              .property(ClusterProvider.ID, cluster.id())
              .build();
      assertThat(pool.apply(TestTasks.workerIndex())).containsExactly(0, 1);
      Ignite driver = Objects.requireNonNull(cluster.driver());
      UUID router = ((TcpDiscoveryNode) driver.cluster().localNode()).clientRouterNodeId();
      int victim = cluster.workerNode(0).equals(router) ? 0 : 1;
      assertThat(cluster.workerNode(victim)).isEqualTo(router);
      frozen = cluster.pid(victim);
      signal("STOP", frozen);
      long t0 = System.nanoTime();
      CompletableFuture<?> call = pool.applyAsync(TestTasks.workerIndex());
      assertThatThrownBy(() -> call.get(60, TimeUnit.SECONDS))
          .hasRootCauseInstanceOf(WorkerLostException.class)
          .rootCause()
          .satisfiesAnyOf(
              e -> assertThat(e).hasMessageContaining("worker " + victim + " was lost"),
              e -> assertThat(e).hasMessageContaining("client node lost its connection"),
              e -> assertThat(e).hasMessageContaining("client node stopped"));
      System.err.println(
          "the frozen router failed the call after "
              + (System.nanoTime() - t0) / 1_000_000
              + " ms");
      assertThat(pool.isBroken()).isTrue();
      assertTimeoutPreemptively(Duration.ofSeconds(10), () -> pool.close());
    } finally {
      if (frozen > 0) {
        signal("CONT", frozen);
      }
      assertTimeoutPreemptively(
          Duration.ofSeconds(20), () -> ClusterTestSupport.closeAndCheck(cluster));
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void taskThrowingOnOneWorker_givesTheAggregatedException_andThePoolStaysUsable() {
    try (WorkerPool pool =
        WorkerPools.builder()
            .backend(ClusterProvider.NAME)
            .property(ClusterProvider.ID, SharedCluster.get(2).id())
            .build()) {
      assertThatThrownBy(() -> pool.apply(TestTasks.failOnWorker(1)))
          .isInstanceOfSatisfying(
              RemoteExecutionException.class,
              e -> {
                assertThat(e.failedWorkers()).containsExactly(1);
                assertThat(e.poolSize()).isEqualTo(2);
                assertThat(e.failures().get(0).cause())
                    .hasMessageContaining(TestTasks.FAILURE_MESSAGE + 1);
              });
      assertThat(pool.isBroken()).isFalse();
      assertThat(pool.apply(TestTasks.workerIndex())).containsExactly(0, 1);
    }
  }

  private static void signal(String sig, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS)) {
      kill.destroyForcibly();
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void workersThatCannotJoinInTime_failWithPyMorsMessage_andLeaveNoProcess() {
    long before = ProcessHandle.current().descendants().count();
    assertThatThrownBy(
            () ->
                IgnitePools.start(1, ClusterOptions.defaults().withTimeout(Duration.ofMillis(300))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("1 of 1 workers failed to start");
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count())
        .isLessThanOrEqualTo(before);
  }

  /**
   * Worker JVMs that cannot start (an unknown JVM flag) end the start as soon as they exit, quoting
   * their logs, instead of after the 60 s join timeout (the test's own timeout).
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void workerJvmsThatCannotStart_failWithPyMorsMessage_andTheirLogLines_andLeaveNoProcess() {
    long before = ProcessHandle.current().descendants().count();
    long t0 = System.nanoTime();
    assertThatThrownBy(
            () ->
                IgnitePools.start(
                    2,
                    ClusterOptions.defaults()
                        .withWorkerJvmOptions(List.of("-XX:+NoSuchJmorOption"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("2 of 2 workers failed to start")
        .hasMessageContaining("exited before this JVM's client node could join")
        .hasMessageContaining("NoSuchJmorOption");
    System.err.println("the start failed after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count())
        .isLessThanOrEqualTo(before);
  }
}
