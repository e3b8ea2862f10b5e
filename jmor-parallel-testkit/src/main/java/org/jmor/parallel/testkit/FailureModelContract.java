package org.jmor.parallel.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jmor.parallel.CallTimeoutException;
import org.jmor.parallel.MapTask;
import org.jmor.parallel.OnWorkerLoss;
import org.jmor.parallel.PoolBuilder;
import org.jmor.parallel.PoolConfig;
import org.jmor.parallel.RemoteObject;
import org.jmor.parallel.Scatter;
import org.jmor.parallel.Task;
import org.jmor.parallel.WorkerLostException;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * The failure model of a pool: bounded close (also with a task that ignores interrupts), call
 * deadlines, cancellation, a worker killed during {@code apply} and during {@code map}, a frozen
 * worker, no worker process left after close, and continuations of async futures. The bounds: a
 * call past its deadline fails with {@link CallTimeoutException} within 5 s; close returns within
 * 5–10 s even when a task ignores interrupts; a killed worker fails the running {@code apply},
 * {@code applyAsync} or {@code map} within 5 s of the kill with a {@link WorkerLostException}
 * naming it, breaks the pool, and {@code close()} returns within 10 s; on a pool that {@linkplain
 * OnWorkerLoss#SHRINK shrinks} (3 workers) the call completes on the survivors instead ({@code map}
 * with the sequential pool's results, {@code apply} with the survivors', {@code applyOnly} to the
 * lost worker fails), later calls use the survivors, a pushed handle stays valid, a plainly
 * scattered one fails naming the lost slice, a recoverable one is complete again, and losing the
 * last worker breaks the pool; a frozen worker fails the call within 10 s; no worker process
 * outlives close by more than 10 s. Each test opens and closes (or breaks) its own pool, so a
 * backend whose pools cannot be reopened skips this suite through {@link #supportsFreshPools()};
 * the tests that harm no worker may open theirs on workers shared between tests ({@link
 * #configureShared(PoolBuilder)}).
 *
 * <p>Tasks signal the test through files ({@link FileSignals}: a directory whose path travels in
 * the tasks' arguments; a task raises "started" by creating a file and waits for "release" by
 * polling for one), never through static latches, so the suite runs against workers in other
 * processes as well as in this JVM, as long as they share this host's file system. Every test is
 * bounded (60 s for the class, tighter preemptive bounds inside).
 *
 * <h2>How to run this on your backend</h2>
 *
 * <pre>{@code
 * class ProcessPoolFailureModelTest extends FailureModelContract {
 *   protected PoolBuilder configure(PoolBuilder b) { return b.backend("processes"); }
 *   // the worker processes of a pool, in worker order: enables SIGKILL, SIGSTOP and the
 *   // "no process left after close" check with the default hooks
 *   protected List<ProcessHandle> workerProcesses(WorkerPool pool) { return ...; }
 *   // without heartbeats, a frozen worker is caught by a call deadline (the default)
 *   protected FreezeDetection freezeDetection() { return FreezeDetection.CALL_TIMEOUT; }
 * }
 * }</pre>
 *
 * The hooks and their defaults:
 *
 * <ul>
 *   <li>{@link #configure(PoolBuilder)} (required): backend name, strict mode, properties; the
 *       suite sets the worker count and, where a test needs them, the deadlines.
 *   <li>{@link #configureShared(PoolBuilder)}: the same for the tests that neither kill nor freeze
 *       a worker nor count processes (default: {@link #configure(PoolBuilder)}); a backend with
 *       slow-starting workers may start them once and open these tests' pools on them.
 *   <li>{@link #workers()}: the pool size the suite asks for (default 2; 1 for {@link
 *       #runsOnCaller()}); a fixed-size backend returns its size. The last worker is the one the
 *       tests block, kill and freeze; the others block too where a test needs a call that would
 *       otherwise wait for them.
 *   <li>{@link #workerProcesses(WorkerPool)}: the pool's worker processes in worker order (default
 *       none: workers are threads of this JVM). With processes, the default {@link #killWorker}
 *       SIGKILLs ({@link ProcessHandle#destroyForcibly()}), {@link #freezeWorker} sends SIGSTOP and
 *       {@link #thawWorker} SIGCONT to the worker's process, and the suite checks that none is left
 *       after close.
 *   <li>{@link #killWorker(WorkerPool, int)}, {@link #freezeWorker(WorkerPool, int)}, {@link
 *       #thawWorker(WorkerPool, int)}: override where a worker is not one process (an MPI rank in
 *       the caller's process, a node shared by pools); skip with an assumption where impossible.
 *       Without processes, a kill makes the suite's task that runs on the worker throw {@link
 *       ThreadDeath}, which ends the lane's thread as a crash would, and a freeze skips the test.
 *       The suite thaws every frozen worker after each test.
 *   <li>{@link #freezeDetection()}: how the backend notices a frozen worker: its own failure
 *       detection ({@link FreezeDetection#FAILURE_DETECTOR}, a {@link WorkerLostException}), a call
 *       deadline ({@link FreezeDetection#CALL_TIMEOUT}, the default: the suite sets one), or not at
 *       all ({@link FreezeDetection#NONE}: skipped).
 *   <li>{@link #runsOnCaller()} (the sequential pool) and {@link #supportsFreshPools()}.
 *   <li>{@link #supportsShrink()}: whether the backend supports {@link OnWorkerLoss#SHRINK}
 *       (default true); if not, the suite checks that such a pool is refused with a clear message.
 *   <li>{@link #createSignals()}: where the signal files live (default: the temporary directory).
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class FailureModelContract {
  /** How long a task waits for "release" before it gives up (tasks never outlive this). */
  private static final Duration TASK_WAIT = Duration.ofSeconds(60);

  /** The signals of the running test (set before each test). */
  private FileSignals signals;

  /** Every signal directory, deleted after the class (tasks of a test may still poll). */
  private final List<FileSignals> allSignals = new ArrayList<>();

  /** Workers frozen by the running test, thawed after it. */
  private final List<Object[]> frozen = new ArrayList<>();

  /** How a backend notices a frozen (stopped, unresponsive) worker. */
  public enum FreezeDetection {
    /** The backend's own failure detection fails the call with a {@link WorkerLostException}. */
    FAILURE_DETECTOR,
    /** Only a call deadline ends the call, with a {@link CallTimeoutException}. */
    CALL_TIMEOUT,
    /** Nothing ends the call: the frozen-worker test is skipped. */
    NONE
  }

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

  /**
   * Configures a builder for a test that neither kills nor freezes a worker nor checks that close
   * ends the worker processes (the tests of stuck tasks, tasks that ignore interrupts, deadlines,
   * cancellation, bounded close, continuations and pool names). Each such test still opens and
   * closes a pool of its own, but a backend whose workers are slow to start may put these pools on
   * workers that it starts once and shares between tests (several pools on one cluster), as long as
   * closing such a pool ends its running tasks ({@link #workerProcesses} then returns no process
   * for it, so the suite waits for the stuck task's interrupt, not for its process to end).
   * Default: {@link #configure(PoolBuilder)}.
   *
   * @param builder a new builder
   * @return the builder
   */
  protected PoolBuilder configureShared(PoolBuilder builder) {
    return configure(builder);
  }

  /** Whether the backend runs tasks in the calling thread (the sequential pool). Default false. */
  protected boolean runsOnCaller() {
    return false;
  }

  /**
   * Whether the backend supports {@link OnWorkerLoss#SHRINK}. Default true; a backend that does not
   * returns false, and the suite checks that it refuses such a pool with a message naming the key.
   *
   * @return whether pools of this backend may shrink
   */
  protected boolean supportsShrink() {
    return true;
  }

  /** Whether every test may open a fresh pool and close or break it. Default true. */
  protected boolean supportsFreshPools() {
    return true;
  }

  /**
   * The number of workers of the suite's pools: default 2 (1 if {@link #runsOnCaller()}); a
   * fixed-size backend returns its size.
   *
   * @return at least 1
   */
  protected int workers() {
    return runsOnCaller() ? 1 : 2;
  }

  /**
   * Returns the processes of a pool's workers, in worker order (element {@code i} is worker {@code
   * i}'s process), for the default kill and freeze hooks and the check that close leaves none.
   * Default: none, for backends whose workers are threads of this JVM. A backend with some workers
   * in the caller's process (MPI's rank 0) lists the others only and overrides the kill and freeze
   * hooks, which index this list by worker.
   *
   * @param pool a pool of this backend
   * @return the processes, or an empty list
   */
  protected List<ProcessHandle> workerProcesses(WorkerPool pool) {
    return List.of();
  }

  /**
   * Kills worker {@code worker} of {@code pool} while one of the suite's tasks runs on it, as a
   * crash would. The default SIGKILLs the worker's process ({@link #workerProcesses}); without
   * processes it raises the signal that the suite's running task polls for, and the task throws
   * {@link ThreadDeath}, which ends its lane's thread. May skip the test with an assumption.
   *
   * @param pool the pool
   * @param worker the worker index
   */
  protected void killWorker(WorkerPool pool, int worker) {
    List<ProcessHandle> processes = workerProcesses(pool);
    if (processes.isEmpty()) {
      signals.raise(killSignal(worker));
    } else {
      processes.get(worker).destroyForcibly();
    }
  }

  /**
   * Freezes worker {@code worker} of {@code pool}: it stays alive but answers nothing (as a
   * stopped, swapping or partitioned process). The default sends SIGSTOP to the worker's process
   * ({@link #workerProcesses}); without processes it skips the test, since a thread of this JVM
   * cannot be stopped from outside. The suite calls {@link #thawWorker} after the test.
   *
   * @param pool the pool
   * @param worker the worker index
   */
  protected void freezeWorker(WorkerPool pool, int worker) {
    List<ProcessHandle> processes = workerProcesses(pool);
    assumeFalse(
        processes.isEmpty(),
        "the workers of this backend are threads of the test's JVM: they cannot be frozen");
    signalProcess(processes.get(worker), "STOP");
  }

  /**
   * Undoes {@link #freezeWorker} (also for a worker that was killed meanwhile). The default sends
   * SIGCONT to the worker's process, if any.
   *
   * @param pool the pool
   * @param worker the worker index
   */
  protected void thawWorker(WorkerPool pool, int worker) {
    List<ProcessHandle> processes = workerProcesses(pool);
    if (!processes.isEmpty() && processes.get(worker).isAlive()) {
      signalProcess(processes.get(worker), "CONT");
    }
  }

  /**
   * How the backend notices a frozen worker; default {@link FreezeDetection#CALL_TIMEOUT}.
   *
   * @return the way, or {@link FreezeDetection#NONE} to skip the frozen-worker test
   */
  protected FreezeDetection freezeDetection() {
    return FreezeDetection.CALL_TIMEOUT;
  }

  /**
   * Creates the signal directory of a test. The default makes one under the JVM's temporary
   * directory; a backend whose workers do not see this host's file system returns one in a shared
   * directory ({@link FileSignals#create(java.nio.file.Path)}).
   *
   * @return new signals
   */
  protected FileSignals createSignals() {
    return FileSignals.create();
  }

  /**
   * Returns a process's whole command line, program first: from {@code /proc/<pid>/cmdline} on
   * Linux ({@link ProcessHandle.Info#arguments()} is empty there when the command line is longer
   * than 4096 bytes, as a JVM's with a long class path is), else from {@link ProcessHandle.Info}.
   *
   * @param process the process
   * @return its command line; empty if it cannot be read
   */
  protected static List<String> commandLine(ProcessHandle process) {
    java.nio.file.Path proc =
        java.nio.file.Path.of("/proc", Long.toString(process.pid()), "cmdline");
    try {
      String all =
          new String(
              java.nio.file.Files.readAllBytes(proc), java.nio.charset.StandardCharsets.UTF_8);
      if (!all.isEmpty()) {
        return List.of(all.split("\u0000"));
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the process is gone
    }
    List<String> out = new ArrayList<>();
    process.info().command().ifPresent(out::add);
    process.info().arguments().ifPresent(a -> out.addAll(List.of(a)));
    return out;
  }

  /**
   * Sends a POSIX signal to a process with {@code kill}.
   *
   * @param process the process
   * @param signal the signal's name, for example {@code "STOP"}
   */
  protected static void signalProcess(ProcessHandle process, String signal) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
              .redirectErrorStream(true)
              .start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).as("kill -%s ran", signal).isTrue();
      assertThat(kill.exitValue()).as("kill -%s %d", signal, process.pid()).isZero();
    } catch (IOException e) {
      assumeTrue(false, "cannot run kill -" + signal + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending SIG" + signal, e);
    }
  }

  private WorkerPool createPool(int workers) {
    return configure(WorkerPools.builder()).workers(workers).build();
  }

  /** A pool for a test that harms no worker ({@link #configureShared}). */
  private WorkerPool createSharedPool(int workers) {
    return configureShared(WorkerPools.builder()).workers(workers).build();
  }

  @BeforeEach
  void freshSignals() {
    assumeTrue(supportsFreshPools(), "this backend cannot open fresh pools per test");
    signals = createSignals();
    allSignals.add(signals);
  }

  @AfterEach
  void releaseTasksAndThaw() {
    if (signals != null) {
      signals.raise("release");
    }
    for (Object[] f : frozen) {
      try {
        thawWorker((WorkerPool) f[0], (Integer) f[1]);
      } catch (RuntimeException e) {
        // the worker may be gone
      }
    }
    frozen.clear();
  }

  @AfterAll
  void deleteSignals() {
    for (FileSignals s : allSignals) {
      s.close();
    }
  }

  private int last() {
    return workers() - 1;
  }

  private List<Integer> indices() {
    return IntStream.range(0, workers()).boxed().collect(Collectors.toList());
  }

  private static String killSignal(int worker) {
    return "kill-" + worker;
  }

  /**
   * Blocks on the last worker until "release" (argument 0: the signal directory); raises "started"
   * when it starts and "interrupted" when interrupted. The other workers return false at once.
   */
  static Task<Boolean> blockOnLastWorker() {
    return (ctx, args) -> {
      if (ctx.workerIndex() != ctx.poolSize() - 1) {
        return false;
      }
      String dir = args.get(0);
      FileSignals.raise(dir, "started");
      try {
        return FileSignals.await(dir, "release", TASK_WAIT);
      } catch (InterruptedException e) {
        FileSignals.raise(dir, "interrupted");
        throw e;
      }
    };
  }

  /**
   * The body of the killable tasks: raises "started-i" on worker i, then waits until "release"
   * (returns true) or "kill-i" (throws {@link ThreadDeath}, ending the lane's thread).
   */
  static boolean blockUntilReleasedOrKilled(String dir, int worker) throws InterruptedException {
    FileSignals.raise(dir, "started-" + worker);
    long deadline = System.nanoTime() + TASK_WAIT.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (FileSignals.isRaised(dir, "release")) {
        return true;
      }
      if (FileSignals.isRaised(dir, killSignal(worker))) {
        throw new ThreadDeath(); // what Thread.stop delivers: the worker's thread dies
      }
      TimeUnit.MILLISECONDS.sleep(5);
    }
    return false;
  }

  /** On every worker, {@link #blockUntilReleasedOrKilled}; argument 0 is the signal directory. */
  static Task<Boolean> killable() {
    return (ctx, args) -> blockUntilReleasedOrKilled(args.get(0), ctx.workerIndex());
  }

  /** Per element, {@link #blockUntilReleasedOrKilled}; argument 0 is the signal directory. */
  static MapTask<Integer, Boolean> killableElement() {
    return (ctx, element, args) -> blockUntilReleasedOrKilled(args.get(0), ctx.workerIndex());
  }

  private boolean awaitSignal(String name, Duration timeout) {
    try {
      return signals.await(name, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Calls the pool until every worker answered within the pool's deadline: a fresh worker JVM may
   * need seconds for its first call (class loading, no JIT yet), which is not what a deadline test
   * is about.
   */
  private void warmUp(WorkerPool pool) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        assertThat(pool.apply(TestTasks.workerIndex())).isEqualTo(indices());
        return;
      } catch (CallTimeoutException e) {
        if (System.nanoTime() - deadline >= 0) {
          throw e;
        }
      }
    }
  }

  /**
   * Waits until the stuck task ended after close: interrupted ("interrupted" raised), or, for
   * workers in processes of their own, ended with its process.
   */
  private void assertStuckTaskEnded(List<ProcessHandle> processes) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!signals.isRaised("interrupted")
        && (processes.isEmpty() || processes.stream().anyMatch(ProcessHandle::isAlive))) {
      if (System.nanoTime() - deadline >= 0) {
        throw new AssertionError(
            "the stuck task was neither interrupted nor ended with its process within 10 s of"
                + " close");
      }
      try {
        TimeUnit.MILLISECONDS.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  @Test
  void close_withStuckTask_returnsWithinItsBound_andEndsTheTask() throws Exception {
    assumeFalse(runsOnCaller(), "the sequential pool runs tasks in the calling thread");
    WorkerPool pool = createSharedPool(workers());
    List<ProcessHandle> processes = workerProcesses(pool);
    CompletableFuture<List<Boolean>> stuck = pool.applyAsync(blockOnLastWorker(), signals.path());
    assertThat(awaitSignal("started", Duration.ofSeconds(30))).isTrue();
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> pool.close(Duration.ofMillis(300)));
    assertStuckTaskEnded(processes);
    assertThatThrownBy(() -> stuck.get(10, TimeUnit.SECONDS))
        .isInstanceOfAny(ExecutionException.class, CancellationException.class);
    assertThatThrownBy(() -> pool.apply(TestTasks.workerIndex()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void close_withTaskThatIgnoresInterrupts_stillReturnsWithinItsBound() throws Exception {
    assumeFalse(runsOnCaller(), "the sequential pool runs tasks in the calling thread");
    WorkerPool pool = createSharedPool(workers());
    Task<Boolean> spin =
        (ctx, args) -> {
          String dir = args.get(0);
          FileSignals.raise(dir, "started-" + ctx.workerIndex());
          // ignores interrupts on purpose; the test releases it after its checks
          return FileSignals.awaitIgnoringInterrupts(dir, "release", Duration.ofSeconds(30));
        };
    pool.applyAsync(spin, signals.path());
    assertThat(awaitSignal("started-" + last(), Duration.ofSeconds(30))).isTrue();
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> pool.close(Duration.ofMillis(200)));
  }

  @Test
  void cancelAsync_interruptsTheTaskItStarted_andThePoolStaysUsable() throws Exception {
    assumeFalse(runsOnCaller(), "the sequential pool runs tasks in the calling thread");
    try (WorkerPool pool = createSharedPool(workers())) {
      CompletableFuture<List<Boolean>> f = pool.applyAsync(blockOnLastWorker(), signals.path());
      assertThat(awaitSignal("started", Duration.ofSeconds(30))).isTrue();
      assertThat(f.cancel(true)).isTrue();
      assertThat(awaitSignal("interrupted", Duration.ofSeconds(10)))
          .as("cancel(true) interrupts")
          .isTrue();
      assertThat(pool.isBroken()).isFalse();
      assertThat(pool.apply(TestTasks.workerIndex())).isEqualTo(indices());
    }
  }

  @Test
  void asyncContinuation_thatPushesAndRemoves_doesNotDeadlock() throws Exception {
    try (WorkerPool pool = createSharedPool(workers())) {
      AtomicReference<String> thread = new AtomicReference<>();
      // the tasks wait until the continuation is attached, so that the future completes later, on
      // whatever thread completes it (on the sequential pool the task runs in this thread)
      Task<Integer> gated =
          (ctx, args) -> {
            if (args.<Boolean>get(1)) {
              FileSignals.await(args.get(0), "release", Duration.ofSeconds(30));
            }
            return ctx.workerIndex();
          };
      CompletableFuture<List<Integer>> chained =
          pool.applyAsync(gated, signals.path(), !runsOnCaller())
              .thenApply(
                  indices -> {
                    thread.set(Thread.currentThread().getName());
                    try (RemoteObject<List<Integer>> h = pool.push(indices)) {
                      return pool.apply((ctx, args) -> args.<List<Integer>>get(0).size(), h);
                    }
                  });
      signals.raise("release");
      assertThat(chained.get(30, TimeUnit.SECONDS)).containsOnly(workers());
      if (!runsOnCaller()) {
        assertThat(thread.get())
            .as("user-visible futures complete on the pool's own executor")
            .contains("-callback-")
            .doesNotContain("worker");
      }
    }
  }

  /**
   * Runs {@code call} in this thread while another thread kills the last worker as soon as the
   * suite's task started on it; returns the call's exception and checks that it came within 5 s of
   * the kill.
   */
  private Throwable failureWhenLastWorkerIsKilled(WorkerPool pool, Executable call)
      throws Exception {
    int victim = last();
    AtomicLong killedAt = new AtomicLong();
    AtomicReference<Throwable> killError = new AtomicReference<>();
    Thread killer =
        new Thread(
            () -> {
              try {
                if (signals.await("started-" + victim, Duration.ofSeconds(30))) {
                  killedAt.set(System.nanoTime());
                  killWorker(pool, victim);
                }
              } catch (Throwable t) {
                killError.set(t);
                signals.raise("release"); // lets the call end
              }
            },
            "failure-model-killer");
    killer.start();
    Throwable failure =
        assertTimeoutPreemptively(
            Duration.ofSeconds(40),
            () -> {
              try {
                call.execute();
                return null;
              } catch (Throwable t) {
                return t;
              }
            },
            "the call must fail once the worker is killed");
    long failedAt = System.nanoTime();
    killer.join(10_000);
    if (killError.get() != null) {
      if (killError.get() instanceof org.opentest4j.TestAbortedException) {
        throw (org.opentest4j.TestAbortedException) killError.get();
      }
      throw new AssertionError("killWorker failed", killError.get());
    }
    assertThat(killedAt.get()).as("the worker was killed").isNotZero();
    assertThat(Duration.ofNanos(failedAt - killedAt.get()))
        .as("the call fails within 5 s of the kill")
        .isLessThan(Duration.ofSeconds(5));
    assertThat(failure).as("the call failed").isNotNull();
    return failure;
  }

  /** Checks the broken pool, closes it promptly and checks that no worker process is left. */
  private void assertBrokenAndCleanedUp(WorkerPool pool, List<ProcessHandle> processes) {
    int victim = last();
    assertThat(pool.isBroken()).isTrue();
    assertThat(pool.toString()).contains("broken");
    assertThatThrownBy(() -> pool.apply(TestTasks.workerIndex()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("broken")
        .hasCauseInstanceOf(WorkerLostException.class)
        .cause()
        .hasMessageContaining("worker " + victim);
    signals.raise("release");
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> pool.close());
    assertNoProcessLeft(processes);
  }

  private static void assertNoProcessLeft(List<ProcessHandle> processes) {
    for (ProcessHandle p : processes) {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // checked below
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      assertThat(p.isAlive()).as("worker process %d is gone after close", p.pid()).isFalse();
    }
  }

  private static void assertLost(Throwable failure, int victim) {
    assertThat(failure)
        .isInstanceOfSatisfying(
            WorkerLostException.class, e -> assertThat(e.worker()).isEqualTo(victim))
        .hasMessageContaining("worker " + victim);
  }

  private void assumeKillable() {
    assumeFalse(runsOnCaller(), "the sequential pool has no worker of its own");
  }

  @Test
  void killedWorkerDuringApply_failsTheCallWithin5s_namingIt_andCloseCleansUp() throws Exception {
    assumeKillable();
    WorkerPool pool = createPool(workers());
    List<ProcessHandle> processes = workerProcesses(pool);
    try {
      Throwable failure =
          failureWhenLastWorkerIsKilled(pool, () -> pool.apply(killable(), signals.path()));
      assertLost(failure, last());
      assertBrokenAndCleanedUp(pool, processes);
    } finally {
      signals.raise("release");
      pool.close(Duration.ofSeconds(2));
    }
  }

  @Test
  void killedWorkerDuringAsyncApply_failsTheFutureWithin5s_namingIt() throws Exception {
    assumeKillable();
    WorkerPool pool = createPool(workers());
    List<ProcessHandle> processes = workerProcesses(pool);
    try {
      Throwable failure =
          failureWhenLastWorkerIsKilled(
              pool, () -> pool.applyAsync(killable(), signals.path()).get(30, TimeUnit.SECONDS));
      assertThat(failure).isInstanceOf(ExecutionException.class);
      assertLost(failure.getCause(), last());
      assertBrokenAndCleanedUp(pool, processes);
    } finally {
      signals.raise("release");
      pool.close(Duration.ofSeconds(2));
    }
  }

  @Test
  void killedWorkerDuringMap_failsTheCallWithin5s_namingIt_andCloseCleansUp() throws Exception {
    assumeKillable();
    WorkerPool pool = createPool(workers());
    List<ProcessHandle> processes = workerProcesses(pool);
    List<Integer> elements = IntStream.range(0, 2 * workers()).boxed().collect(Collectors.toList());
    try {
      Throwable failure =
          failureWhenLastWorkerIsKilled(
              pool, () -> pool.map(killableElement(), elements, signals.path()));
      assertLost(failure, last());
      assertBrokenAndCleanedUp(pool, processes);
    } finally {
      signals.raise("release");
      pool.close(Duration.ofSeconds(2));
    }
  }

  @Test
  void frozenWorker_failsTheCallWithin10s() throws Exception {
    assumeKillable();
    FreezeDetection detection = freezeDetection();
    assumeFalse(
        detection == FreezeDetection.NONE,
        "this backend neither detects a frozen worker nor has call deadlines");
    PoolBuilder builder = configure(WorkerPools.builder()).workers(workers());
    if (detection == FreezeDetection.CALL_TIMEOUT) {
      builder = builder.timeout(Duration.ofSeconds(2));
    }
    WorkerPool pool = builder.build();
    int victim = last();
    try {
      warmUp(pool);
      freezeWorker(pool, victim);
      frozen.add(new Object[] {pool, victim});
      long start = System.nanoTime();
      Throwable failure =
          assertTimeoutPreemptively(
              Duration.ofSeconds(20),
              () -> {
                try {
                  pool.apply(TestTasks.workerIndex());
                  return null;
                } catch (Throwable t) {
                  return t;
                }
              });
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("the call fails within 10 s")
          .isLessThan(Duration.ofSeconds(10));
      if (detection == FreezeDetection.CALL_TIMEOUT) {
        assertThat(failure)
            .isInstanceOfSatisfying(
                CallTimeoutException.class, e -> assertThat(e.workers()).contains(victim));
      } else {
        assertLost(failure, victim);
      }
    } finally {
      for (Object[] f : frozen) {
        thawWorker((WorkerPool) f[0], (Integer) f[1]);
      }
      frozen.clear();
      List<ProcessHandle> processes = workerProcesses(pool);
      assertTimeoutPreemptively(Duration.ofSeconds(10), () -> pool.close(Duration.ofSeconds(2)));
      assertNoProcessLeft(processes);
    }
  }

  @Test
  void close_leavesNoWorkerProcess() {
    WorkerPool pool = createPool(workers());
    List<ProcessHandle> processes;
    try {
      processes = workerProcesses(pool);
      assumeFalse(processes.isEmpty(), "the workers of this backend are threads of the test's JVM");
      assertThat(processes).allMatch(ProcessHandle::isAlive);
      assertThat(pool.apply(TestTasks.workerIndex())).isEqualTo(indices());
    } finally {
      assertTimeoutPreemptively(Duration.ofSeconds(10), () -> pool.close());
    }
    assertNoProcessLeft(processes);
  }

  @Test
  void interruptedCaller_getsCancellationWithTheFlagRestored_onEveryPool() {
    try (WorkerPool pool = createSharedPool(workers())) {
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
          assertThatThrownBy(() -> pool.apply(blockOnLastWorker(), signals.path()))
              .isInstanceOf(CancellationException.class)
              .hasCauseInstanceOf(InterruptedException.class);
          assertThat(Thread.interrupted()).as("the interrupt flag is restored").isTrue();
        } finally {
          Thread.interrupted();
          signals.raise("release");
        }
      }
      assertThat(pool.apply(TestTasks.workerIndex())).hasSize(workers());
    }
  }

  @Test
  void callDeadline_failsTheStuckCallInTime_interruptsIt_namesTheLateWorker_andThePoolGoesOn() {
    assumeFalse(runsOnCaller(), "the sequential pool runs tasks in the calling thread");
    try (WorkerPool pool =
        configureShared(WorkerPools.builder())
            .workers(workers())
            .timeout(Duration.ofSeconds(1))
            .build()) {
      warmUp(pool);
      long start = System.nanoTime();
      assertTimeoutPreemptively(
          Duration.ofSeconds(20),
          () ->
              assertThatThrownBy(() -> pool.apply(blockOnLastWorker(), signals.path()))
                  .isInstanceOfSatisfying(
                      CallTimeoutException.class,
                      e -> {
                        assertThat(e.workers()).containsExactly(last());
                        assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(1));
                      })
                  .hasMessageContaining("apply"));
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("the call fails soon after its deadline")
          .isLessThan(Duration.ofSeconds(5));
      assertThat(awaitSignal("interrupted", Duration.ofSeconds(10)))
          .as("the late task is interrupted")
          .isTrue();
      assertThat(pool.isBroken()).isFalse();
      assertThat(pool.apply(TestTasks.workerIndex())).isEqualTo(indices());
    }
  }

  @Test
  void callDeadline_alsoBoundsAsyncCalls() throws Exception {
    assumeFalse(runsOnCaller(), "the sequential pool runs tasks in the calling thread");
    try (WorkerPool pool =
        configureShared(WorkerPools.builder())
            .workers(workers())
            .timeout(Duration.ofSeconds(1))
            .build()) {
      warmUp(pool);
      CompletableFuture<List<Boolean>> f = pool.applyAsync(blockOnLastWorker(), signals.path());
      assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(CallTimeoutException.class);
      assertThat(awaitSignal("interrupted", Duration.ofSeconds(10)))
          .as("the late task is interrupted")
          .isTrue();
    }
  }

  @Test
  void configuredCloseTimeout_boundsPlainClose() throws Exception {
    assumeFalse(runsOnCaller(), "the sequential pool runs tasks in the calling thread");
    WorkerPool pool =
        configureShared(WorkerPools.builder())
            .workers(workers())
            .closeTimeout(Duration.ofMillis(200))
            .build();
    List<ProcessHandle> processes = workerProcesses(pool);
    pool.applyAsync(blockOnLastWorker(), signals.path());
    assertThat(awaitSignal("started", Duration.ofSeconds(30))).isTrue();
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> pool.close());
    assertStuckTaskEnded(processes);
  }

  @Test
  void pools_nameThemselvesUniquely() {
    try (WorkerPool a = createSharedPool(workers());
        WorkerPool b = createSharedPool(workers())) {
      assertThat(a.toString()).isNotEqualTo(b.toString()).contains("#").contains(a.backend());
      try (RemoteObject<Integer> h = b.push(1)) {
        assertThatThrownBy(() -> a.apply(TestTasks.workerIndex(), h))
            .hasMessageContaining(a.toString())
            .hasMessageContaining(b.toString());
      }
    }
  }

  // ------------------------------------------------------------------ shrinking pools

  /** The size of the suite's shrinking pools: 3, so that two workers survive a loss. */
  private static final int SHRINK_WORKERS = 3;

  /** The worker the shrink tests kill: the middle one, so that it has neighbours on both sides. */
  private static final int VICTIM = 1;

  private WorkerPool createShrinkingPool(int workers) {
    return configure(WorkerPools.builder())
        .workers(workers)
        .onWorkerLoss(OnWorkerLoss.SHRINK)
        .build();
  }

  private void assumeShrinkable() {
    assumeKillable();
    assumeTrue(supportsShrink(), "this backend does not support jmor.pool.on-worker-loss=shrink");
  }

  /**
   * Returns the worker index; worker {@code args[1]} blocks until killed (args[0]: the signals).
   */
  static Task<Integer> indexOrBlock() {
    return (ctx, args) -> {
      int victim = args.<Integer>get(1);
      if (ctx.workerIndex() == victim) {
        blockUntilReleasedOrKilled(args.get(0), victim);
        return -1;
      }
      return ctx.workerIndex();
    };
  }

  /** {@code e * e + 7} per element; on worker {@code args[1]} it first blocks until killed. */
  static MapTask<Integer, Long> squareOrBlock() {
    return (ctx, e, args) -> {
      int victim = args.<Integer>get(1);
      if (ctx.workerIndex() == victim) {
        blockUntilReleasedOrKilled(args.get(0), victim);
      }
      return (long) e * e + 7;
    };
  }

  /**
   * Runs {@code call} in this thread while another thread kills {@code victim} as soon as the
   * suite's task started on it; returns what the call returned (it must not throw).
   */
  private <V> V whileKilling(WorkerPool pool, int victim, Callable<V> call) throws Exception {
    AtomicLong killedAt = new AtomicLong();
    AtomicReference<Throwable> killError = new AtomicReference<>();
    Thread killer =
        new Thread(
            () -> {
              try {
                if (signals.await("started-" + victim, Duration.ofSeconds(30))) {
                  killedAt.set(System.nanoTime());
                  killWorker(pool, victim);
                }
              } catch (Throwable t) {
                killError.set(t);
                signals.raise("release"); // lets the call end
              }
            },
            "failure-model-killer");
    killer.start();
    V result =
        assertTimeoutPreemptively(
            Duration.ofSeconds(40), call::call, "the call must complete on the survivors");
    killer.join(10_000);
    if (killError.get() instanceof org.opentest4j.TestAbortedException) {
      throw (org.opentest4j.TestAbortedException) killError.get();
    }
    if (killError.get() != null) {
      throw new AssertionError("killWorker failed", killError.get());
    }
    assertThat(killedAt.get()).as("the worker was killed").isNotZero();
    return result;
  }

  private void closePromptlyLeavingNoProcess(WorkerPool pool, List<ProcessHandle> processes) {
    signals.raise("release");
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> pool.close());
    assertNoProcessLeft(processes);
  }

  @Test
  void shrink_killedWorkerDuringApply_returnsTheSurvivorsResults_andLaterCallsUseThem()
      throws Exception {
    assumeShrinkable();
    WorkerPool pool = createShrinkingPool(SHRINK_WORKERS);
    List<ProcessHandle> processes = workerProcesses(pool);
    try {
      assertThat(pool.onWorkerLoss()).isEqualTo(OnWorkerLoss.SHRINK);
      List<Integer> result =
          whileKilling(pool, VICTIM, () -> pool.apply(indexOrBlock(), signals.path(), VICTIM));
      assertThat(result).as("the results of the workers that remain").containsExactly(0, 2);
      assertThat(pool.isBroken()).isFalse();
      assertThat(pool.size()).isEqualTo(SHRINK_WORKERS - 1);
      assertThat(pool.toString()).contains("[" + (SHRINK_WORKERS - 1) + "]");
      // later calls: the survivors only, in the order of their original indices
      assertThat(pool.apply(TestTasks.workerIndex())).containsExactly(0, 2);
      assertThat(pool.<Integer>applyOnly(1, TestTasks.workerIndex())).isEqualTo(2);
      assertThatThrownBy(() -> pool.applyOnly(2, TestTasks.workerIndex()))
          .isInstanceOf(IndexOutOfBoundsException.class);
      closePromptlyLeavingNoProcess(pool, processes);
    } finally {
      signals.raise("release");
      pool.close(Duration.ofSeconds(2));
    }
  }

  @Test
  void shrink_killedWorkerDuringMap_reRunsItsBlock_withTheSequentialPoolsResults()
      throws Exception {
    assumeShrinkable();
    List<Integer> elements = IntStream.range(0, 13).boxed().collect(Collectors.toList());
    List<Long> expected;
    try (WorkerPool sequential = WorkerPools.sequential()) {
      expected = sequential.map(squareOrBlock(), elements, signals.path(), -1);
    }
    WorkerPool pool = createShrinkingPool(SHRINK_WORKERS);
    List<ProcessHandle> processes = workerProcesses(pool);
    try {
      List<Long> result =
          whileKilling(
              pool, VICTIM, () -> pool.map(squareOrBlock(), elements, signals.path(), VICTIM));
      assertThat(result).isEqualTo(expected);
      assertThat(pool.size()).isEqualTo(SHRINK_WORKERS - 1);
      assertThat(pool.map(squareOrBlock(), elements, signals.path(), VICTIM)).isEqualTo(expected);
      assertThat(
              pool.mapAsync(squareOrBlock(), elements, signals.path(), VICTIM)
                  .get(30, TimeUnit.SECONDS))
          .isEqualTo(expected);
      closePromptlyLeavingNoProcess(pool, processes);
    } finally {
      signals.raise("release");
      pool.close(Duration.ofSeconds(2));
    }
  }

  @Test
  void shrink_killedWorkerDuringAsyncMap_reRunsItsBlock() throws Exception {
    assumeShrinkable();
    List<Integer> elements = IntStream.range(0, 7).boxed().collect(Collectors.toList());
    List<Long> expected = elements.stream().map(e -> (long) e * e + 7).collect(Collectors.toList());
    WorkerPool pool = createShrinkingPool(SHRINK_WORKERS);
    List<ProcessHandle> processes = workerProcesses(pool);
    try {
      List<Long> result =
          whileKilling(
              pool,
              VICTIM,
              () ->
                  pool.mapAsync(squareOrBlock(), elements, signals.path(), VICTIM)
                      .get(30, TimeUnit.SECONDS));
      assertThat(result).isEqualTo(expected);
      assertThat(pool.size()).isEqualTo(SHRINK_WORKERS - 1);
      closePromptlyLeavingNoProcess(pool, processes);
    } finally {
      signals.raise("release");
      pool.close(Duration.ofSeconds(2));
    }
  }

  @Test
  void shrink_applyOnlyToTheLostWorker_failsWithWorkerLost_andThePoolGoesOn() throws Exception {
    assumeShrinkable();
    WorkerPool pool = createShrinkingPool(SHRINK_WORKERS);
    List<ProcessHandle> processes = workerProcesses(pool);
    try {
      Throwable failure =
          whileKilling(
              pool,
              VICTIM,
              () -> {
                try {
                  pool.applyOnly(VICTIM, indexOrBlock(), signals.path(), VICTIM);
                  return null;
                } catch (Throwable t) {
                  return t;
                }
              });
      assertLost(failure, VICTIM);
      assertThat(pool.isBroken()).isFalse();
      assertThat(pool.size()).isEqualTo(SHRINK_WORKERS - 1);
      assertThat(pool.apply(TestTasks.workerIndex())).containsExactly(0, 2);
      closePromptlyLeavingNoProcess(pool, processes);
    } finally {
      signals.raise("release");
      pool.close(Duration.ofSeconds(2));
    }
  }

  @Test
  void shrink_pushedHandleStaysValid_scatteredOneFailsNamingTheSlice_recoverableOneIsResent()
      throws Exception {
    assumeShrinkable();
    WorkerPool pool = createShrinkingPool(SHRINK_WORKERS);
    List<ProcessHandle> processes = workerProcesses(pool);
    List<Integer> data = IntStream.range(0, 10).boxed().collect(Collectors.toList());
    try (RemoteObject<ArrayList<Integer>> pushed = pool.push(new ArrayList<>(List.of(4, 5, 6)));
        RemoteObject<List<Integer>> plain = pool.scatterList(data);
        RemoteObject<List<Integer>> kept = pool.scatterList(data, Scatter.RECOVERABLE)) {
      whileKilling(pool, VICTIM, () -> pool.apply(indexOrBlock(), signals.path(), VICTIM));
      assertThat(pool.apply((ctx, args) -> args.<List<Integer>>get(0).size(), pushed))
          .containsExactly(3, 3);
      assertThatThrownBy(() -> pool.apply((ctx, args) -> args.<List<Integer>>get(0).size(), plain))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("slice of worker " + VICTIM)
          .hasMessageContaining("Scatter.RECOVERABLE");
      // the lost slice is on its neighbour now: the slices are contiguous and in order
      List<ArrayList<Integer>> slices =
          pool.apply((ctx, args) -> new ArrayList<>(args.<List<Integer>>get(0)), kept);
      assertThat(slices).hasSize(SHRINK_WORKERS - 1);
      assertThat(slices.stream().flatMap(List::stream).collect(Collectors.toList()))
          .isEqualTo(data);
      assertThat(pool.map((ctx, e, args) -> args.<List<Integer>>get(0).size(), List.of(1, 2), kept))
          .as("a map sees the merged slices too")
          .containsExactly(slices.get(0).size(), slices.get(1).size());
      closePromptlyLeavingNoProcess(pool, processes);
    } finally {
      signals.raise("release");
      pool.close(Duration.ofSeconds(2));
    }
  }

  @Test
  void shrink_lossOfTheLastWorker_breaksThePool_andCloseCleansUp() throws Exception {
    assumeShrinkable();
    WorkerPool pool = createShrinkingPool(2);
    List<ProcessHandle> processes = workerProcesses(pool);
    try {
      assertThat(whileKilling(pool, 1, () -> pool.apply(indexOrBlock(), signals.path(), 1)))
          .containsExactly(0);
      assertThat(pool.size()).isEqualTo(1);
      Throwable failure =
          whileKilling(
              pool,
              0,
              () -> {
                try {
                  pool.apply(indexOrBlock(), signals.path(), 0);
                  return null;
                } catch (Throwable t) {
                  return t;
                }
              });
      assertLost(failure, 0);
      assertThat(failure).hasMessageContaining("broken");
      assertThat(pool.isBroken()).isTrue();
      assertThatThrownBy(() -> pool.apply(TestTasks.workerIndex()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("broken")
          .hasCauseInstanceOf(WorkerLostException.class);
      closePromptlyLeavingNoProcess(pool, processes);
    } finally {
      signals.raise("release");
      pool.close(Duration.ofSeconds(2));
    }
  }

  @Test
  void shrink_isRefusedWithAClearMessage_whereTheBackendCannot() {
    assumeFalse(supportsShrink(), "this backend supports shrinking pools");
    assertThatThrownBy(() -> createShrinkingPool(workers()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(PoolConfig.ON_WORKER_LOSS)
        .hasMessageContaining("shrink")
        .hasMessageContaining("not supported");
  }
}
