package org.jmor.parallel.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jmor.parallel.Task;
import org.jmor.parallel.WorkerLostException;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.parallel.testkit.TestTasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Faults and the launcher on a cluster of its own: a killed worker, a failed start, close. */
class ClusterFaultTest {

  @Test
  void flagsOfThisJvm_areComplete() {
    assertThat(IgniteFlags.missing()).isEmpty();
    assertThat(IgniteFlags.FLAGS).hasSize(24).allMatch(f -> f.startsWith("--add-opens="));
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void sigkilledWorker_failsTheCallWithin5s_namingIt_andThePoolIsBroken_andCloseLeavesNoProcess()
      throws Exception {
    IgniteCluster cluster = IgnitePools.start(2, ClusterOptions.defaults());
    try {
      WorkerPool pool =
          WorkerPools.builder()
              .backend(ClusterProvider.NAME)
              .property(ClusterProvider.ID, cluster.id())
              .build();
      assertThat(pool.apply(TestTasks.workerIndex())).containsExactly(0, 1);
      Task<Integer> slow =
          (ctx, args) -> {
            Thread.sleep(60_000);
            return ctx.workerIndex();
          };
      CompletableFuture<?> call = pool.applyAsync(slow);
      Thread.sleep(500); // the task runs on both workers
      long t0 = System.nanoTime();
      ProcessHandle.of(cluster.pid(1)).orElseThrow().destroyForcibly();
      assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS))
          .hasRootCauseInstanceOf(WorkerLostException.class)
          .rootCause()
          .hasMessageContaining("worker 1");
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.err.println("the killed worker failed the call after " + ms + " ms");
      assertThat(pool.isBroken()).isTrue();
      assertThatThrownBy(() -> pool.apply(TestTasks.workerIndex()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("broken");
      assertTimeoutPreemptively(Duration.ofSeconds(10), () -> pool.close());
    } finally {
      assertTimeoutPreemptively(
          Duration.ofSeconds(20), () -> ClusterTestSupport.closeAndCheck(cluster));
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
}
