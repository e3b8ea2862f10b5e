package org.jmor.parallel.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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

  /** Submits jobs until runHere takes one (the lane's thread usually wakes later than that). */
  private static <T> CompletableFuture<T> submitAndRunHere(WorkerLanes lanes, Callable<T> job)
      throws Exception {
    for (int attempt = 0; attempt < 10_000; attempt++) {
      CompletableFuture<T> f = lanes.submit(0, job);
      if (lanes.runHere(f)) {
        assertThat(f).isDone();
        return f;
      }
      f.get(10, TimeUnit.SECONDS); // the lane's thread ran it
    }
    throw new AssertionError("runHere never took a job in 10,000 attempts");
  }

  @Test
  void runHere_runsTheNextJobInTheCallingThread() throws Exception {
    try (WorkerLanes lanes = new WorkerLanes(1, "test")) {
      Thread me = Thread.currentThread();
      CompletableFuture<Thread> f = submitAndRunHere(lanes, Thread::currentThread);
      assertThat(f.get()).isSameAs(me);
      assertThat(lanes.submit(0, Thread::currentThread).get(10, TimeUnit.SECONDS))
          .as("later jobs run on the lane again")
          .isNotSameAs(me);
      assertThat(lanes.runHere(f)).as("a done job").isFalse();
      assertThat(lanes.runHere(new CompletableFuture<>())).as("a foreign future").isFalse();
      try (WorkerLanes other = new WorkerLanes(1, "other")) {
        CompletableFuture<Object> blocker = blockLane(other);
        CompletableFuture<Integer> queued = other.submit(0, () -> 1);
        assertThat(lanes.runHere(queued)).as("a job of other lanes").isFalse();
        blocker.complete(null);
        assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo(1);
      }
    }
  }

  /** Occupies lane 0 until the returned future is completed. */
  private static CompletableFuture<Object> blockLane(WorkerLanes lanes) throws Exception {
    CompletableFuture<Object> release = new CompletableFuture<>();
    CountDownLatch started = new CountDownLatch(1);
    lanes.submit(
        0,
        () -> {
          started.countDown();
          return release.get(30, TimeUnit.SECONDS);
        });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    return release;
  }

  @Test
  void runHere_keepsTheLanesOrder() throws Exception {
    try (WorkerLanes lanes = new WorkerLanes(1, "test")) {
      CompletableFuture<Object> release = blockLane(lanes);
      List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
      CompletableFuture<Integer> a =
          lanes.submit(
              0,
              () -> {
                seen.add(1);
                return 1;
              });
      CompletableFuture<Integer> b =
          lanes.submit(
              0,
              () -> {
                seen.add(2);
                return 2;
              });
      assertThat(lanes.runHere(a)).as("the lane is busy").isFalse();
      assertThat(lanes.runHere(b)).as("not the next job").isFalse();
      release.complete(null);
      assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo(2);
      assertThat(seen).containsExactly(1, 2);
    }
  }

  @Test
  void aJobRunHere_keepsTheLaneBusy_andNextJobsWait() throws Exception {
    try (WorkerLanes lanes = new WorkerLanes(1, "test")) {
      AtomicInteger running = new AtomicInteger();
      AtomicInteger overlaps = new AtomicInteger();
      List<CompletableFuture<Integer>> later = new ArrayList<>();
      submitAndRunHere(
          lanes,
          () -> {
            running.incrementAndGet();
            for (int i = 0; i < 20; i++) { // queued meanwhile: must wait for this job
              later.add(
                  lanes.submit(
                      0,
                      () -> {
                        if (running.incrementAndGet() != 1) {
                          overlaps.incrementAndGet();
                        }
                        running.decrementAndGet();
                        return 0;
                      }));
            }
            Thread.sleep(50);
            running.decrementAndGet();
            return 0;
          });
      for (CompletableFuture<Integer> f : later) {
        f.get(10, TimeUnit.SECONDS);
      }
      assertThat(overlaps).hasValue(0);
    }
  }

  @Test
  void cancel_ofAJobRunHere_interruptsIt_andTheInterruptEndsWithIt() throws Exception {
    try (WorkerLanes lanes = new WorkerLanes(1, "test")) {
      boolean ranHere = false;
      for (int attempt = 0; attempt < 1000 && !ranHere; attempt++) {
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<CompletableFuture<Boolean>> job = new AtomicReference<>();
        Thread canceller =
            new Thread(
                () -> {
                  try {
                    if (started.await(30, TimeUnit.SECONDS)) {
                      CompletableFuture<Boolean> j;
                      while ((j = job.get()) == null) { // the lane may start it before set
                        Thread.onSpinWait();
                      }
                      j.cancel(true);
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
        canceller.start();
        job.set(
            lanes.submit(
                0,
                () -> {
                  started.countDown();
                  try {
                    Thread.sleep(30_000);
                    return false;
                  } catch (InterruptedException e) {
                    return true;
                  }
                }));
        ranHere = lanes.runHere(job.get());
        canceller.join(30_000);
        assertThat(job.get()).isCancelled();
        if (ranHere) {
          assertThat(Thread.currentThread().isInterrupted())
              .as("the interrupt meant for the job does not stay with the caller")
              .isFalse();
        }
      }
      assertThat(ranHere).as("runHere took one of 1,000 jobs").isTrue();
      assertThat(lanes.submit(0, () -> 7).get(10, TimeUnit.SECONDS)).isEqualTo(7);
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

  @Test
  void aJobRunHere_thatThrowsThreadDeath_losesTheLane_andTheCallingThreadGoesOn() throws Exception {
    try (WorkerLanes lanes = new WorkerLanes(1, "test-death-here")) {
      // the lane's thread must be parked on its empty queue first: a thread that is just starting
      // (or just finished a job) looks at the queue once more and would take the job itself
      assertThat(lanes.submit(0, () -> 1).get(10, TimeUnit.SECONDS)).isEqualTo(1);
      awaitParked("test-death-here-0");
      CompletableFuture<Object> dying =
          lanes.submit(
              0,
              () -> {
                throw new ThreadDeath();
              },
              false); // the lane's thread is not woken: this thread runs it
      assertThat(lanes.runHere(dying)).isTrue();
      assertThatThrownBy(() -> dying.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(WorkerLostException.class);
      assertThat(lanes.isAlive(0)).isFalse();
      assertThatThrownBy(() -> lanes.submit(0, () -> 1).get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(WorkerLostException.class);
    }
  }

  /** Waits until the thread of that name waits (on its lane's monitor), at most 10 s. */
  static void awaitParked(String name) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals(name)
            && (t.getState() == Thread.State.WAITING
                || t.getState() == Thread.State.TIMED_WAITING)) {
          return;
        }
      }
      Thread.sleep(1);
    }
    throw new AssertionError("thread " + name + " did not wait within 10 s");
  }
}
