package org.jmor.parallel.mpi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.Transport;
import org.jmor.parallel.spi.WorkerLanes;
import org.jmor.parallel.spi.WorkerRuntime;

/**
 * One MPI pool on rank 0: worker 0 is a lane of this process with its own {@link WorkerRuntime}
 * (frames are decoded into copies, so it never aliases the caller's objects), workers 1..size-1 are
 * the other ranks. A caller that blocks on worker 0's reply with no time limit runs worker 0's job
 * in its own thread ({@link WorkerLanes#runHere}), so worker 0 costs no thread hop and does not
 * compete with an idle caller for the core. A pool has its own id, so several pools share the ranks
 * without seeing each other's objects.
 */
final class MpiTransport implements Transport {
  private final MpiWorld world;
  private final long poolId;
  private final WorkerRuntime local;
  private final WorkerLanes lane;
  private volatile boolean closed;

  MpiTransport(MpiWorld world, long seed) {
    this.world = world;
    this.poolId = world.newPoolId();
    this.local = new WorkerRuntime(0, world.size, seed);
    this.lane = new WorkerLanes(1, "jmor-mpi-pool" + poolId + "-worker");
    world.openPool(this, poolId, world.size, seed);
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
      return lane.submit(0, () -> local.handle(request));
    }
    return world.request(poolId, worker, request);
  }

  @Override
  public List<CompletableFuture<Frame>> broadcast(Frame request) {
    List<CompletableFuture<Frame>> replies = new ArrayList<>(world.size);
    // the other ranks first: they start at once, and the caller, blocking on worker 0's reply
    // next, usually runs worker 0's job itself before the lane's thread wakes up (progress)
    if (world.size > 1) {
      if (closed) {
        for (int r = 1; r < world.size; r++) {
          replies.add(send(r, request));
        }
      } else {
        replies.addAll(world.broadcast(poolId, request));
      }
    }
    replies.add(0, send(0, request));
    return replies;
  }

  /**
   * Lends the caller's thread: worker 0's job, if it is next in its lane and not started, runs
   * right here (no hop to the lane's thread; the caller would only wait for it); for a worker rank,
   * polls for its reply for a short while. With a call time limit ({@code deadline} set) worker 0's
   * job stays on its lane, so that the limit can be enforced.
   */
  @Override
  public void progress(CompletableFuture<Frame> reply, long deadline) {
    if (closed) {
      return;
    }
    if (deadline == Long.MAX_VALUE && lane.runHere(reply)) {
      return;
    }
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
    world.closePool(poolId);
    return lane.close(timeout);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
