package org.jmor.parallel.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jmor.parallel.WorkerLostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class WorkerLanesTest {

  @Test
  void eachLane_runsItsJobsInOrder() throws Exception {
    try (WorkerLanes lanes = new WorkerLanes(2, "test")) {
      List<Integer> seen = new ArrayList<>();
      List<CompletableFuture<Integer>> fs = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        int k = i;
        fs.add(
            lanes.submit(
                1,
                () -> {
                  seen.add(k);
                  return k;
                }));
      }
      fs.get(999).get(10, TimeUnit.SECONDS);
      assertThat(seen).hasSize(1000).isSorted();
    }
  }

  @Test
  void cancel_interruptsOnlyTheRunningJob() throws Exception {
    try (WorkerLanes lanes = new WorkerLanes(1, "test")) {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch interrupted = new CountDownLatch(1);
      CompletableFuture<Object> blocked =
          lanes.submit(
              0,
              () -> {
                started.countDown();
                try {
                  Thread.sleep(60_000);
                } catch (InterruptedException e) {
                  interrupted.countDown();
                }
                return null;
              });
      CompletableFuture<Boolean> next =
          lanes.submit(0, () -> Thread.currentThread().isInterrupted());
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      blocked.cancel(true);
      assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(next.get(10, TimeUnit.SECONDS)).as("the interrupt does not leak").isFalse();
    }
  }

  @Test
  void deadLane_failsItsJobsWithWorkerLost_andOtherLanesGoOn() throws Exception {
    try (WorkerLanes lanes = new WorkerLanes(2, "test")) {
      CompletableFuture<Object> dying =
          lanes.submit(
              1,
              () -> {
                throw new ThreadDeath();
              });
      assertThatThrownBy(() -> dying.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              WorkerLostException.class, e -> assertThat(e.worker()).isEqualTo(1));
      assertThatThrownBy(() -> lanes.submit(1, () -> 1).get(10, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(WorkerLostException.class);
      assertThat(lanes.isAlive(1)).isFalse();
      assertThat(lanes.submit(0, () -> 7).get(10, TimeUnit.SECONDS)).isEqualTo(7);
    }
  }

  @Test
  void close_isBounded_interruptsRunningAndDropsQueuedJobs() throws Exception {
    WorkerLanes lanes = new WorkerLanes(1, "test");
    CountDownLatch started = new CountDownLatch(1);
    CompletableFuture<Object> running =
        lanes.submit(
            0,
            () -> {
              started.countDown();
              Thread.sleep(60_000);
              return null;
            });
    CompletableFuture<Integer> queued = lanes.submit(0, () -> 1);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    List<String> abandoned =
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> lanes.close(Duration.ofMillis(100)));
    assertThat(abandoned).singleElement().asString().contains("interrupted").contains("dropped 1");
    assertThatThrownBy(() -> running.get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(InterruptedException.class);
    assertThatThrownBy(() -> queued.get(5, TimeUnit.SECONDS))
        .isInstanceOf(CancellationException.class);
    assertThatThrownBy(() -> lanes.submit(0, () -> 1).get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void close_letsQueuedWorkFinishWithinTheBound() throws Exception {
    WorkerLanes lanes = new WorkerLanes(2, "test");
    CompletableFuture<Integer> f = lanes.submit(1, () -> 5);
    assertThat(lanes.close(Duration.ofSeconds(5))).isEmpty();
    assertThat(f.get(1, TimeUnit.SECONDS)).isEqualTo(5);
  }
}
