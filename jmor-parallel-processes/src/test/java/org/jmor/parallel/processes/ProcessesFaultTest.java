package org.jmor.parallel.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jmor.parallel.CallTimeoutException;
import org.jmor.parallel.Task;
import org.jmor.parallel.WorkerLostException;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The failure model across processes, with signals through files (the kit's {@code
 * FailureModelContract} of this version signals through static latches, which do not cross a
 * process boundary): a stuck task and close, cancel, a call deadline, a worker killed (SIGKILL)
 * during {@code apply} and during {@code map}, a frozen worker (SIGSTOP), and no process left
 * behind.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProcessesFaultTest {
  private Path dir;
  private final List<WorkerPool> pools = new ArrayList<>();

  @BeforeEach
  void makeDir() throws IOException {
    dir = Files.createTempDirectory("jmor-processes-fault");
  }

  @AfterEach
  void cleanUp() throws IOException {
    Files.writeString(dir.resolve("release"), "");
    pools.forEach(WorkerPool::close);
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  /** Opens a pool of 2 workers and returns it with its worker processes (in worker order). */
  private WorkerPool pool(@Nullable Duration callTimeout) {
    return pool(callTimeout, "8s");
  }

  private WorkerPool pool(@Nullable Duration callTimeout, String heartbeatTimeout) {
    var builder =
        WorkerPools.builder()
            .backend(ProcessesProvider.NAME)
            .property(ProcessesProvider.HEARTBEAT_TIMEOUT, heartbeatTimeout)
            .workers(2);
    WorkerPool pool = (callTimeout == null ? builder : builder.timeout(callTimeout)).build();
    pools.add(pool);
    return pool;
  }

  /** The worker processes of this JVM, index to process, of the newest pool of {@code n}. */
  static List<ProcessHandle> workers(int n) {
    List<ProcessHandle> all =
        ProcessHandle.current()
            .children()
            .filter(p -> p.info().arguments().map(a -> a.length >= 3).orElse(false))
            .filter(p -> p.info().commandLine().orElse("").contains("ProcessWorkerMain"))
            .sorted(Comparator.comparing(p -> p.info().startInstant().orElseThrow()))
            .toList();
    List<ProcessHandle> newest = new ArrayList<>(all.subList(all.size() - n, all.size()));
    newest.sort(Comparator.comparing(p -> index(p)));
    return newest;
  }

  private static int index(ProcessHandle p) {
    String[] args = p.info().arguments().orElseThrow();
    return Integer.parseInt(args[args.length - 2]);
  }

  /** On the last worker: says "started", waits for "release", says "interrupted" if it is. */
  private static Task<Boolean> blockOnLastWorker(String dir) {
    return (ctx, args) -> {
      if (ctx.workerIndex() != ctx.poolSize() - 1) {
        return false;
      }
      Files.writeString(Path.of(dir, "started"), "");
      try {
        while (!Files.exists(Path.of(dir, "release"))) {
          Thread.sleep(10);
        }
        return true;
      } catch (InterruptedException e) {
        Files.writeString(Path.of(dir, "interrupted"), "");
        throw e;
      }
    };
  }

  private boolean await(String signal, long seconds) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!Files.exists(dir.resolve(signal))) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  @Test
  void close_withStuckTask_returnsWithinItsBound_interruptsTheTask_andLeavesNoProcess()
      throws Exception {
    WorkerPool pool = pool(null);
    List<ProcessHandle> workers = workers(2);
    CompletableFuture<List<Boolean>> stuck = pool.applyAsync(blockOnLastWorker(dir.toString()));
    assertThat(await("started", 30)).isTrue();
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> pool.close(Duration.ofMillis(300)));
    assertThat(await("interrupted", 10)).as("the stuck task is interrupted").isTrue();
    assertThatThrownBy(() -> stuck.get(10, TimeUnit.SECONDS))
        .isInstanceOfAny(ExecutionException.class, CancellationException.class);
    assertThat(workers).noneMatch(ProcessHandle::isAlive);
  }

  @Test
  void cancel_interruptsTheTaskItStarted_andThePoolStaysUsable() throws Exception {
    WorkerPool pool = pool(null);
    CompletableFuture<List<Boolean>> f = pool.applyAsync(blockOnLastWorker(dir.toString()));
    assertThat(await("started", 30)).isTrue();
    assertThat(f.cancel(true)).isTrue();
    assertThat(await("interrupted", 10)).as("cancel(true) interrupts").isTrue();
    assertThat(pool.apply((ctx, args) -> ctx.workerIndex())).containsExactly(0, 1);
  }

  @Test
  void interruptedCaller_getsCancellation_andThePoolStaysUsable() throws IOException {
    WorkerPool pool = pool(null);
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> pool.apply(blockOnLastWorker(dir.toString())))
          .isInstanceOf(CancellationException.class);
      assertThat(Thread.interrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    Files.writeString(dir.resolve("release"), ""); // the core leaves the task running
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> assertThat(pool.apply((ctx, args) -> ctx.workerIndex())).containsExactly(0, 1));
  }

  @Test
  void callDeadline_interruptsTheLateTask_andThePoolStaysUsable() throws Exception {
    WorkerPool pool = pool(Duration.ofMillis(500));
    for (int i = 0; i < 20; i++) { // warm up: a cold worker JVM's first tasks take longer
      try {
        pool.apply((ctx, args) -> ctx.workerIndex());
      } catch (CallTimeoutException e) {
        continue;
      }
      break;
    }
    assertThatThrownBy(() -> pool.apply(blockOnLastWorker(dir.toString())))
        .isInstanceOfSatisfying(
            CallTimeoutException.class, e -> assertThat(e.workers()).containsExactly(1));
    assertThat(await("interrupted", 10)).as("the late task is interrupted").isTrue();
    assertThat(pool.isBroken()).isFalse();
    assertThat(pool.apply((ctx, args) -> ctx.workerIndex())).containsExactly(0, 1);
  }

  @Test
  void killedWorker_duringApply_failsTheCallWithin5s_namingIt_andCloseLeavesNoProcess()
      throws Exception {
    WorkerPool pool = pool(null);
    List<ProcessHandle> workers = workers(2);
    CompletableFuture<List<Boolean>> f = pool.applyAsync(blockOnLastWorker(dir.toString()));
    assertThat(await("started", 30)).isTrue();
    workers.get(1).destroyForcibly();
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(WorkerLostException.class, e -> assertThat(e.worker()).isEqualTo(1))
        .hasMessageContaining("worker 1")
        .hasMessageContaining("process " + workers.get(1).pid());
    assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(5));
    assertThat(pool.isBroken()).isTrue();
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> pool.close());
    assertThat(workers).noneMatch(ProcessHandle::isAlive);
  }

  @Test
  void killedWorker_duringMap_failsTheCallWithin5s() throws Exception {
    WorkerPool pool = pool(null);
    List<ProcessHandle> workers = workers(2);
    String d = dir.toString();
    CompletableFuture<Void> map =
        CompletableFuture.runAsync(
            () ->
                pool.map(
                    (ctx, x, args) -> {
                      Files.writeString(Path.of(d, "started"), "");
                      Thread.sleep(20);
                      return x;
                    },
                    java.util.stream.IntStream.range(0, 2000).boxed().toList()));
    assertThat(await("started", 30)).isTrue();
    workers.get(0).destroyForcibly();
    assertThatThrownBy(() -> map.get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            WorkerLostException.class, e -> assertThat(e.worker()).isEqualTo(0));
    assertThat(pool.isBroken()).isTrue();
    pool.close();
    assertThat(workers).noneMatch(ProcessHandle::isAlive);
  }

  @Test
  void frozenWorker_failsTheCallWithin10s() throws Exception {
    WorkerPool pool = pool(null, "4s"); // the default, 8 s, leaves too little margin on a busy host
    List<ProcessHandle> workers = workers(2);
    assertThat(pool.apply((ctx, args) -> ctx.workerIndex())).containsExactly(0, 1);
    Process stop = new ProcessBuilder("kill", "-STOP", "" + workers.get(1).pid()).start();
    assertThat(stop.waitFor(10, TimeUnit.SECONDS)).isTrue();
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> pool.apply(blockOnLastWorker(dir.toString())))
        .isInstanceOfSatisfying(WorkerLostException.class, e -> assertThat(e.worker()).isEqualTo(1))
        .hasMessageContaining("sent nothing");
    assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(10));
    pool.close();
    assertThat(workers).noneMatch(ProcessHandle::isAlive);
  }
}
