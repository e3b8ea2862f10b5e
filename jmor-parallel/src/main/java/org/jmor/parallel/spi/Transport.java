package org.jmor.parallel.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Moves {@link Frame}s to numbered workers and their replies back: the only part of a pool that a
 * backend implements. Each worker answers frames with a {@link WorkerRuntime}; the caller's core
 * makes the requests and decodes the replies, so a transport never looks inside a frame.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li><b>Order.</b> A worker answers the frames sent to it one at a time, in the order of the
 *       {@code send} calls (per-worker FIFO). The first frame to each worker is the core's
 *       open-pool frame (see {@link WorkerRuntime}); a transport passes it on like any other.
 *   <li><b>Every future completes.</b> The future of {@code send} completes with the reply frame of
 *       {@link WorkerRuntime#handle(Frame)}, or exceptionally: with a {@link
 *       org.jmor.parallel.WorkerLostException} when the worker died or became unreachable (a dead
 *       process, a lost rank, a dead thread), or with another exception when the frame could not be
 *       delivered. Closing the transport completes every pending future. No future stays pending
 *       forever.
 *   <li><b>Cancellation.</b> Cancelling a future with {@code cancel(true)} should interrupt the
 *       worker's task if it is running (best effort) and must not disturb the order of the
 *       following frames.
 *   <li><b>Threads.</b> {@code send} may be called from several threads at once and must not block
 *       for long (queue the frame; do not wait for the reply). Futures may complete on any thread
 *       of the transport: the core moves user-visible work to its own executor.
 *   <li><b>Sharing.</b> The core may send the same frame to several workers; a transport must not
 *       modify it.
 * </ul>
 *
 * Worker loss is reported through the futures; the core owns the resulting state (a broken pool,
 * or, under {@code jmor.pool.on-worker-loss=shrink}, a pool that goes on with the other workers:
 * what a transport must then guarantee is listed at {@link PoolProvider#shrinkUnsupported()}). A
 * transport's test extends {@code TransportContract} of {@code jmor-parallel-testkit}. The backend
 * kit ({@link PendingReplies}, {@link WorkerHost}, {@link FrameChunks}, {@link WorkerProcesses})
 * gives most of this contract for free.
 */
public interface Transport extends AutoCloseable {

  /** Returns the number of workers, at least 1. */
  int size();

  /**
   * Sends a request to one worker.
   *
   * @param worker the worker index, {@code 0 <= worker < size()}
   * @param request the request; not modified
   * @return the reply
   */
  CompletableFuture<Frame> send(int worker, Frame request);

  /**
   * Sends the same request to every worker; a transport may override this to use a broadcast.
   *
   * @param request the request; not modified
   * @return the replies in worker order
   */
  default List<CompletableFuture<Frame>> broadcast(Frame request) {
    List<CompletableFuture<Frame>> replies = new ArrayList<>(size());
    for (int i = 0; i < size(); i++) {
      replies.add(send(i, request));
    }
    return replies;
  }

  /**
   * Lends the calling thread to the transport while it would otherwise block on {@code reply}, a
   * future returned by this transport: a transport that receives its replies by polling (MPI) may
   * poll in this thread and complete the reply here, which saves the hop from a receiver thread to
   * the caller. Returns when {@code reply} is done, or whenever the transport prefers the caller to
   * block as usual (for example after a short spin); never waits past {@code deadline}. Must not
   * throw. The default returns at once.
   *
   * <p>A transport with a worker in the caller's process (MPI's worker 0 on rank 0) may also run
   * that worker's queued request here with {@link WorkerHost#runHere} when {@code deadline} is
   * {@code Long.MAX_VALUE} (with a deadline the request stays on its lane, so that the deadline can
   * be enforced). Both are worth it: on the MPI pool of 2 ranks (loaded 2-core machine, fastest of
   * 10,000 calls), {@code apply} took 17 µs with both, 30 µs without {@code runHere}, 37 µs without
   * polling here and 90 µs without either; {@code applyOnly} to rank 1 15 µs with polling here and
   * 24–36 µs without. The core calls it for the replies of a call in worker order, and sends the
   * blocks of a {@code map} to the workers from the last to the first, so that the requests of the
   * other workers are on their way before the caller runs worker 0's itself (measured: no
   * difference at a load of 10–15, where every call is slow; kept because it costs nothing and
   * worker 0 then never takes a core before the others have their requests).
   *
   * @param reply a reply future of this transport
   * @param deadline a {@link System#nanoTime()} value, {@code Long.MAX_VALUE} for none
   */
  default void progress(CompletableFuture<Frame> reply, long deadline) {}

  /** Returns a short description for logs, for example {@code "loopback[3]"}. */
  String describe();

  /**
   * Ends the workers and releases the transport's resources, within a bounded time: frames still
   * queued are dropped and running tasks are interrupted; every pending future completes
   * (exceptionally). Idempotent.
   */
  @Override
  void close();

  /**
   * Closes within a bounded time: queued frames and running tasks may finish until {@code timeout}
   * has passed, then running tasks are interrupted and pending futures complete. The default calls
   * {@link #close()}.
   *
   * @param timeout how long to let work finish
   * @return what was abandoned, one line each (for the pool's log); empty if nothing was
   */
  default java.util.List<String> close(java.time.Duration timeout) {
    close();
    return java.util.List.of();
  }
}
