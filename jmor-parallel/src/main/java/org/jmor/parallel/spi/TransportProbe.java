package org.jmor.parallel.spi;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jmor.parallel.Args;
import org.jmor.parallel.Task;
import org.jmor.parallel.Task1;
import org.jmor.parallel.WorkerContext;
import org.jmor.parallel.internal.Commands;
import org.jmor.parallel.internal.ElementFailure;
import org.jmor.parallel.internal.FrameCodec;
import org.jmor.parallel.internal.Protocol;
import org.jspecify.annotations.Nullable;

/**
 * The core's frames, for backend tests and tools that drive a {@link Transport} without a pool: the
 * open-pool frame of each worker, request frames that run a {@link Task} on a worker, and the
 * decoding of their replies. The frames are exactly those a pool sends (same protocol, codec and
 * out-of-band arrays), so a transport tested with them is tested with what it will carry; {@code
 * TransportContract} of {@code jmor-parallel-testkit} is written with this class only.
 *
 * <pre>{@code
 * try (Transport t = provider.open(spec)) {
 *   for (int i = 0; i < t.size(); i++) {
 *     TransportProbe.checkOpened(t.send(i, TransportProbe.open(i, t.size(), 42)).get());
 *   }
 *   TransportProbe.Call<Integer> call = TransportProbe.call((ctx, args) -> ctx.workerIndex());
 *   int index = call.decode(t.send(1, call.frame()).get()); // 1
 * }
 * }</pre>
 *
 * <p>Not for applications: a pool makes these frames itself. The frames carry nothing that a
 * transport may rely on (a transport never looks inside a frame). Thread-safe: every method may be
 * called from any thread; a {@link Call} is immutable and may be sent to several workers, or
 * several times (each run answers with the call's number).
 */
public final class TransportProbe {
  /** Numbers the calls; 0 is the open-pool frame's number. */
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private TransportProbe() {}

  /**
   * Returns the open-pool frame of worker {@code worker}, with no deserialization filter pattern of
   * the caller (the worker's own filters apply). It must be the first frame a worker of a fresh
   * transport receives, as the core makes it; its reply is checked with {@link #checkOpened}.
   *
   * @param worker the worker's index, {@code 0 <= worker < size}
   * @param size the number of workers
   * @param seed the pool seed (worker {@code i} draws from child {@code i} of its {@code
   *     SeedSequence})
   * @return the frame
   * @throws IllegalArgumentException if the index is out of range
   */
  public static Frame open(int worker, int size, long seed) {
    return open(worker, size, seed, null);
  }

  /**
   * Returns the open-pool frame of worker {@code worker}, as {@link #open(int, int, long)}, with
   * the caller's deserialization filter pattern.
   *
   * @param worker the worker's index, {@code 0 <= worker < size}
   * @param size the number of workers
   * @param seed the pool seed
   * @param filter a pattern in {@link java.io.ObjectInputFilter.Config#createFilter(String)} syntax
   *     that the worker adds to its own filters, or null for none
   * @return the frame
   * @throws IllegalArgumentException if the index is out of range
   */
  public static Frame open(int worker, int size, long seed, @Nullable String filter) {
    if (size < 1 || worker < 0 || worker >= size) {
      throw new IllegalArgumentException(
          "worker " + worker + " of " + size + ": expected 0 <= worker < size");
    }
    return Protocol.open(worker, size, seed, filter);
  }

  /**
   * Checks the reply to an open-pool frame.
   *
   * @param reply the reply
   * @throws IllegalStateException if the worker refused to open the pool (the message says why:
   *     opened already as another worker, a malformed filter pattern, another protocol version) or
   *     the reply is not a reply to an open-pool frame
   */
  public static void checkOpened(Frame reply) {
    Objects.requireNonNull(reply, "reply");
    try {
      Protocol.decodeReply(reply, 0, FrameCodec.filter());
    } catch (IllegalStateException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("not the reply to an open-pool frame: " + t, t);
    }
  }

  /**
   * Returns a request that runs {@code task} on the worker that receives it, as {@link
   * org.jmor.parallel.WorkerPool#applyOnly(int, Task, Object...)} does. The arguments are values
   * (handles of a pool mean nothing here); large {@code double[]} arguments travel out of band, as
   * parts of their own that hold the caller's arrays (not copies).
   *
   * @param task the task; it travels by class name, so the worker needs its class
   * @param args the arguments, serializable
   * @param <R> the result type
   * @return the call, with its frame and number
   * @throws IllegalArgumentException if the task or an argument is not serializable
   */
  public static <R> Call<R> call(Task<R> task, @Nullable Object... args) {
    Objects.requireNonNull(task, "task");
    Object[] a = args == null ? new Object[] {null} : args.clone();
    long seq = SEQUENCE.incrementAndGet();
    return new Call<>(seq, Protocol.request(seq, Commands.call(task, a)));
  }

  /**
   * Returns a request that runs {@code task} with one argument on the worker that receives it.
   *
   * @param task the task
   * @param arg its argument, serializable
   * @param <A> the argument type
   * @param <R> the result type
   * @return the call
   * @throws IllegalArgumentException if the task or the argument is not serializable
   */
  public static <A, R> Call<R> call(Task1<? super A, R> task, @Nullable A arg) {
    Objects.requireNonNull(task, "task");
    return call(new Apply1<A, R>(task), arg);
  }

  /** Runs a {@link Task1} with the one argument of the call; travels by class name. */
  private record Apply1<A, R>(Task1<? super A, R> task) implements Task<R> {
    @Override
    public R run(WorkerContext context, Args args) throws Exception {
      return task.run(context, args.<A>get(0));
    }
  }

  /**
   * A request frame of {@link #call} with its sequence number, and the decoding of its reply.
   *
   * @param <R> the task's result type
   */
  public static final class Call<R> {
    private final long sequence;
    private final Frame frame;

    private Call(long sequence, Frame frame) {
      this.sequence = sequence;
      this.frame = frame;
    }

    /** Returns the request frame, to send to one or several workers. */
    public Frame frame() {
      return frame;
    }

    /** Returns the call's number, which its replies repeat; unique in this JVM, at least 1. */
    public long sequence() {
      return sequence;
    }

    /**
     * Decodes a reply to this call.
     *
     * @param reply the reply frame a worker sent for {@link #frame()}
     * @return the task's result (null if it returned null)
     * @throws Exception what the task threw (a copy, deserialized on this side; if its class cannot
     *     be read here, a {@link RemoteThrowable} with its class name, message and stack)
     * @throws Error what the task threw, if it was an error
     * @throws IllegalStateException if the worker refused the request or could not read it (a frame
     *     that is not a jmor frame, a pool that was not opened, another protocol version), or the
     *     reply answers another request or is no reply at all
     */
    @SuppressWarnings("unchecked")
    public @Nullable R decode(Frame reply) throws Exception {
      Objects.requireNonNull(reply, "reply");
      try {
        // a worker that could not read a request's number answers with number -1 and says why
        long answered = Protocol.sequenceOf(reply) == -1 ? -1 : sequence;
        return (R) Protocol.decodeReply(reply, answered, FrameCodec.filter());
      } catch (ElementFailure f) {
        throw rethrow(Objects.requireNonNull(f.getCause()));
      } catch (Throwable t) {
        throw rethrow(t);
      }
    }

    private static Exception rethrow(Throwable t) {
      if (t instanceof Error) {
        throw (Error) t;
      }
      if (t instanceof Exception) {
        return (Exception) t;
      }
      return new IllegalStateException("the task threw " + t, t);
    }

    @Override
    public String toString() {
      return "TransportProbe.Call[#" + sequence + ", " + frame + "]";
    }
  }
}
