package org.jmor.parallel;

import java.util.concurrent.CompletableFuture;
import org.jmor.parallel.spi.Command;
import org.jmor.parallel.spi.Transport;
import org.jmor.parallel.spi.WorkerRuntime;

/** One worker that is the calling thread: the transport of the sequential pool. */
final class DirectTransport implements Transport {
  private final WorkerRuntime runtime;
  private final boolean strict;

  DirectTransport(long seed, boolean strict) {
    this.runtime = new WorkerRuntime(0, 1, seed);
    this.strict = strict;
  }

  @Override
  public int size() {
    return 1;
  }

  @Override
  public boolean serializes() {
    return strict;
  }

  @Override
  public synchronized CompletableFuture<Object> send(int worker, Command command) {
    try {
      return CompletableFuture.completedFuture(runtime.execute(command));
    } catch (Exception | Error e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public String describe() {
    return "sequential";
  }

  @Override
  public void close() {}
}
