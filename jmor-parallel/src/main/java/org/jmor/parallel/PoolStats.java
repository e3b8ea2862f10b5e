package org.jmor.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** The counters of one {@link GenericWorkerPool}, updated by the pool as it sends. */
final class PoolStats implements TransferStatistics {
  final AtomicLong uploads = new AtomicLong();
  final AtomicLong commands = new AtomicLong();
  final AtomicLongArray scattered;
  final AtomicInteger live = new AtomicInteger();

  PoolStats(int size) {
    scattered = new AtomicLongArray(size);
  }

  @Override
  public long uploads() {
    return uploads.get();
  }

  @Override
  public long scatteredElements(int worker) {
    if (worker < 0 || worker >= scattered.length()) {
      throw new IndexOutOfBoundsException(
          "worker index "
              + worker
              + " out of range: the pool "
              + "has workers 0.."
              + (scattered.length() - 1));
    }
    return scattered.get(worker);
  }

  @Override
  public int liveObjects() {
    return live.get();
  }

  @Override
  public long commands() {
    return commands.get();
  }
}
