package org.jmor.parallel.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jmor.parallel.Task;
import org.jmor.parallel.Task1;
import org.jmor.parallel.WorkerLostException;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.Transport;
import org.jmor.parallel.spi.TransportProbe;
import org.jmor.parallel.spi.TransportProbe.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract of a frame {@link Transport}, independent of the pool: per-worker FIFO order (also
 * under concurrent {@code send}), broadcast, cancellation of running and queued requests, frames
 * that the transport leaves unchanged, every future completes (also on close and when a worker
 * dies), and frames from 0 bytes to 256 MiB round-trip intact. The request frames are the core's
 * own ({@link TransportProbe}), so the transport is tested with the frames it will carry; each test
 * opens its transport with the core's open-pool frames first, as a pool does.
 *
 * <h2>How to run this on your backend</h2>
 *
 * <pre>{@code
 * class MyTransportContractTest extends TransportContract {
 *   protected Transport createTransport(int workers) { return MyTransport.start(workers); }
 *   // a worker in another process: kill it for real (the default sends a ThreadDeath task)
 *   protected CompletableFuture<Frame> killWorker(Transport t, int worker) {
 *     processOf(t, worker).destroyForcibly();
 *     return null;
 *   }
 *   protected long largestFrame() { return 64L << 20; } // if memory is short
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link #createTransport(int)} returns a new transport whose workers have not been opened. A
 *       <b>fixed-size</b> transport (MPI's ranks) may ignore the requested count and return its own
 *       size: every test adapts to {@link Transport#size()}, asks for at most 2 workers, and skips,
 *       naming the reason, where it needs more workers than the transport has.
 *   <li>{@link #killWorker(Transport, int)}: how a worker dies (default: a task that throws {@link
 *       ThreadDeath}, which ends an in-JVM worker's thread). Skip the test with an assumption where
 *       a worker cannot be killed.
 *   <li>{@link #largestFrame()}: the largest frame tested (default 256 MiB).
 *   <li>{@link #createSignals()}: where the tasks' signal files live (default: the temporary
 *       directory, which workers on this host share).
 * </ul>
 *
 * <p>Tasks signal the test through files ({@link FileSignals}) and count their runs in a static map
 * of the JVM they run in, keyed by a token of the test and the worker's index, so the suite works
 * with workers in other processes, as long as they share this host's file system. Every test is
 * bounded (120 s for the class, tighter preemptive bounds inside).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class TransportContract {
  /** How long a cancel is given to reach its worker before the test goes on (see its use). */
  private static final long CANCEL_TRAVEL_MILLIS = 500;

  /** How long a test waits for one reply. */
  private static final long REPLY_SECONDS = 60;

  /** Per JVM, the runs of tasks keyed by test token and worker index (see {@link #count}). */
  private static final ConcurrentHashMap<String, AtomicLong> RUNS = new ConcurrentHashMap<>();

  /** Creates the suite. */
  protected TransportContract() {}

  /**
   * Starts a transport to {@code workers} fresh workers; the test sends each worker its open-pool
   * frame (seed 42) and closes the transport.
   *
   * @param workers 1 or 2
   * @return the transport; a fixed-size transport may return another size
   */
  protected abstract Transport createTransport(int workers);

  /**
   * Makes worker {@code worker} die (its thread, process or rank), so that the transport must
   * report the loss. The default sends a task that throws {@link ThreadDeath}, which ends an
   * in-process worker's thread; a remote backend kills the worker's process instead.
   *
   * @param transport the transport
   * @param worker the worker to kill
   * @return the future of the frame that killed it, or null if the kill sends no frame
   */
  protected CompletableFuture<Frame> killWorker(Transport transport, int worker) {
    Task<Object> die =
        (ctx, args) -> {
          throw new ThreadDeath();
        };
    return transport.send(worker, TransportProbe.call(die).frame());
  }

  /**
   * Creates the signal directory of a test. The default makes one under the JVM's temporary
   * directory; a backend whose workers do not see this host's file system returns one in a shared
   * directory ({@link FileSignals#create(java.nio.file.Path)}).
   *
   * @return new signals; the test closes them
   */
  protected FileSignals createSignals() {
    return FileSignals.create();
  }

  /**
   * Whether a request cancelled while it waits behind a running one is certain not to run (default
   * true). A transport whose cancel travels on another channel than its requests (MPI's control
   * tag) may lose that race and run it; it returns false, and the test is skipped with the reason.
   */
  protected boolean dropsCancelledQueuedRequests() {
    return true;
  }

  /** The largest frame tested, in bytes; override to lower it where memory is short. */
  protected long largestFrame() {
    return 256L << 20;
  }

  /**
   * Starts a transport and sends each worker the core's open-pool frame (index, size, seed 42, no
   * filter), as a pool does before anything else.
   */
  private Transport opened(int workers) throws Exception {
    Transport t = createTransport(workers);
    try {
      List<CompletableFuture<Frame>> replies = new ArrayList<>();
      for (int i = 0; i < t.size(); i++) {
        replies.add(t.send(i, TransportProbe.open(i, t.size(), 42)));
      }
      for (CompletableFuture<Frame> r : replies) {
        TransportProbe.checkOpened(r.get(REPLY_SECONDS, TimeUnit.SECONDS));
      }
      return t;
    } catch (Exception | Error e) {
      t.close();
      throw e;
    }
  }

  /** Skips the test, closing {@code t}, if it has fewer than {@code n} workers. */
  private static void assumeWorkers(Transport t, int n) {
    if (t.size() < n) {
      int size = t.size();
      t.close();
      assumeTrue(false, "needs " + n + " workers; this fixed-size transport has " + size);
    }
  }

  private static <R> R await(Call<R> call, CompletableFuture<Frame> reply) throws Exception {
    return call.decode(reply.get(REPLY_SECONDS, TimeUnit.SECONDS));
  }

  /**
   * Counts a run of a task for {@code token} on worker {@code worker}, in the JVM the task runs in;
   * returns the count (1 for the first run).
   */
  static long count(String token, int worker) {
    return RUNS.computeIfAbsent(token + "/" + worker, k -> new AtomicLong()).incrementAndGet();
  }

  /** Returns how many runs {@link #count} counted (in the JVM that calls it). */
  static long counted(String token, int worker) {
    AtomicLong n = RUNS.get(token + "/" + worker);
    return n == null ? 0 : n.get();
  }

  private static String token() {
    return UUID.randomUUID().toString();
  }

  /** Counts a run on the worker and returns the count. */
  private static Task1<String, Long> countRun() {
    return (ctx, token) -> count(token, ctx.workerIndex());
  }

  /** Returns the runs counted so far on the worker, without counting. */
  private static Task1<String, Long> runsSoFar() {
    return (ctx, token) -> counted(token, ctx.workerIndex());
  }

  @Test
  void frames_toOneWorker_areAnsweredInOrder() throws Exception {
    try (Transport t = opened(2)) {
      int w = t.size() - 1;
      String token = token();
      List<Call<Long>> calls = new ArrayList<>();
      List<CompletableFuture<Frame>> replies = new ArrayList<>();
      for (int i = 1; i <= 200; i++) {
        Call<Long> c = TransportProbe.call(countRun(), token);
        calls.add(c);
        replies.add(t.send(w, c.frame()));
      }
      for (int i = 0; i < calls.size(); i++) {
        assertThat(await(calls.get(i), replies.get(i))).as("run of frame %d", i).isEqualTo(i + 1);
      }
    }
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(longs = {0, 8, 1016, 1024, 1 << 20, 64L << 20, 256L << 20})
  void frames_ofEverySize_roundTripIntact(long bytes) throws Exception {
    assumeTrue(bytes <= largestFrame(), "over this backend's limit");
    double[] payload = new double[(int) (bytes / 8)];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = i * 1.000001 - 3;
    }
    Task1<double[], double[]> echo = (ctx, a) -> a;
    try (Transport t = opened(1)) {
      Call<double[]> c = TransportProbe.call(echo, payload);
      double[] back = await(c, t.send(0, c.frame()));
      assertThat(back.length).isEqualTo(payload.length);
      assertThat(Arrays.equals(back, payload)).as("payload intact").isTrue();
    }
    // also a frame whose only part is empty: the transport must deliver it (the worker refuses it)
    try (Transport t = opened(1)) {
      Frame reply =
          t.send(0, Frame.of(ByteBuffer.allocate(0))).get(REPLY_SECONDS, TimeUnit.SECONDS);
      Call<Object> any = TransportProbe.call((ctx, args) -> null);
      assertThatThrownBy(() -> any.decode(reply))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("not a jmor frame");
    }
  }

  @Test
  void close_completesEveryPendingFuture_withinABoundedTime() throws Exception {
    Transport t = opened(2);
    Task<Object> sleep =
        (ctx, args) -> {
          Thread.sleep(60_000);
          return null;
        };
    List<CompletableFuture<Frame>> pending = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      pending.add(t.send(i % t.size(), TransportProbe.call(sleep).frame()));
    }
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> t.close(Duration.ofMillis(200)));
    for (CompletableFuture<Frame> f : pending) {
      assertTimeoutPreemptively(
          Duration.ofSeconds(20),
          () -> {
            try {
              f.get(15, TimeUnit.SECONDS);
            } catch (ExecutionException | CancellationException e) {
              // completed exceptionally: as the contract says
            }
          });
      assertThat(f).isDone();
    }
  }

  @Test
  void deadWorker_failsItsFuturesWithWorkerLost_andOthersGoOn() throws Exception {
    try (Transport t = opened(2)) {
      assumeWorkers(t, 2);
      CompletableFuture<Frame> killing = killWorker(t, 1);
      Task<Integer> index = (ctx, args) -> ctx.workerIndex();
      Call<Integer> later = TransportProbe.call(index);
      CompletableFuture<Frame> queued = t.send(1, later.frame());
      for (CompletableFuture<Frame> f :
          killing == null ? List.of(queued) : List.of(killing, queued)) {
        assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOfSatisfying(
                WorkerLostException.class, e -> assertThat(e.worker()).isEqualTo(1));
      }
      Call<Integer> ok = TransportProbe.call(index);
      assertThat(await(ok, t.send(0, ok.frame()))).isEqualTo(0);
    }
  }

  /** Signals "started", waits up to 60 s for "release"; signals "interrupted" when interrupted. */
  private static Task1<String, String> blockUntilReleased() {
    return (ctx, dir) -> {
      FileSignals.raise(dir, "started");
      try {
        return FileSignals.await(dir, "release", Duration.ofSeconds(60)) ? "released" : "late";
      } catch (InterruptedException e) {
        FileSignals.raise(dir, "interrupted");
        throw e;
      }
    };
  }

  /**
   * Sleeps 20 ms (an interrupt left over from an earlier task fails it), then counts a run and
   * returns the count.
   */
  private static Task1<String, Long> sleepThenCount() {
    return (ctx, token) -> {
      Thread.sleep(20);
      return count(token, ctx.workerIndex());
    };
  }

  @Test
  void cancelRunningRequest_interruptsItsTask_andTheNextFramesAreAnsweredInOrder()
      throws Exception {
    try (Transport t = opened(2);
        FileSignals signals = createSignals()) {
      int w = t.size() - 1;
      String token = token();
      Call<String> blocking = TransportProbe.call(blockUntilReleased(), signals.path());
      Call<Long> first = TransportProbe.call(sleepThenCount(), token);
      Call<Long> second = TransportProbe.call(sleepThenCount(), token);
      CompletableFuture<Frame> running = t.send(w, blocking.frame());
      CompletableFuture<Frame> r1 = t.send(w, first.frame());
      CompletableFuture<Frame> r2 = t.send(w, second.frame());
      assertThat(signals.await("started", Duration.ofSeconds(30)))
          .as("the blocking task started")
          .isTrue();
      assertThat(running.cancel(true)).isTrue();
      assertThat(running).isCancelled();
      assertThat(signals.await("interrupted", Duration.ofSeconds(10)))
          .as("cancel(true) interrupts the running task")
          .isTrue();
      assertThat(await(first, r1)).as("the next frame runs, uninterrupted").isEqualTo(1);
      assertThat(await(second, r2)).as("and the one after it").isEqualTo(2);
      Call<Integer> index = TransportProbe.call((ctx, args) -> ctx.workerIndex());
      assertThat(await(index, t.send(w, index.frame()))).isEqualTo(w);
    }
  }

  @Test
  void cancelQueuedRequest_dropsIt_andTheOthersAreAnsweredInOrder() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        dropsCancelledQueuedRequests(),
        "a cancel may overtake or trail its queued request on this transport");
    try (Transport t = opened(2);
        FileSignals signals = createSignals()) {
      int w = t.size() - 1;
      String token = token();
      Task1<String, Boolean> mustNotRun =
          (ctx, dir) -> {
            FileSignals.raise(dir, "dropped-request-ran");
            return true;
          };
      Call<String> blocking = TransportProbe.call(blockUntilReleased(), signals.path());
      Call<Boolean> dropped = TransportProbe.call(mustNotRun, signals.path());
      Call<Long> after = TransportProbe.call(countRun(), token);
      CompletableFuture<Frame> running = t.send(w, blocking.frame());
      CompletableFuture<Frame> queued = t.send(w, dropped.frame());
      CompletableFuture<Frame> last = t.send(w, after.frame());
      assertThat(signals.await("started", Duration.ofSeconds(30))).isTrue();
      assertThat(queued.cancel(true)).isTrue();
      assertThat(queued).isCancelled();
      // The cancel travels to the worker as a message of its own, with no acknowledgement, while
      // the release below travels through the file system: released at once, the running task
      // could end and the queued request start before the cancel arrived (seen on the cluster, 1
      // run in 5). What the contract promises is that a cancel that reaches the worker before its
      // request starts drops it, so the cancel gets time to arrive.
      Thread.sleep(CANCEL_TRAVEL_MILLIS);
      signals.raise("release");
      assertThat(await(blocking, running)).isEqualTo("released");
      assertThat(await(after, last)).isEqualTo(1);
      assertThat(signals.isRaised("interrupted"))
          .as("the running task was not disturbed")
          .isFalse();
      assertThat(signals.isRaised("dropped-request-ran"))
          .as("the cancelled request did not run")
          .isFalse();
      Call<Long> again = TransportProbe.call(countRun(), token);
      assertThat(await(again, t.send(w, again.frame()))).isEqualTo(2);
    }
  }

  @Test
  void concurrentSends_from8Threads_keepEachThreadsOrderPerWorker_andMatchReplies()
      throws Exception {
    int threads = 8;
    int perWorker = 25;
    try (Transport t = opened(2)) {
      int n = t.size();
      String token = token();
      Task<long[]> tagged =
          (ctx, args) -> {
            String tok = args.get(0);
            long thread = args.<Long>get(1);
            long k = args.<Long>get(2);
            return new long[] {ctx.workerIndex(), thread, k, count(tok, ctx.workerIndex())};
          };
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<List<long[]>>> results = new ArrayList<>();
        for (int th = 0; th < threads; th++) {
          long thread = th;
          results.add(
              pool.submit(
                  () -> {
                    List<Call<long[]>> calls = new ArrayList<>();
                    List<CompletableFuture<Frame>> replies = new ArrayList<>();
                    List<Call<long[]>> built = new ArrayList<>();
                    for (long k = 0; k < perWorker * n; k++) {
                      built.add(TransportProbe.call(tagged, token, thread, k));
                    }
                    go.await();
                    for (int k = 0; k < built.size(); k++) {
                      Call<long[]> c = built.get(k);
                      calls.add(c);
                      replies.add(t.send((int) ((k + thread) % n), c.frame()));
                    }
                    List<long[]> out = new ArrayList<>();
                    for (int k = 0; k < calls.size(); k++) {
                      out.add(await(calls.get(k), replies.get(k)));
                    }
                    return out;
                  }));
        }
        go.countDown();
        List<Set<Long>> runsPerWorker = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          runsPerWorker.add(new HashSet<>());
        }
        for (int th = 0; th < threads; th++) {
          List<long[]> out = results.get(th).get(REPLY_SECONDS, TimeUnit.SECONDS);
          long[] lastRun = new long[n];
          for (int k = 0; k < out.size(); k++) {
            long[] r = out.get(k);
            int worker = (int) ((k + th) % n);
            assertThat(r)
                .as("thread %d, frame %d: the reply to its own request", th, k)
                .startsWith(worker, th, k);
            assertThat(r[3])
                .as(
                    "thread %d, frame %d: runs after the thread's earlier frames to worker %d",
                    th, k, worker)
                .isGreaterThan(lastRun[worker]);
            lastRun[worker] = r[3];
            assertThat(runsPerWorker.get(worker).add(r[3])).as("each frame ran once").isTrue();
          }
        }
        for (int i = 0; i < n; i++) {
          assertThat(runsPerWorker.get(i)).hasSize(threads * perWorker);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void broadcast_repliesInWorkerOrder_andEachWorkerRunsItOnce() throws Exception {
    try (Transport t = opened(2)) {
      String token = token();
      Task1<String, long[]> tagged =
          (ctx, tok) -> new long[] {ctx.workerIndex(), count(tok, ctx.workerIndex())};
      Call<long[]> c = TransportProbe.call(tagged, token);
      List<CompletableFuture<Frame>> replies = t.broadcast(c.frame());
      assertThat(replies).hasSize(t.size());
      for (int i = 0; i < t.size(); i++) {
        assertThat(await(c, replies.get(i))).as("the reply of worker %d", i).containsExactly(i, 1);
      }
      for (int i = 0; i < t.size(); i++) {
        Call<Long> runs = TransportProbe.call(runsSoFar(), token);
        assertThat(await(runs, t.send(i, runs.frame())))
            .as("worker %d ran the broadcast frame once", i)
            .isEqualTo(1);
      }
    }
  }

  /** A copy of a frame part's source, to compare after sending. */
  private static Object snapshot(Object part) {
    if (part instanceof byte[]) {
      return ((byte[]) part).clone();
    } else if (part instanceof double[]) {
      return ((double[]) part).clone();
    }
    ByteBuffer b = (ByteBuffer) part;
    ByteBuffer all = b.duplicate();
    all.clear();
    byte[] bytes = new byte[all.remaining()];
    all.get(bytes);
    return new Object[] {b.position(), b.limit(), b.order(), bytes};
  }

  private static void assertUnchanged(Object part, Object before, String what) {
    Object after = snapshot(part);
    if (part instanceof byte[]) {
      assertThat(Arrays.equals((byte[]) after, (byte[]) before)).as(what + ": byte[]").isTrue();
    } else if (part instanceof double[]) {
      assertThat(Arrays.equals((double[]) after, (double[]) before))
          .as(what + ": double[]")
          .isTrue();
    } else {
      Object[] a = (Object[]) after;
      Object[] b = (Object[]) before;
      assertThat(a[0]).as(what + ": buffer position").isEqualTo(b[0]);
      assertThat(a[1]).as(what + ": buffer limit").isEqualTo(b[1]);
      assertThat(a[2]).as(what + ": buffer order").isEqualTo(b[2]);
      assertThat(Arrays.equals((byte[]) a[3], (byte[]) b[3])).as(what + ": buffer bytes").isTrue();
    }
  }

  /** Returns the bytes of a part of a frame. */
  private static byte[] bytes(Frame f, int part) {
    ByteBuffer b = f.part(part);
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  /** A buffer holding {@code content} between a position and a limit, with bytes around them. */
  private static ByteBuffer embedded(byte[] content, boolean direct) {
    ByteBuffer b =
        direct
            ? ByteBuffer.allocateDirect(content.length + 24)
            : ByteBuffer.allocate(content.length + 24);
    for (int i = 0; i < b.capacity(); i++) {
      b.put(i, (byte) (0x5A ^ i));
    }
    b.position(11);
    b.put(content);
    b.limit(11 + content.length).position(11);
    b.order(ByteOrder.BIG_ENDIAN); // not the frame's order: a transport must not rely on it
    return b;
  }

  @Test
  void sentFrames_areLeftUnchanged_forByteArrayBufferAndDoubleArrayParts() throws Exception {
    int doubles = (int) Math.min(1 << 20, Math.max(256, largestFrame() / 8 / 4)); // 8 MiB
    double[] big = new double[doubles];
    for (int i = 0; i < big.length; i++) {
      big[i] = Math.sin(i) * 1e3;
    }
    double[] small = {1, 2, 3};
    Task1<double[], Integer> hash = (ctx, a) -> Arrays.hashCode(a);
    Call<Integer> onBig = TransportProbe.call(hash, big);
    Call<Integer> onSmall = TransportProbe.call(hash, small);
    assertThat(onBig.frame().partCount()).as("the large array travels out of band").isEqualTo(2);
    assertThat(onBig.frame().doubleArray(1)).isSameAs(big);
    byte[] header = bytes(onBig.frame(), 0);
    byte[] bigBytes = bytes(onBig.frame(), 1);
    byte[] smallHeader = bytes(onSmall.frame(), 0);
    List<List<Object>> variants =
        List.of(
            List.of(header, big), // byte[] + the caller's double[]
            List.of(embedded(header, false), embedded(bigBytes, true)), // heap and direct buffers
            List.of(embedded(header, true), bigBytes), // direct buffer + byte[]
            List.of(smallHeader), // a one-part frame, byte[]
            List.of(embedded(smallHeader, false)));
    try (Transport t = opened(2)) {
      for (int v = 0; v < variants.size(); v++) {
        List<Object> parts = variants.get(v);
        Call<Integer> call = parts.size() == 1 ? onSmall : onBig;
        int expected = Arrays.hashCode(parts.size() == 1 ? small : big);
        List<Object> before = new ArrayList<>();
        for (Object p : parts) {
          before.add(snapshot(p));
        }
        Frame frame = Frame.of(parts);
        List<CompletableFuture<Frame>> replies = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
          replies.add(t.send(i, frame));
        }
        replies.addAll(t.broadcast(frame));
        for (CompletableFuture<Frame> r : replies) {
          assertThat(await(call, r))
              .as("variant %d reached the worker intact", v)
              .isEqualTo(expected);
        }
        for (int p = 0; p < parts.size(); p++) {
          assertUnchanged(parts.get(p), before.get(p), "variant " + v + ", part " + p);
        }
      }
    }
  }
}
