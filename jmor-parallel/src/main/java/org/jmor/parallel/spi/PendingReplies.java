package org.jmor.parallel.spi;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jmor.parallel.WorkerLostException;
import org.jspecify.annotations.Nullable;

/**
 * The caller side's table of requests that await their replies: per worker, a sequence number (0,
 * 1, 2, … in the order of {@link #register(int)}) mapped to the future that a transport returns
 * from {@link Transport#send}. A transport registers a request before it sends it, puts the number
 * in its message, and completes the entry when the reply with that number arrives.
 *
 * <ul>
 *   <li><b>Loss.</b> {@link #workerLost(int, String)} fails exactly that worker's pending requests
 *       with a {@link WorkerLostException} naming it and the reason, and every later request to it
 *       at once; the other workers' requests go on (the core fails the call and cancels them).
 *   <li><b>Close.</b> {@link #close(String)} fails every pending request with a {@link
 *       java.util.concurrent.CancellationException} (the core then reports a call that was running
 *       as abandoned by the close), and every later one with an {@link IllegalStateException}, each
 *       carrying the reason.
 *   <li><b>Cancel.</b> {@code cancel(true)} on a pending request's future removes the entry and
 *       calls the transport's {@link Canceller} with the worker and the number, so that it can tell
 *       the worker (which drops the request or interrupts its task: {@link WorkerHost#cancel}).
 *   <li><b>Large replies.</b> {@link #chunk(int, long, ByteBuffer)} puts a reply cut by {@link
 *       FrameChunks} together and completes the entry when its last chunk arrives.
 * </ul>
 *
 * Every method is thread-safe and none blocks except {@link #awaitIdle(Duration)}. A number that is
 * not pending (answered, cancelled, failed, or never registered) is ignored by the completing
 * methods, which return false: late and duplicate replies are harmless. Futures complete on the
 * thread that completes them; the core moves user-visible work to its own threads.
 */
public final class PendingReplies {
  /** Tells a worker that a request was cancelled. */
  @FunctionalInterface
  public interface Canceller {
    /**
     * Called once for each pending request whose future was cancelled; must not block for long and
     * should not throw (an exception is ignored).
     *
     * @param worker the worker
     * @param sequence the request's number
     */
    void cancel(int worker, long sequence);
  }

  private final String name;
  private final Canceller canceller;
  private final AtomicLong[] next;
  private final List<Map<Long, Reply>> pending;
  private final @Nullable String[] lost;
  private volatile @Nullable String closed;

  /**
   * Creates the table for {@code workers} workers.
   *
   * @param workers the number of workers, at least 1
   * @param name the pool's or transport's name, for messages (for example {@code "processes[2]"})
   * @param canceller what to do when a pending request is cancelled
   * @throws IllegalArgumentException if {@code workers < 1}
   */
  public PendingReplies(int workers, String name, Canceller canceller) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    this.name = Objects.requireNonNull(name, "name");
    this.canceller = Objects.requireNonNull(canceller, "canceller");
    next = new AtomicLong[workers];
    pending = new ArrayList<>(workers);
    lost = new String[workers];
    for (int i = 0; i < workers; i++) {
      next[i] = new AtomicLong();
      pending.add(new ConcurrentHashMap<>());
    }
  }

  /** Returns the number of workers. */
  public int size() {
    return next.length;
  }

  /**
   * Registers a request to a worker and gives it the worker's next sequence number. The returned
   * future is already failed (and its number used) when the worker is lost or the table closed;
   * send nothing for it then ({@link Reply#isDone()}).
   *
   * @param worker the worker index
   * @return the request's future, with its number
   * @throws IndexOutOfBoundsException if there is no such worker
   */
  public Reply register(int worker) {
    Objects.checkIndex(worker, next.length);
    Reply r = new Reply(worker, next[worker].getAndIncrement());
    pending.get(worker).put(r.sequence, r);
    // checked after the entry is visible: a concurrent workerLost or close either sees the entry
    // or is seen here
    String why = lost[worker];
    String shut = closed;
    if (why != null) {
      fail(worker, r.sequence, new WorkerLostException(worker, why));
    } else if (shut != null) {
      fail(worker, r.sequence, new IllegalStateException(shut));
    }
    return r;
  }

  /**
   * Returns the pending request of that number, or null.
   *
   * @param worker the worker index
   * @param sequence the number
   * @return the future, or null if it is not pending
   */
  public @Nullable Reply get(int worker, long sequence) {
    return worker < 0 || worker >= next.length ? null : pending.get(worker).get(sequence);
  }

  /**
   * Completes a pending request with its reply.
   *
   * @param worker the worker that answered
   * @param sequence the number the reply carries
   * @param reply the reply frame
   * @return whether a pending request was completed
   */
  public boolean complete(int worker, long sequence, Frame reply) {
    Objects.requireNonNull(reply, "reply");
    Reply r = remove(worker, sequence);
    return r != null && r.settle(r.complete(reply));
  }

  /**
   * Adds a chunk of a reply cut by {@link FrameChunks}, and completes the request when the reply is
   * whole. A chunk that cannot be read fails the request with an {@link IllegalStateException}, so
   * pass only reply chunks here: a transport's own messages (heartbeats, acknowledgements) that
   * carry a sequence number must be told apart by the transport first.
   *
   * @param worker the worker that answered
   * @param sequence the number the reply carries
   * @param chunk the chunk (copied unless it is the reply's only chunk, whose parts become views
   *     into it: then the buffer must not be reused)
   * @return whether this chunk completed a pending request (false also when it failed it)
   */
  public boolean chunk(int worker, long sequence, ByteBuffer chunk) {
    Reply r = get(worker, sequence);
    if (r == null) {
      return false;
    }
    Frame whole;
    try {
      if (FrameChunks.chunkCount(chunk) == 1) {
        whole = FrameChunks.read(chunk);
      } else {
        FrameChunks.Assembly a;
        synchronized (r) {
          if (r.assembly == null) {
            r.assembly = new FrameChunks.Assembly();
          }
          a = r.assembly;
        }
        whole = a.add(chunk);
        if (whole == null) {
          return false;
        }
      }
    } catch (RuntimeException e) {
      fail(
          worker,
          sequence,
          new IllegalStateException(
              "a reply of worker " + worker + " on " + name + " is corrupt: " + e.getMessage(), e));
      return false;
    }
    return complete(worker, sequence, whole);
  }

  /**
   * Fails a pending request.
   *
   * @param worker the worker index
   * @param sequence the number
   * @param error the exception
   * @return whether a pending request was failed
   */
  public boolean fail(int worker, long sequence, Throwable error) {
    Objects.requireNonNull(error, "error");
    Reply r = remove(worker, sequence);
    return r != null && r.settle(r.completeExceptionally(error));
  }

  private @Nullable Reply remove(int worker, long sequence) {
    return worker < 0 || worker >= next.length ? null : pending.get(worker).remove(sequence);
  }

  /**
   * Marks a worker lost: fails its pending requests, and every later one, with a {@link
   * WorkerLostException}. The first reason is kept. Idempotent.
   *
   * @param worker the worker index
   * @param reason why, for the message (for example {@code "its process 4711 exited with code
   *     137"})
   * @throws IndexOutOfBoundsException if there is no such worker
   */
  public void workerLost(int worker, String reason) {
    Objects.checkIndex(worker, next.length);
    Objects.requireNonNull(reason, "reason");
    synchronized (lost) {
      if (lost[worker] == null) {
        lost[worker] = reason;
      }
    }
    String why = Objects.requireNonNull(lost[worker]);
    for (Long seq : List.copyOf(pending.get(worker).keySet())) {
      fail(worker, seq, new WorkerLostException(worker, why));
    }
  }

  /**
   * Returns why a worker was lost, or null while it is not.
   *
   * @param worker the worker index
   * @return the reason, or null
   */
  public @Nullable String lostReason(int worker) {
    return lost[Objects.checkIndex(worker, next.length)];
  }

  /** Returns how many requests are pending, over all workers. */
  public int pendingCount() {
    int n = 0;
    for (Map<Long, Reply> m : pending) {
      n += m.size();
    }
    return n;
  }

  /**
   * Returns how many requests to one worker are pending.
   *
   * @param worker the worker index
   * @return the count
   */
  public int pendingCount(int worker) {
    return pending.get(Objects.checkIndex(worker, next.length)).size();
  }

  /**
   * Waits until no request is pending, for a bounded close.
   *
   * @param timeout the longest wait
   * @return whether nothing is pending
   */
  public boolean awaitIdle(Duration timeout) {
    long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
    while (pendingCount() > 0) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return pendingCount() == 0;
      }
    }
    return true;
  }

  /**
   * Closes the table: fails every pending request with a {@link
   * java.util.concurrent.CancellationException}, and every later one with an {@link
   * IllegalStateException}, whose message is {@code reason}. Idempotent (the first reason is kept).
   *
   * @param reason the message, for example {@code "the processes pool was closed"}
   * @return one line per request that was still pending, for the pool's log
   */
  public List<String> close(String reason) {
    Objects.requireNonNull(reason, "reason");
    synchronized (lost) {
      if (closed == null) {
        closed = reason;
      }
    }
    String why = Objects.requireNonNull(closed);
    List<String> abandoned = new ArrayList<>();
    for (int w = 0; w < next.length; w++) {
      for (Long seq : List.copyOf(pending.get(w).keySet())) {
        if (fail(w, seq, new java.util.concurrent.CancellationException(why))) {
          abandoned.add("worker " + w + ": request " + seq + " abandoned at close");
        }
      }
    }
    return abandoned;
  }

  /** Returns whether {@link #close(String)} was called. */
  public boolean isClosed() {
    return closed != null;
  }

  @Override
  public String toString() {
    return "PendingReplies[" + name + ", " + pendingCount() + " pending]";
  }

  /**
   * A pending request's future: completes with the reply frame, or exceptionally (see {@link
   * PendingReplies}). Cancelling it while pending tells the transport's {@link Canceller}.
   */
  public final class Reply extends CompletableFuture<Frame> {
    private final int worker;
    private final long sequence;
    private FrameChunks.@Nullable Assembly assembly; // guarded by this
    private volatile boolean settled; // done, and the completing thread ran the dependents

    private Reply(int worker, long sequence) {
      this.worker = worker;
      this.sequence = sequence;
    }

    /** Returns the worker the request goes to. */
    public int worker() {
      return worker;
    }

    /** Returns the request's sequence number. */
    public long sequence() {
      return sequence;
    }

    /**
     * Waits in the calling thread without parking until this request is settled: done, and the
     * actions that depend on it and ran in the thread that completed it (such as the core's
     * decoding of the reply) have ended. For a transport's {@link Transport#progress}: a caller
     * that would park on the reply and be woken by the thread that read it (a thread hop, tens of
     * µs on a loaded machine) sees the reply at once instead. Polls with {@link
     * Thread#onSpinWait()}, yielding the core every 16 polls, for at most {@code spinNanos} and
     * never past {@code deadline}; keeps the calling thread's interrupt status; never throws.
     *
     * @param deadline a {@link System#nanoTime()} value, {@code Long.MAX_VALUE} for none
     * @param spinNanos the longest time to poll
     * @return whether it is settled (false: the caller blocks on the reply as usual)
     */
    public boolean spinUntilSettled(long deadline, long spinNanos) {
      long start = System.nanoTime();
      long end = deadline - start < spinNanos ? deadline : start + spinNanos;
      for (int i = 1; !settled; i++) {
        if ((i & 15) == 0) {
          if (System.nanoTime() - end >= 0) {
            return false;
          }
          Thread.yield();
        } else {
          Thread.onSpinWait();
        }
      }
      return true;
    }

    private boolean settle(boolean changed) {
      settled = true; // after its dependents ran, when this thread completed it
      return changed;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = settle(super.cancel(mayInterruptIfRunning));
      if (cancelled && pending.get(worker).remove(sequence, this)) {
        try {
          canceller.cancel(worker, sequence);
        } catch (RuntimeException e) {
          // best effort: the worker may be gone
        }
      }
      return cancelled;
    }
  }
}
