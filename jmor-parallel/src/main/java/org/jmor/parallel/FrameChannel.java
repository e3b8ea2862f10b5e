package org.jmor.parallel;

import java.io.ObjectInputFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.jmor.parallel.internal.Command;
import org.jmor.parallel.internal.FrameCodec;
import org.jmor.parallel.internal.Protocol;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.Transport;
import org.jspecify.annotations.Nullable;

/**
 * The driver side of the frame seam: encodes each command once into a request {@link Frame}, hands
 * it to a backend's {@link Transport}, and decodes the reply. Every strict and remote pool goes
 * through here, so the contract tests of the strict and loopback pools exercise exactly the code
 * that remote backends use.
 */
final class FrameChannel implements Channel {
  private final Transport transport;
  private final int size;
  private final ObjectInputFilter filter;
  private final AtomicLong sequence = new AtomicLong();

  private final boolean onCaller;
  private final boolean inProcess;

  /**
   * A channel to a backend's workers, in other processes: sends each worker its open-pool frame
   * (its index, the pool size, the seed and this JVM's deserialization filter pattern) before
   * anything else. A worker that refuses it, or cannot be reached, fails the pool's first call to
   * it with the reason.
   */
  static FrameChannel remote(Transport transport, long seed) {
    FrameChannel c = new FrameChannel(transport, false, false);
    String filter = FrameCodec.localPattern();
    c.opened = new CompletableFuture<?>[c.size];
    for (int i = 0; i < c.size; i++) {
      CompletableFuture<Object> r;
      try {
        r = c.decoded(transport.send(i, Protocol.open(i, c.size, seed, filter)), 0, -1, 0);
      } catch (RuntimeException e) {
        r = CompletableFuture.failedFuture(e);
      }
      c.opened[i] = r;
    }
    return c;
  }

  /** The replies to the open-pool frames, or null for an in-process channel. */
  private CompletableFuture<?> @Nullable [] opened;

  /**
   * @param transport the transport
   * @param onCaller whether tasks run in the calling thread
   * @param inProcess whether every worker runs in this JVM
   */
  FrameChannel(Transport transport, boolean onCaller, boolean inProcess) {
    this.transport = transport;
    this.onCaller = onCaller;
    this.inProcess = inProcess;
    this.size = transport.size();
    if (size < 1) {
      throw new IllegalStateException(
          "transport " + transport.describe() + " reports " + size + " workers; expected >= 1");
    }
    this.filter = FrameCodec.filter();
  }

  /** A request: its number and its frame, shared by every worker it goes to. */
  private static final class Request {
    final long sequence;
    final Frame frame;

    Request(long sequence, Frame frame) {
      this.sequence = sequence;
      this.frame = frame;
    }
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean serializes() {
    return true;
  }

  @Override
  public boolean runsOnCaller() {
    return onCaller;
  }

  @Override
  public boolean inProcess() {
    return inProcess;
  }

  @Override
  public Object prepare(Command command) {
    long seq = sequence.incrementAndGet();
    return new Request(seq, Protocol.request(seq, command));
  }

  @Override
  public CompletableFuture<Object> send(int worker, Object prepared) {
    Request r = (Request) prepared;
    CompletableFuture<Frame> sent;
    try {
      sent = transport.send(worker, r.frame);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return decoded(sent, r.sequence, worker, r.frame.byteSize());
  }

  /** Sends one frame to every worker through the transport's broadcast (MPI: one collective). */
  @Override
  public List<CompletableFuture<Object>> broadcast(Object prepared) {
    Request r = (Request) prepared;
    List<CompletableFuture<Frame>> sent;
    try {
      sent = transport.broadcast(r.frame);
    } catch (RuntimeException e) {
      List<CompletableFuture<Object>> failed = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        failed.add(CompletableFuture.failedFuture(e));
      }
      return failed;
    }
    if (sent.size() != size) {
      throw new IllegalStateException(
          transport.describe()
              + ": broadcast returned "
              + sent.size()
              + " replies for "
              + size
              + " workers");
    }
    List<CompletableFuture<Object>> replies = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      replies.add(decoded(sent.get(i), r.sequence, i, r.frame.byteSize()));
    }
    return replies;
  }

  @Override
  public void progress(CompletableFuture<Object> reply, long deadline) {
    if (reply instanceof Reply && !reply.isDone()) {
      transport.progress(((Reply) reply).sent, deadline);
    }
  }

  private CompletableFuture<Object> decoded(
      CompletableFuture<Frame> sent, long sequence, int worker, long bytesSent) {
    Reply reply = new Reply(sent, bytesSent);
    sent.whenComplete(
        (frame, error) -> {
          reply.doneNanos = System.nanoTime();
          if (frame != null) {
            reply.bytesReceived = frame.byteSize();
            reply.runNanos = Protocol.runNanosOf(frame);
          }
          CompletableFuture<?>[] open = opened;
          if (worker >= 0 && open != null && open[worker].isCompletedExceptionally()) {
            Throwable why = open[worker].handle((v, e) -> e).join();
            if (!(why instanceof org.jmor.parallel.WorkerLostException)) {
              reply.completeExceptionally(
                  new org.jmor.parallel.internal.ProtocolException(
                      "worker " + worker + " could not open the pool: " + why.getMessage()));
              return;
            }
          }
          if (error != null) {
            reply.completeExceptionally(
                error instanceof CompletionException && error.getCause() != null
                    ? error.getCause()
                    : error);
            return;
          }
          try {
            reply.complete(Protocol.decodeReply(frame, sequence, filter));
          } catch (Throwable t) {
            reply.completeExceptionally(t);
          }
        });
    return reply;
  }

  @Override
  public String describe() {
    return transport.describe();
  }

  @Override
  public List<String> close(Duration timeout) {
    return transport.close(timeout);
  }

  /**
   * A decoded reply whose cancellation reaches the transport (which interrupts the task), with what
   * the part cost (set before the reply completes).
   */
  private static final class Reply extends CompletableFuture<Object> implements Metered {
    private final CompletableFuture<Frame> sent;
    private final long bytesSent;
    volatile long bytesReceived;
    volatile long runNanos = -1;
    volatile long doneNanos;

    Reply(CompletableFuture<Frame> sent, long bytesSent) {
      this.sent = sent;
      this.bytesSent = bytesSent;
    }

    @Override
    public long runNanos() {
      return runNanos;
    }

    @Override
    public long bytesSent() {
      return bytesSent;
    }

    @Override
    public long bytesReceived() {
      return bytesReceived;
    }

    @Override
    public long doneNanos() {
      return doneNanos;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      sent.cancel(mayInterruptIfRunning);
      return cancelled;
    }
  }
}
