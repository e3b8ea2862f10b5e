package org.jmor.parallel.mpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
 */
final class MpiWorkerLoop {
  private static final Logger LOG = LoggerFactory.getLogger(MpiWorkerLoop.class);

  private MpiWorkerLoop() {}

  /**
   * Runs the loop until rank 0 says QUIT, then answers it; the caller finalizes MPI.
   *
   * @param world the world, on a rank other than 0
   */
  static void run(MpiWorld world) {
    WorkerHost host = world.host;
    int[] status = new int[3];
    while (true) {
      world.waitFor(0, MpiWorld.TAG_REQUEST, status);
      byte[] ctrl = new byte[status[2]];
      Mpi.recv(ctrl, 0, ctrl.length, 0, MpiWorld.TAG_REQUEST);
      ByteBuffer c = ByteBuffer.wrap(ctrl).order(ByteOrder.LITTLE_ENDIAN);
      byte op = c.get();
      switch (op) {
        case MpiWorld.FRAME:
        case MpiWorld.BCAST:
          {
            long pool = c.getLong();
            long seq = c.getLong();
            Frame request =
                MpiWorld.receiveFrame(c, 0, MpiWorld.TAG_REQUEST_PART, op == MpiWorld.BCAST, true);
            CompletableFuture<Frame> reply = host.receiveHere(pool, seq, request);
            reply.whenComplete(
                (r, e) -> {
                  if (e != null) { // dropped: rank 0 still counts on an answer
                    world.dropped(pool, seq);
                  }
                });
            break;
          }
        case MpiWorld.CLOSE:
          host.closePool(c.getLong(), Duration.ZERO); // rank 0 has given up its requests
          break;
        case MpiWorld.QUIT:
          {
            int left = 0;
            for (long pool : host.pools()) {
              left += host.objectCount(pool);
            }
            if (left > 0) {
              LOG.warn("{} (rank {}: {} objects)", MpiWorld.LEAVING_WARNING, world.rank, left);
            }
            host.close(Duration.ZERO);
            byte[] ack = {MpiWorld.QUIT_ACK};
            Mpi.send(ack, 0, 1, 0, MpiWorld.TAG_REPLY);
            return;
          }
        default:
          throw new IllegalStateException("rank " + world.rank + ": unknown request op " + op);
      }
    }
  }
}
