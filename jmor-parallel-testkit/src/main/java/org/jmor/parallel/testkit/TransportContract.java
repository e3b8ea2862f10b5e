package org.jmor.parallel.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jmor.parallel.Task;
import org.jmor.parallel.WorkerLostException;
import org.jmor.parallel.internal.Command;
import org.jmor.parallel.internal.Commands;
import org.jmor.parallel.internal.FrameCodec;
import org.jmor.parallel.internal.Protocol;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract of a frame {@link Transport}, independent of the pool: per-worker FIFO order, every
 * future completes (also on close and when a worker dies), and frames from 0 bytes to 256 MiB
 * round-trip intact. A backend extends this class with {@link #createTransport(int)}; the core's
 * own protocol builds the request frames, so the transport is tested with the frames it will carry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class TransportContract {
  private static final AtomicLong SEQUENCE = new AtomicLong();
  static volatile CountDownLatch started = new CountDownLatch(1);

  /** Creates the suite. */
  protected TransportContract() {}

  /**
   * Starts a transport to {@code workers} fresh workers (seed 42); the test closes it.
   *
   * @param workers 1 to 3
   * @return the transport
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
    return transport.send(worker, request(Commands.call(die, new Object[0])).frame);
  }

  /** The largest frame tested, in bytes; override to lower it where memory is short. */
  protected long largestFrame() {
    return 256L << 20;
  }

  /** A request and its number. */
  protected static final class Request {
    final long sequence;
    final Frame frame;

    Request(long sequence, Frame frame) {
      this.sequence = sequence;
      this.frame = frame;
    }
  }

  /**
   * Starts a transport and sends each worker the core's open-pool frame (index, size, seed 42, no
   * filter), as a pool does before anything else.
   */
  private Transport opened(int workers) throws Throwable {
    Transport t = createTransport(workers);
    for (int i = 0; i < t.size(); i++) {
      Frame reply = t.send(i, Protocol.open(i, t.size(), 42, null)).get(60, TimeUnit.SECONDS);
      assertThat(Protocol.decodeReply(reply, 0, FrameCodec.filter())).isNull();
    }
    return t;
  }

  static Request request(Command c) {
    long seq = SEQUENCE.incrementAndGet();
    return new Request(seq, Protocol.request(seq, c));
  }

  static Object decode(CompletableFuture<Frame> reply, Request r) throws Throwable {
    return Protocol.decodeReply(reply.get(60, TimeUnit.SECONDS), r.sequence, FrameCodec.filter());
  }

  @Test
  void frames_toOneWorker_areAnsweredInOrder() throws Throwable {
    try (Transport t = opened(2)) {
      List<Request> counts = new ArrayList<>();
      List<CompletableFuture<Frame>> replies = new ArrayList<>();
      Task<Integer> count = (ctx, args) -> ctx.storedObjectCount();
      for (int i = 1; i <= 200; i++) {
        t.send(1, request(Commands.store(i, i, false)).frame);
        Request c = request(Commands.call(count, new Object[0]));
        counts.add(c);
        replies.add(t.send(1, c.frame));
      }
      for (int i = 0; i < counts.size(); i++) {
        assertThat(decode(replies.get(i), counts.get(i))).isEqualTo(i + 1);
      }
    }
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(longs = {0, 8, 1016, 1024, 1 << 20, 64L << 20, 256L << 20})
  void frames_ofEverySize_roundTripIntact(long bytes) throws Throwable {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        bytes <= largestFrame(), "over this backend's limit");
    double[] payload = new double[(int) (bytes / 8)];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = i * 1.000001 - 3;
    }
    Task<double[]> echo = (ctx, args) -> args.get(0);
    try (Transport t = opened(1)) {
      Request r = request(Commands.call(echo, new Object[] {payload}));
      double[] back = (double[]) decode(t.send(0, r.frame), r);
      assertThat(back.length).isEqualTo(payload.length);
      assertThat(Arrays.equals(back, payload)).as("payload intact").isTrue();
    }
    // also a frame whose only part is empty: the transport must deliver it (the worker refuses it)
    try (Transport t = opened(1)) {
      Frame reply = t.send(0, Frame.of(java.nio.ByteBuffer.allocate(0))).get(60, TimeUnit.SECONDS);
      assertThatThrownBy(() -> Protocol.decodeReply(reply, -1, FrameCodec.filter()))
          .hasMessageContaining("not a jmor frame");
    }
  }

  @Test
  void close_completesEveryPendingFuture_withinABoundedTime() throws Throwable {
    Transport t = opened(2);
    started = new CountDownLatch(1);
    Task<Object> sleep =
        (ctx, args) -> {
          started.countDown();
          Thread.sleep(60_000);
          return null;
        };
    List<CompletableFuture<Frame>> pending = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      pending.add(t.send(i % 2, request(Commands.call(sleep, new Object[0])).frame));
    }
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> t.close(Duration.ofMillis(200)));
    for (CompletableFuture<Frame> f : pending) {
      assertTimeoutPreemptively(
          Duration.ofSeconds(20),
          () -> {
            try {
              f.get(15, TimeUnit.SECONDS);
            } catch (ExecutionException | java.util.concurrent.CancellationException e) {
              // completed exceptionally: as the contract says
            }
          });
      assertThat(f).isDone();
    }
  }

  @Test
  void deadWorker_failsItsFuturesWithWorkerLost_andOthersGoOn() throws Throwable {
    try (Transport t = opened(2)) {
      CompletableFuture<Frame> killing = killWorker(t, 1);
      Task<Integer> index = (ctx, args) -> ctx.workerIndex();
      Request later = request(Commands.call(index, new Object[0]));
      CompletableFuture<Frame> queued = t.send(1, later.frame);
      for (CompletableFuture<Frame> f :
          killing == null ? List.of(queued) : List.of(killing, queued)) {
        assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOfSatisfying(
                WorkerLostException.class, e -> assertThat(e.worker()).isEqualTo(1));
      }
      Request ok = request(Commands.call(index, new Object[0]));
      assertThat(decode(t.send(0, ok.frame), ok)).isEqualTo(0);
    }
  }
}
