package org.jmor.parallel.mpi;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jmor.parallel.mpi.jni.Mpi;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.WorkerHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event loop of ranks 1..size-1 (pyMOR's {@code event_loop}): receives the requests of rank 0
 * in order and hands them to a {@link WorkerHost}, which gives each pool its own runtime (object
 * store, random generator, settings; opened by the core's open-pool frame) and runs its requests in
 * order, and returns when rank 0 says QUIT. A request runs on this receiving thread when its pool
 * is idle ({@link WorkerHost#receiveHere}: no thread hop, and no thread polling MPI while it runs),
 * else on its pool's lane after the one running there. A task that fails gives rank 0 an error
 * reply instead of leaving it waiting (pyMOR's A4, O5).
 *
 * <p>Since that thread does not receive while a request runs, a second, daemon thread (the control
 * thread) takes rank 0's interrupts ({@link MpiWorld#TAG_CONTROL}): a cancelled request is
 * interrupted, dropped or skipped ({@link WorkerHost#cancel}), a closed pool's running request is
 * interrupted and the rest dropped ({@link WorkerHost#closePool}). It polls with {@code MPI_Iprobe}
 * every {@link #CONTROL_POLL_NANOS} at most (never blocking in MPI, so that nothing holds up {@code
 * MPI_Finalize}), and ends when the loop, told to QUIT, sends it STOP.
 */
final class MpiWorkerLoop {
  private static final Logger LOG = LoggerFactory.getLogger(MpiWorkerLoop.class);

  /** How long the control thread sleeps between two polls: an interrupt arrives this late. */
  static final long CONTROL_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private MpiWorkerLoop() {}

  /** Starts the control thread of a rank other than 0. */
  static Thread startControl(MpiWorld world) {
    Thread t = new Thread(() -> control(world), "jmor-mpi-control-rank" + world.rank);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The control thread: hands rank 0's interrupts to the host until STOP. */
  private static void control(MpiWorld world) {
    WorkerHost host = world.host;
    int[] status = new int[3];
    try {
      while (true) {
        if (!Mpi.iprobe(Mpi.anySource(), MpiWire.TAG_CONTROL, status)) {
          LockSupport.parkNanos(CONTROL_POLL_NANOS);
          continue;
        }
        byte[] msg = new byte[status[2]];
        Mpi.recv(msg, 0, msg.length, status[0], MpiWire.TAG_CONTROL);
        ByteBuffer c = MpiWire.read(msg);
        byte op = c.get();
        switch (op) {
          case MpiWire.CANCEL:
            {
              long pool = c.getLong();
              host.cancel(pool, c.getLong());
              break;
            }
          case MpiWire.CLOSE:
            host.closePool(c.getLong(), Duration.ZERO); // rank 0 has given up its requests
            break;
          case MpiWire.STOP:
            return;
          default:
            LOG.warn("rank {}: unknown control op {}", world.rank, op);
        }
      }
    } catch (RuntimeException | Error e) {
      LOG.error("rank {}: the MPI control thread stopped: {}", world.rank, e.toString());
    }
  }

  /** Ends the control thread (STOP from this rank to itself) and waits for it a little. */
  private static void stopControl(MpiWorld world, Thread control) {
    if (control.isAlive()) {
      byte[] stop = MpiWire.opOnly(MpiWire.STOP);
      Mpi.send(stop, 0, 1, world.rank, MpiWire.TAG_CONTROL);
    }
    try {
      control.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (control.isAlive()) {
      LOG.warn("rank {}: the MPI control thread did not end", world.rank);
    }
  }

  /**
   * Runs the loop until rank 0 says QUIT, then answers it; the caller finalizes MPI.
   *
   * @param world the world, on a rank other than 0
   */
  static void run(MpiWorld world) {
    WorkerHost host = world.host;
    int[] status = new int[3];
    Thread control = startControl(world);
    while (true) {
      world.waitFor(0, MpiWire.TAG_REQUEST, status);
      byte[] ctrl = new byte[status[2]];
      Mpi.recv(ctrl, 0, ctrl.length, 0, MpiWire.TAG_REQUEST);
      ByteBuffer c = MpiWire.read(ctrl);
      byte op = c.get();
      switch (op) {
        case MpiWire.FRAME:
        case MpiWire.BCAST:
          {
            long pool = c.getLong();
            long seq = c.getLong();
            Frame request =
                MpiWire.receiveFrame(c, 0, MpiWire.TAG_REQUEST_PART, op == MpiWire.BCAST, true);
            CompletableFuture<Frame> reply = host.receiveHere(pool, seq, request);
            reply.whenComplete(
                (r, e) -> {
                  if (e != null) { // dropped or cancelled: rank 0 still counts on an answer
                    world.dropped(pool, seq);
                  }
                });
            break;
          }
        case MpiWire.QUIT:
          {
            int left = 0;
            for (long pool : host.pools()) {
              left += host.objectCount(pool);
            }
            if (left > 0) {
              LOG.warn("{} (rank {}: {} objects)", MpiWorld.LEAVING_WARNING, world.rank, left);
            }
            host.close(Duration.ZERO);
            stopControl(world, control);
            byte[] ack = MpiWire.opOnly(MpiWire.QUIT_ACK);
            Mpi.send(ack, 0, 1, 0, MpiWire.TAG_REPLY);
            return;
          }
        default:
          throw new IllegalStateException("rank " + world.rank + ": unknown request op " + op);
      }
    }
  }
}
