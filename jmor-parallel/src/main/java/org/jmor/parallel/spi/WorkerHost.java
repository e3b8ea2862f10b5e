package org.jmor.parallel.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of a connection: answers the request frames of one or several pools, each with
 * its own {@link WorkerRuntime} (object store, random generator, settings) on its own ordered,
 * cancellable lane (a {@link WorkerLanes} of one). A worker process, a server node or an MPI rank
 * creates one host and feeds it every request frame it receives with the pool's id and the
 * request's sequence number; the host runs them and hands each reply to the backend's {@link
 * Replies}.
 *
 * <ul>
 *   <li><b>Pools.</b> A pool exists from its first frame on, which the core makes an open-pool
 *       frame (it carries the worker's index, the pool size, the seed and the deserialization
 *       filter), so a backend carries no header of its own for them. Pools never see each other's
 *       objects.
 *   <li><b>Order.</b> The requests of one pool run one at a time, in the order of their sequence
 *       numbers 0, 1, 2, … (as {@link PendingReplies} numbers them), whatever order they arrive in:
 *       a request that overtook an earlier one waits for it.
 *   <li><b>Replies</b> are handed to {@link Replies#reply} on the thread that ran the request, in
 *       the order of the requests; a reply sink that throws is logged and the host goes on.
 *   <li><b>Cancel.</b> {@link #cancel(long, long)} drops a request that has not started (also one
 *       that has not arrived yet: its number is then skipped) or interrupts it while it runs; the
 *       interrupt never reaches the next request, and no reply is sent for a cancelled request.
 *       Exactly one of the two happens to every request: its reply is handed to {@link Replies}
 *       (and its future completes with it), or its future fails (cancelled, dropped, or closed); a
 *       cancel that comes while the reply is being handed over is too late and does nothing.
 *       Backends that count answers (MPI's ranks answer a dropped request too) rely on this.
 *   <li><b>Close.</b> {@link #closePool(long, Duration)} and {@link #close(Duration)} let running
 *       requests finish until the timeout, then interrupt them and drop what waits; frames that
 *       arrive for a closed pool are dropped.
 *   <li><b>Running on the calling thread.</b> {@link #runHere(CompletableFuture)} lets a thread
 *       that would otherwise wait for a request run it itself when it is next in its pool and the
 *       pool is idle (MPI's rank 0, whose worker 0 lives in the caller's process; or a transport
 *       that prefers to run requests on the thread that delivered them).
 * </ul>
 *
 * Thread-safe: frames may be received from several threads at once.
 */
public final class WorkerHost implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerHost.class);

  /** Where the host sends replies. */
  @FunctionalInterface
  public interface Replies {
    /**
     * Sends a reply back to the caller. Called on the thread that ran the request, once per request
     * that was not cancelled, in the order of the requests of the pool.
     *
     * @param pool the pool id
     * @param sequence the request's number
     * @param reply the reply frame of {@link WorkerRuntime#handle(Frame)}
     * @throws Exception if the reply cannot be sent (logged; the host goes on)
     */
    void reply(long pool, long sequence, Frame reply) throws Exception;
  }

  private final String name;
  private final Replies replies;
  private final Map<Long, Pool> pools = new HashMap<>(); // guarded by this
  private final Set<Long> closedPools = new HashSet<>(); // guarded by this
  private boolean closed; // guarded by this

  /**
   * Creates a host.
   *
   * @param name the prefix of the lanes' thread names, for example {@code "jmor-worker-1"}
   * @param replies where replies go
   */
  public WorkerHost(String name, Replies replies) {
    this.name = Objects.requireNonNull(name, "name");
    this.replies = Objects.requireNonNull(replies, "replies");
  }

  /**
   * Queues request {@code sequence} of pool {@code pool}. Returns at once (the request runs on the
   * pool's lane, or in a thread that calls {@link #runHere}).
   *
   * @param pool the pool id, chosen by the caller's side (unique among the caller's pools on this
   *     connection)
   * @param sequence the request's number among the pool's requests to this worker, from 0
   * @param request the request frame
   * @return the reply's future, also completed when the reply was handed to {@link Replies};
   *     cancelled if the request is dropped (cancelled, or its pool closed). Never failed by a
   *     task: failures are replies.
   */
  public CompletableFuture<Frame> receive(long pool, long sequence, Frame request) {
    Relay r = queue(pool, sequence, request, false);
    return r != null ? r : dropped();
  }

  /**
   * Queues request {@code sequence} of pool {@code pool} like {@link #receive}, and runs it in the
   * calling thread before returning if it is next in its pool and the pool is idle (its reply goes
   * to {@link Replies} as usual); otherwise it runs on the pool's lane. Unlike {@code receive}
   * followed by {@link #runHere}, the lane's thread is not woken for a request that runs here, so
   * it cannot take the request first (it did so for about 40 % of the requests on MPI's ranks, each
   * a thread hop). For a backend whose receiving thread would only wait while the request runs:
   * MPI's ranks, which receive the next request when this one is answered.
   *
   * @param pool the pool id
   * @param sequence the request's number among the pool's requests to this worker, from 0
   * @param request the request frame
   * @return the reply's future, as for {@link #receive}
   */
  public CompletableFuture<Frame> receiveHere(long pool, long sequence, Frame request) {
    Relay r = queue(pool, sequence, request, true);
    if (r == null) {
      return dropped();
    }
    CompletableFuture<Frame> job = r.job;
    if (job != null && !job.isDone() && !r.lanes.runHere(job)) {
      r.lanes.wake(0); // not run here: the lane's thread takes it
    }
    return r;
  }

  /**
   * Queues request {@code sequence} of pool {@code pool} like {@link #receive}, but does not wake
   * the pool's lane thread if it is idle: the request then waits until a thread runs it ({@link
   * #runHere}) or wakes the lane ({@link #wake}). For a caller that will most likely block on the
   * reply at once and run the request itself, where waking the lane's thread would only let it
   * compete for a core (MPI's rank 0 during {@code apply}: the woken thread took the core that the
   * other rank needed). The caller must make sure that {@link #wake} follows if nobody runs the
   * request: a request received this way and neither run nor woken waits until the next request of
   * its pool wakes the lane, or until the pool closes.
   *
   * @param pool the pool id
   * @param sequence the request's number among the pool's requests to this worker, from 0
   * @param request the request frame
   * @return the reply's future, as for {@link #receive}
   */
  public CompletableFuture<Frame> receiveDeferred(long pool, long sequence, Frame request) {
    Relay r = queue(pool, sequence, request, true);
    return r != null ? r : dropped();
  }

  /**
   * Queues a request on its pool (opening the pool's state at its first request), waking the lane's
   * thread unless {@code quiet}; null if the pool is closed or this host is.
   */
  private @Nullable Relay queue(long pool, long sequence, Frame request, boolean quiet) {
    Objects.requireNonNull(request, "request");
    Pool p = openPool(pool);
    return p == null ? null : p.receive(sequence, request, quiet);
  }

  /**
   * Wakes the lane thread of a request received with {@link #receiveDeferred}, if the request has
   * not ended (a request that has started meanwhile is not disturbed: the woken thread finds
   * nothing to take and waits again). Does nothing for other futures. Never blocks for long; any
   * thread may call it.
   *
   * @param reply a future returned by this host's {@code receive} methods
   */
  public void wake(CompletableFuture<Frame> reply) {
    if (reply instanceof Relay) {
      Relay r = (Relay) reply;
      CompletableFuture<Frame> job = r.job;
      if (job != null && !job.isDone()) {
        r.lanes.wake(0);
      }
    }
  }

  /** The pool with this id, made on its first request; null if it or this host is closed. */
  private synchronized @Nullable Pool openPool(long pool) {
    if (closed || closedPools.contains(pool)) {
      return null;
    }
    return pools.computeIfAbsent(pool, id -> new Pool(id, name + "-pool" + id));
  }

  private static CompletableFuture<Frame> dropped() {
    CompletableFuture<Frame> f = new CompletableFuture<>();
    f.cancel(false);
    return f;
  }

  /**
   * Runs a queued request in the calling thread if it is next in its pool and the pool is idle (see
   * {@link WorkerLanes#runHere}); its reply goes to {@link Replies} as usual. For a thread that
   * would otherwise block on the reply, such as a caller in {@link Transport#progress} whose worker
   * lives in its process (MPI's rank 0: a trivial {@code apply} on 2 ranks took 17 µs with it and
   * 30 µs without). A thread that receives the request and would run it at once uses {@link
   * #receiveHere} instead.
   *
   * @param reply a future returned by {@link #receive}
   * @return whether it ran here (it is then done)
   */
  public boolean runHere(CompletableFuture<Frame> reply) {
    if (reply instanceof Relay) {
      Relay r = (Relay) reply;
      CompletableFuture<Frame> job = r.job;
      return job != null && r.lanes.runHere(job);
    }
    return false;
  }

  /**
   * Cancels request {@code sequence} of a pool: drops it if it has not started (or not arrived: its
   * number is skipped when it comes), or interrupts its task if it runs. Does nothing for a request
   * that has ended or a pool that does not exist.
   *
   * @param pool the pool id
   * @param sequence the request's number
   */
  public void cancel(long pool, long sequence) {
    Pool p;
    synchronized (this) {
      p = pools.get(pool);
    }
    if (p != null) {
      p.cancel(sequence);
    }
  }

  /**
   * Closes one pool: its running request may finish until {@code timeout}, then it is interrupted;
   * queued requests are dropped, and later frames of the pool are ignored. Blocks for at most about
   * {@code timeout} plus 200 ms.
   *
   * @param pool the pool id
   * @param timeout how long to let the running request finish
   * @return what was abandoned, one line each; empty if nothing was
   */
  public List<String> closePool(long pool, Duration timeout) {
    Pool p;
    synchronized (this) {
      closedPools.add(pool);
      p = pools.remove(pool);
    }
    return p == null ? List.of() : p.close(timeout);
  }

  /**
   * Returns how many objects a pool stores on this worker (read without waiting for its lane: call
   * it while the pool is idle, as tests do).
   *
   * @param pool the pool id
   * @return the count; 0 for a pool that does not exist
   */
  public int objectCount(long pool) {
    Pool p;
    synchronized (this) {
      p = pools.get(pool);
    }
    return p == null ? 0 : p.runtime.objectCount();
  }

  /** Returns the ids of the open pools. */
  public synchronized Set<Long> pools() {
    return Set.copyOf(pools.keySet());
  }

  /**
   * Closes every pool (sharing one deadline); later frames are ignored. Idempotent.
   *
   * @param timeout how long to let running requests finish
   * @return what was abandoned, one line each
   */
  public List<String> close(Duration timeout) {
    List<Pool> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(pools.values());
      closedPools.addAll(pools.keySet());
      pools.clear();
    }
    long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
    List<String> abandoned = new ArrayList<>();
    for (Pool p : all) {
      for (String line : p.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
        abandoned.add("pool " + p.id + ": " + line);
      }
    }
    return abandoned;
  }

  /** Same as {@code close(Duration.ofSeconds(2))}. */
  @Override
  public void close() {
    close(Duration.ofSeconds(2));
  }

  @Override
  public synchronized String toString() {
    return "WorkerHost[" + name + ", " + pools.size() + " pools]";
  }

  /**
   * A reply future handed out by {@link #receive}; cancelling it cancels the request. Its reply is
   * either handed to {@link Replies} or dropped, never both: whichever of {@link #claimReply} and
   * {@link #drop} comes first wins.
   */
  private static final class Relay extends CompletableFuture<Frame> {
    private static final int OPEN = 0;
    private static final int REPLIED = 1;
    private static final int DROPPED = 2;

    final WorkerLanes lanes;
    final Pool pool;
    final long sequence;
    volatile @Nullable CompletableFuture<Frame> job;
    volatile @Nullable Frame sent; // the reply handed to Replies, set before claimReply
    private final AtomicInteger state = new AtomicInteger(OPEN);

    Relay(WorkerLanes lanes, Pool pool, long sequence) {
      this.lanes = lanes;
      this.pool = pool;
      this.sequence = sequence;
    }

    /** Whether the reply may be handed to {@link Replies} (the request was not dropped). */
    boolean claimReply() {
      return state.compareAndSet(OPEN, REPLIED);
    }

    /** Whether the request may be dropped (its reply has not been handed over). */
    boolean drop() {
      return state.compareAndSet(OPEN, DROPPED);
    }

    /** Fails this future as dropped, without touching the pool (the caller holds its lock). */
    void dropQuietly() {
      if (drop()) {
        super.cancel(false);
      }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      if (!drop()) {
        return isCancelled(); // already dropped, or its reply went out
      }
      super.cancel(mayInterruptIfRunning);
      CompletableFuture<Frame> j = job;
      if (j != null) {
        j.cancel(true); // drops it from the lane, or interrupts it
      } else {
        pool.cancel(sequence); // not on the lane yet: its number is skipped
      }
      return true;
    }
  }

  private final class Pool {
    final long id;
    final WorkerRuntime runtime = new WorkerRuntime();
    final WorkerLanes lanes;
    long next; // the number of the next request to queue; guarded by this
    final TreeMap<Long, Relay> early = new TreeMap<>(); // arrived before their turn
    final Map<Long, Frame> earlyFrames = new HashMap<>();
    final Set<Long> skip = new HashSet<>(); // cancelled before they arrived
    final Map<Long, Relay> queued = new HashMap<>(); // on the lane, not ended
    boolean closing;

    Pool(long id, String threadName) {
      this.id = id;
      this.lanes = new WorkerLanes(1, threadName);
    }

    /** With {@code here}, a request due at once is queued without waking the lane's thread. */
    Relay receive(long sequence, Frame request, boolean here) {
      Relay r = new Relay(lanes, this, sequence);
      synchronized (this) {
        // (the isEmpty checks spare the usual in-order request two boxed look-ups)
        boolean skipped = !closing && !skip.isEmpty() && skip.contains(sequence);
        if (closing
            || sequence < next
            || skipped
            || (!early.isEmpty() && early.containsKey(sequence))) {
          if (skipped && sequence == next) {
            advance(); // passes the skipped number: later requests may now be due
          } // (a skipped number ahead of next stays in skip until next reaches it)
          r.dropQuietly();
          return r;
        }
        if (sequence > next) {
          early.put(sequence, r);
          earlyFrames.put(sequence, request);
          return r;
        }
        queue(r, request, !here);
        advance();
      }
      return r;
    }

    /** Queues the requests that are due; the caller holds this. */
    private void advance() {
      while (true) {
        if (!skip.isEmpty() && skip.remove(next)) {
          next++;
          continue;
        }
        Relay r = early.isEmpty() ? null : early.remove(next);
        if (r == null) {
          return;
        }
        queue(r, Objects.requireNonNull(earlyFrames.remove(r.sequence)), true);
      }
    }

    /** Puts a request on the lane; the caller holds this and {@code r.sequence == next}. */
    private void queue(Relay r, Frame request, boolean wake) {
      next++;
      long seq = r.sequence;
      queued.put(seq, r);
      CompletableFuture<Frame> job =
          lanes.submit(
              0,
              () -> {
                if (r.isDone()) {
                  // cancelled while it was being queued
                  throw new CancellationException("cancelled before it started");
                }
                Frame reply = runtime.handle(request);
                if (Thread.interrupted() && r.isCancelled()) {
                  return reply; // cancelled while it ran: no reply
                }
                r.sent = reply;
                if (r.claimReply()) {
                  try {
                    replies.reply(id, seq, reply);
                  } catch (Exception e) {
                    LOG.warn(
                        "{}: cannot send the reply to request {} of pool {}: {}",
                        name,
                        seq,
                        id,
                        e.toString());
                  }
                }
                return reply;
              },
              wake);
      r.job = job;
      job.whenComplete(
          (reply, error) -> {
            synchronized (this) {
              queued.remove(seq);
            }
            if (error != null) {
              Frame sent = r.sent;
              if (r.drop() || sent == null) {
                r.completeExceptionally(error);
              } else {
                r.complete(sent); // its reply went out before the job was failed (close)
              }
            } else {
              r.complete(reply);
            }
          });
    }

    void cancel(long sequence) {
      Relay r;
      synchronized (this) {
        if (closing) {
          return;
        }
        if (sequence >= next) {
          Relay e = early.remove(sequence);
          earlyFrames.remove(sequence);
          skip.add(sequence);
          if (e != null) {
            e.dropQuietly();
          }
          if (sequence == next) {
            advance(); // passes it: later requests may be due
          }
          return;
        }
        r = queued.get(sequence);
      }
      if (r != null) {
        r.cancel(true); // drops it from the lane, or interrupts it
      }
    }

    List<String> close(Duration timeout) {
      List<Relay> waiting;
      synchronized (this) {
        closing = true;
        waiting = new ArrayList<>(early.values());
        early.clear();
        earlyFrames.clear();
      }
      for (Relay r : waiting) {
        if (r.drop()) {
          r.completeExceptionally(new CancellationException("the pool was closed"));
        }
      }
      return lanes.close(timeout);
    }
  }
}
