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

  /** A channel to a backend's workers, in other processes. */
  FrameChannel(Transport transport) {
    this(transport, false, false);
  }

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
    return decoded(sent, r.sequence);
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
    for (CompletableFuture<Frame> f : sent) {
      replies.add(decoded(f, r.sequence));
    }
    return replies;
  }

  @Override
  public void progress(CompletableFuture<Object> reply, long deadline) {
    if (reply instanceof Reply && !reply.isDone()) {
      transport.progress(((Reply) reply).sent, deadline);
    }
  }

  private CompletableFuture<Object> decoded(CompletableFuture<Frame> sent, long sequence) {
    Reply reply = new Reply(sent);
    sent.whenComplete(
        (frame, error) -> {
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

  /** A decoded reply whose cancellation reaches the transport (which interrupts the task). */
  private static final class Reply extends CompletableFuture<Object> {
    private final CompletableFuture<Frame> sent;

    Reply(CompletableFuture<Frame> sent) {
      this.sent = sent;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      sent.cancel(mayInterruptIfRunning);
      return cancelled;
    }
  }
}
