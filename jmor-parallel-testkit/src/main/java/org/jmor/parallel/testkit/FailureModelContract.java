package org.jmor.parallel.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jmor.parallel.CallTimeoutException;
import org.jmor.parallel.PoolBuilder;
import org.jmor.parallel.RemoteObject;
import org.jmor.parallel.Task;
import org.jmor.parallel.WorkerLostException;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The failure model of a pool: bounded close, cancellation, worker loss, and continuations of async
 * futures. Each test opens and closes (or breaks) its own pool, so a backend whose pools are fixed
 * in size or cannot be reopened skips this suite through {@link #supportsFreshPools()}.
 *
 * <p>Tasks signal the test through static latches, so the suite needs workers in this JVM (threads,
 * strict threads, the loopback transport); a remote backend tests its own faults (killed processes,
 * lost ranks) in its own tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class FailureModelContract {
  /** Released by the test to end the tasks that block on it. */
  static volatile CountDownLatch release = new CountDownLatch(1);

  /** Counted down by a task when it starts. */
  static volatile CountDownLatch started = new CountDownLatch(1);

  /** Counted down by a task when it is interrupted. */
  static volatile CountDownLatch interrupted = new CountDownLatch(1);

  /** Creates the suite. */
  protected FailureModelContract() {}

  /**
   * Configures a builder for this backend (backend name, strict mode, backend properties); the
   * suite sets the number of workers and, where a test needs them, the deadlines.
   *
   * @param builder a new builder
   * @return the builder
   */
  protected abstract PoolBuilder configure(PoolBuilder builder);

  /** Whether the backend runs tasks in the calling thread (the sequential pool). Default false. */
  protected boolean runsOnCaller() {
    return false;
  }

  private WorkerPool createPool(int workers) {
    return configure(WorkerPools.builder()).workers(workers).build();
  }

  /** Whether every test may open a fresh pool and close or break it. Default true. */
  protected boolean supportsFreshPools() {
    return true;
  }

  @BeforeEach
  void resetLatches() {
    assumeFalse(!supportsFreshPools(), "this backend cannot open fresh pools per test");
    release = new CountDownLatch(1);
    started = new CountDownLatch(1);
    interrupted = new CountDownLatch(1);
  }

  @AfterEach
  void releaseTasks() {
    release.countDown();
  }

  private int workers() {
    return runsOnCaller() ? 1 : 2;
  }

  /** Blocks until released; counts an interrupt. Runs on the last worker only. */
  static Task<Boolean> blockOnLastWorker() {
    return (ctx, args) -> {
      if (ctx.workerIndex() != ctx.poolSize() - 1) {
        return false;
      }
      started.countDown();
      try {
        return release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
    };
  }

  @Test
  void close_withStuckTask_returnsWithinItsBoundAndInterruptsTheTask() throws Exception {
    assumeFalse(runsOnCaller(), "the sequential pool runs tasks in the calling thread");
    WorkerPool pool = createPool(workers());
    CompletableFuture<List<Boolean>> stuck = pool.applyAsync(blockOnLastWorker());
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> pool.close(Duration.ofMillis(300)));
    assertThat(interrupted.await(10, TimeUnit.SECONDS))
        .as("the stuck task is interrupted")
        .isTrue();
    assertThatThrownBy(() -> stuck.get(10, TimeUnit.SECONDS))
        .isInstanceOfAny(ExecutionException.class, CancellationException.class);
    assertThatThrownBy(() -> pool.apply(TestTasks.workerIndex()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void close_withTaskThatIgnoresInterrupts_stillReturnsWithinItsBound() throws Exception {
    assumeFalse(runsOnCaller(), "the sequential pool runs tasks in the calling thread");
    WorkerPool pool = createPool(workers());
    Task<Long> spin =
        (ctx, args) -> {
          started.countDown();
          long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
          long n = 0;
          while (System.nanoTime() < end) {
            n++; // ignores interrupts on purpose
          }
          return n;
        };
    pool.applyAsync(spin);
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> pool.close(Duration.ofMillis(200)));
  }

  @Test
  void cancelAsync_interruptsTheTaskItStarted_andThePoolStaysUsable() throws Exception {
    assumeFalse(runsOnCaller(), "the sequential pool runs tasks in the calling thread");
    try (WorkerPool pool = createPool(workers())) {
      CompletableFuture<List<Boolean>> f = pool.applyAsync(blockOnLastWorker());
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(f.cancel(true)).isTrue();
      assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("cancel(true) interrupts").isTrue();
      assertThat(pool.apply(TestTasks.workerIndex())).isEqualTo(List.of(0, 1));
    }
  }

  @Test
  void asyncContinuation_thatPushesAndRemoves_doesNotDeadlock() throws Exception {
    try (WorkerPool pool = createPool(workers())) {
      AtomicReference<String> thread = new AtomicReference<>();
      // the tasks wait until the continuation is attached, so that the future completes later, on
      // whatever thread completes it (on the sequential pool the task runs in this thread)
      Task<Integer> gated =
          (ctx, args) -> {
            if (!runsOnCallerFlag) {
              release.await(30, TimeUnit.SECONDS);
            }
            return ctx.workerIndex();
          };
      runsOnCallerFlag = runsOnCaller();
      CompletableFuture<List<Integer>> chained =
          pool.applyAsync(gated)
              .thenApply(
                  indices -> {
                    thread.set(Thread.currentThread().getName());
                    try (RemoteObject<List<Integer>> h = pool.push(indices)) {
                      return pool.apply((ctx, args) -> args.<List<Integer>>get(0).size(), h);
                    }
                  });
      release.countDown();
      assertThat(chained.get(30, TimeUnit.SECONDS)).containsOnly(workers());
      if (!runsOnCaller()) {
        assertThat(thread.get())
            .as("user-visible futures complete on the pool's own executor")
            .contains("-callback-")
            .doesNotContain("worker");
      }
    }
  }

  /** Whether the pool under test runs tasks in the caller's thread (read by in-process tasks). */
  static volatile boolean runsOnCallerFlag;

  @Test
  void killedWorker_breaksThePoolWithWorkerLostException_andCloseStillCleansUp() {
    assumeFalse(runsOnCaller(), "the sequential pool has no worker thread of its own");
    WorkerPool pool = createPool(workers());
    Task<Integer> killLast =
        (ctx, args) -> {
          if (ctx.workerIndex() == ctx.poolSize() - 1) {
            throw new ThreadDeath(); // what Thread.stop delivers: the worker's thread dies
          }
          return ctx.workerIndex();
        };
    assertThatThrownBy(() -> pool.apply(killLast))
        .isInstanceOfSatisfying(
            WorkerLostException.class, e -> assertThat(e.worker()).isEqualTo(workers() - 1))
        .hasMessageContaining("worker " + (workers() - 1));
    assertThat(pool.isBroken()).isTrue();
    assertThat(pool.toString()).contains("broken");
    assertThatThrownBy(() -> pool.apply(TestTasks.workerIndex()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("broken")
        .hasCauseInstanceOf(WorkerLostException.class);
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> pool.close());
  }

  @Test
  void killedWorker_failsTheCallAtOnce_withoutWaitingForTheOthers() {
    assumeFalse(runsOnCaller(), "the sequential pool has no worker thread of its own");
    WorkerPool pool = createPool(workers());
    Task<Boolean> firstBlocksLastDies =
        (ctx, args) -> {
          if (ctx.workerIndex() == ctx.poolSize() - 1) {
            throw new ThreadDeath();
          }
          return release.await(60, TimeUnit.SECONDS);
        };
    try {
      assertTimeoutPreemptively(
          Duration.ofSeconds(20),
          () ->
              assertThatThrownBy(() -> pool.apply(firstBlocksLastDies))
                  .isInstanceOf(WorkerLostException.class));
      assertThat(pool.isBroken()).isTrue();
    } finally {
      release.countDown();
      assertTimeoutPreemptively(Duration.ofSeconds(10), () -> pool.close());
    }
  }

  @Test
  void killedWorker_failsTheAsyncCallAtOnce_withoutWaitingForTheOthers() {
    assumeFalse(runsOnCaller(), "the sequential pool has no worker thread of its own");
    WorkerPool pool = createPool(workers());
    Task<Boolean> firstBlocksLastDies =
        (ctx, args) -> {
          if (ctx.workerIndex() == ctx.poolSize() - 1) {
            throw new ThreadDeath();
          }
          return release.await(60, TimeUnit.SECONDS);
        };
    try {
      assertTimeoutPreemptively(
          Duration.ofSeconds(20),
          () ->
              assertThatThrownBy(() -> pool.applyAsync(firstBlocksLastDies).get())
                  .isInstanceOf(ExecutionException.class)
                  .cause()
                  .isInstanceOf(WorkerLostException.class));
      assertThat(pool.isBroken()).isTrue();
    } finally {
      release.countDown();
      assertTimeoutPreemptively(Duration.ofSeconds(10), () -> pool.close());
    }
  }

  @Test
  void interruptedCaller_getsCancellationWithTheFlagRestored_onEveryPool() {
    try (WorkerPool pool = createPool(workers())) {
      Task<Boolean> interruptsCaller =
          (ctx, args) -> {
            Thread.currentThread().interrupt();
            Thread.sleep(10);
            return true;
          };
      if (runsOnCaller()) {
        assertThatThrownBy(() -> pool.apply(interruptsCaller))
            .isInstanceOf(CancellationException.class)
            .hasCauseInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).as("the interrupt flag is restored").isTrue();
      } else {
        Thread.currentThread().interrupt();
        try {
          assertThatThrownBy(() -> pool.apply(blockOnLastWorker()))
              .isInstanceOf(CancellationException.class)
              .hasCauseInstanceOf(InterruptedException.class);
          assertThat(Thread.interrupted()).as("the interrupt flag is restored").isTrue();
        } finally {
          Thread.interrupted();
          release.countDown();
        }
      }
      assertThat(pool.apply(TestTasks.workerIndex())).hasSize(workers());
    }
  }

  @Test
  void callDeadline_interruptsLateTasks_namesTheLateWorkers_andThePoolStaysUsable() {
    assumeFalse(runsOnCaller(), "the sequential pool runs tasks in the calling thread");
    try (WorkerPool pool =
        configure(WorkerPools.builder())
            .workers(workers())
            .timeout(Duration.ofMillis(300))
            .build()) {
      assertThatThrownBy(() -> pool.apply(blockOnLastWorker()))
          .isInstanceOfSatisfying(
              CallTimeoutException.class,
              e -> {
                assertThat(e.workers()).containsExactly(workers() - 1);
                assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
              })
          .hasMessageContaining("apply");
      assertThat(awaitQuietly(interrupted)).as("the late task is interrupted").isTrue();
      assertThat(pool.isBroken()).isFalse();
      assertThat(pool.apply(TestTasks.workerIndex())).isEqualTo(List.of(0, 1));
    }
  }

  @Test
  void callDeadline_alsoBoundsAsyncCalls() throws Exception {
    assumeFalse(runsOnCaller(), "the sequential pool runs tasks in the calling thread");
    try (WorkerPool pool =
        configure(WorkerPools.builder())
            .workers(workers())
            .timeout(Duration.ofMillis(300))
            .build()) {
      CompletableFuture<List<Boolean>> f = pool.applyAsync(blockOnLastWorker());
      assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(CallTimeoutException.class);
      assertThat(awaitQuietly(interrupted)).as("the late task is interrupted").isTrue();
    }
  }

  @Test
  void configuredCloseTimeout_boundsPlainClose() throws Exception {
    assumeFalse(runsOnCaller(), "the sequential pool runs tasks in the calling thread");
    WorkerPool pool =
        configure(WorkerPools.builder())
            .workers(workers())
            .closeTimeout(Duration.ofMillis(200))
            .build();
    pool.applyAsync(blockOnLastWorker());
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> pool.close());
    assertThat(awaitQuietly(interrupted)).isTrue();
  }

  private static boolean awaitQuietly(CountDownLatch latch) {
    try {
      return latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void pools_nameThemselvesUniquely() {
    try (WorkerPool a = createPool(workers());
        WorkerPool b = createPool(workers())) {
      assertThat(a.toString()).isNotEqualTo(b.toString()).contains("#").contains(a.backend());
      try (RemoteObject<Integer> h = b.push(1)) {
        assertThatThrownBy(() -> a.apply(TestTasks.workerIndex(), h))
            .hasMessageContaining(a.toString())
            .hasMessageContaining(b.toString());
      }
    }
  }
}
