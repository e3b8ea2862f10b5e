package org.jmor.parallel.mpi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.PendingReplies;
import org.jmor.parallel.spi.Transport;
import org.jmor.parallel.spi.WorkerHost;
import org.jspecify.annotations.Nullable;

/**
 * One MPI pool on rank 0: worker 0 is a pool of rank 0's {@link WorkerHost} (frames are decoded
 * into copies, so it never aliases the caller's objects), workers 1..size-1 are the other ranks,
 * whose replies a {@link PendingReplies} table matches. A caller that blocks on worker 0's reply
 * with no time limit runs worker 0's request in its own thread ({@link WorkerHost#runHere}), so
 * worker 0 costs no thread hop and does not compete with an idle caller for the core; a caller that
 * blocks on a rank's reply polls MPI for it ({@link #progress}). A pool has its own id, so several
 * pools share the ranks without seeing each other's objects; each worker opens it with the core's
 * open-pool frame.
 *
 * <p>Cancelling a request interrupts it where it runs: worker 0's through its lane, another rank's
 * through a CANCEL message that the rank's control thread hands to its host ({@link
 * MpiWorld#cancel}, {@link MpiWorkerLoop}), which also drops the request if it waits or skips it if
 * it has not arrived yet. Closing a pool lets the requests in flight finish until the timeout, then
 * the ranks interrupt what still runs (CLOSE, sent the same way).
 */
final class MpiTransport implements Transport {
  private final MpiWorld world;
  final long poolId;
  final PendingReplies pending;
  private final AtomicLong localSequence = new AtomicLong();
  private volatile boolean closed;

  MpiTransport(MpiWorld world) {
    this.world = world;
    long id = world.nextPoolId();
    this.poolId = id;
    this.pending =
        new PendingReplies(world.size, describe(), (worker, seq) -> world.cancel(id, worker, seq));
    world.openPool(id, this);
  }

  @Override
  public int size() {
    return world.size;
  }

  @Override
  public CompletableFuture<Frame> send(int worker, Frame request) {
    Objects.checkIndex(worker, world.size);
    Objects.requireNonNull(request, "request");
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("the MPI pool is closed"));
    }
    if (worker == 0) {
      return world.host.receive(poolId, localSequence.getAndIncrement(), request);
    }
    return world.request(this, worker, request, null).get(0);
  }

  /**
   * Sends to the other ranks first (one {@code MPI_Bcast} per large part): they start at once, and
   * the caller, blocking on worker 0's reply next, usually runs worker 0's request itself before
   * its lane's thread wakes up ({@link #progress}). Worker 0 needs its own copy of the large arrays
   * (it must not alias the caller's): the caller allocates it while the ranks allocate theirs,
   * between the control messages and the broadcast, fills it while the ranks receive the broadcast
   * ({@link org.jmor.parallel.mpi.jni.Mpi#bcastCopy}: the copy overlaps the transfer), and hands it
   * over ({@link Frame#ofOwned}), so that worker 0 does not copy again. A caller that has lent
   * itself before ({@link MpiWorld#callerLends}) queues worker 0's request without waking its
   * lane's thread ({@link WorkerHost#receiveDeferred}); {@link #progress} runs it or wakes the
   * lane, and the receiver thread wakes it within a millisecond if the caller does not wait after
   * all (an asynchronous call).
   */
  @Override
  public List<CompletableFuture<Frame>> broadcast(Frame request) {
    if (closed || world.size == 1) {
      return Transport.super.broadcast(request);
    }
    double[][][] copies = {null};
    Supplier<double @Nullable [] @Nullable []> allocate = () -> copies[0] = allocateCopies(request);
    List<CompletableFuture<Frame>> replies =
        new ArrayList<>(world.request(this, 0, request, allocate));
    Frame[] local = {request};
    if (copies[0] != null) {
      local[0] = ownedCopy(request, copies[0]);
    }
    if (world.callerLends() && !closed) {
      // this thread will most likely block on worker 0's reply next and run it itself
      // (progress): waking the lane's thread would only let it take a core from the ranks
      CompletableFuture<Frame> own =
          world.host.receiveDeferred(poolId, localSequence.getAndIncrement(), local[0]);
      world.deferLocalWake(() -> world.host.wake(own));
      replies.add(0, own);
    } else {
      replies.add(0, send(0, local[0]));
    }
    return replies;
  }

  /**
   * Worker 0's arrays for the large {@code double[]} parts of a broadcast, allocated while the
   * other ranks allocate theirs; the broadcast fills them ({@link MpiWire#sendLarge}). Null if the
   * frame has none (worker 0 then gets the frame as it is, its small arrays copied while decoding)
   * or if out of memory (worker 0 then copies while decoding, and reports it if that fails too).
   */
  private static double @Nullable [] @Nullable [] allocateCopies(Frame frame) {
    try {
      double[][] out = new double[frame.partCount()][];
      boolean any = false;
      for (int i = 0; i < out.length; i++) {
        double[] d = frame.doubleArray(i);
        if (d != null && MpiWire.large(frame, i)) {
          out[i] = new double[d.length];
          any = true;
        }
      }
      return any ? out : null;
    } catch (OutOfMemoryError e) {
      return null;
    }
  }

  /**
   * Worker 0's frame: the filled {@code copies}, and copies of the small {@code double[]} parts,
   * handed over; the frame itself if out of memory.
   */
  private static Frame ownedCopy(Frame frame, double[] @Nullable [] copies) {
    try {
      Object[] parts = new Object[frame.partCount()];
      for (int i = 0; i < parts.length; i++) {
        double[] d = frame.doubleArray(i);
        double[] c = copies[i];
        parts[i] = c != null ? c : d != null ? d.clone() : frame.part(i);
      }
      return Frame.ofOwned(Arrays.asList(parts));
    } catch (OutOfMemoryError e) {
      return frame; // worker 0 copies while decoding, and reports it if that fails too
    }
  }

  /**
   * Lends the caller's thread: worker 0's request, if it is next in its pool and the pool is idle,
   * runs right here ({@link WorkerHost#runHere}: no hop to the lane's thread; the caller would only
   * wait for it); for a worker rank, polls MPI for its reply for a short while. With a call time
   * limit ({@code deadline} set) worker 0's request stays on its lane, so that the limit can be
   * enforced.
   */
  @Override
  public void progress(CompletableFuture<Frame> reply, long deadline) {
    if (closed) {
      return;
    }
    if (deadline == Long.MAX_VALUE && world.host.runHere(reply)) {
      return;
    }
    world.host.wake(reply); // worker 0's request, if its wake was deferred and it runs elsewhere
    world.progress(reply, deadline);
  }

  @Override
  public String describe() {
    return "mpi[" + world.size + "]";
  }

  @Override
  public List<String> close(Duration timeout) {
    if (closed) {
      return List.of();
    }
    closed = true;
    long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
    List<String> abandoned = new ArrayList<>(world.host.closePool(poolId, timeout));
    // the ranks' requests in flight may finish until the timeout too; then CLOSE interrupts them
    pending.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    world.closePool(poolId);
    // pending requests to the other ranks fail as cancelled (as worker 0's), which the core
    // reports as "closed while the call ran"
    abandoned.addAll(pending.close("the MPI pool was closed"));
    return abandoned;
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
