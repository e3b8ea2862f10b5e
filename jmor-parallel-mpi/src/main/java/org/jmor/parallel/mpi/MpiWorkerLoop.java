package org.jmor.parallel.mpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.WorkerRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event loop of ranks 1..size-1 (pyMOR's {@code event_loop}): receives the requests of rank 0
 * in order, answers each with the {@link WorkerRuntime} of its pool, and returns when rank 0 says
 * QUIT. Each pool has its own runtime (object store, random generator, settings), so two pools
 * never see each other's objects. {@link WorkerRuntime#handle(Frame)} never throws, so a task that
 * fails on one rank gives rank 0 an error reply instead of leaving it waiting (pyMOR's A4, O5).
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
    Map<Long, WorkerRuntime> pools = new HashMap<>();
    int[] status = new int[3];
    while (true) {
      world.waitFor(0, MpiWorld.TAG_REQUEST, status);
      byte[] ctrl = new byte[status[2]];
      Mpi.recv(ctrl, 0, ctrl.length, 0, MpiWorld.TAG_REQUEST);
      ByteBuffer c = ByteBuffer.wrap(ctrl).order(ByteOrder.LITTLE_ENDIAN);
      byte op = c.get();
      switch (op) {
        case MpiWorld.OPEN:
          {
            long pool = c.getLong();
            int size = c.getInt();
            long seed = c.getLong();
            pools.put(pool, new WorkerRuntime(world.rank, size, seed));
            break;
          }
        case MpiWorld.CLOSE:
          pools.remove(c.getLong());
          break;
        case MpiWorld.FRAME:
        case MpiWorld.BCAST:
          {
            long pool = c.getLong();
            long request = c.getLong();
            List<Object> parts =
                op == MpiWorld.FRAME
                    ? MpiWorld.receiveParts(c, 0, MpiWorld.TAG_REQUEST_PART, true)
                    : MpiWorld.receiveBroadcastParts(c, true);
            WorkerRuntime runtime = pools.get(pool);
            Frame reply = runtime == null ? null : runtime.handle(Frame.ofOwned(parts));
            byte[] rc = MpiWorld.replyControl(request, reply);
            Mpi.send(rc, 0, rc.length, 0, MpiWorld.TAG_REPLY);
            if (reply != null) {
              MpiWorld.sendParts(reply, 0, MpiWorld.TAG_REPLY_PART);
            }
            break;
          }
        case MpiWorld.QUIT:
          {
            int left = 0;
            for (WorkerRuntime r : pools.values()) {
              left += r.objectCount();
            }
            if (left > 0) {
              LOG.warn("{} (rank {}: {} objects)", MpiWorld.LEAVING_WARNING, world.rank, left);
            }
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
