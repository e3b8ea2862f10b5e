package org.jmor.parallel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jmor.parallel.spi.Command;
import org.jmor.parallel.spi.Transport;
import org.jmor.parallel.spi.WorkerRuntime;

/**
 * N workers in this JVM: each worker is one daemon thread with its own {@link WorkerRuntime}, fed
 * through its own FIFO queue.
 */
final class ThreadTransport implements Transport {
  private final WorkerRuntime[] runtimes;
  private final ExecutorService[] threads;
  private final boolean strict;
  private volatile boolean closed;

  ThreadTransport(int workers, long seed, boolean strict, String poolName) {
    this.strict = strict;
    this.runtimes = new WorkerRuntime[workers];
    this.threads = new ExecutorService[workers];
    for (int i = 0; i < workers; i++) {
      runtimes[i] = new WorkerRuntime(i, workers, seed);
      String threadName = poolName + "-worker-" + i;
      threads[i] =
          new ThreadPoolExecutor(
              1,
              1,
              0L,
              TimeUnit.MILLISECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
              });
    }
  }

  @Override
  public int size() {
    return runtimes.length;
  }

  @Override
  public boolean serializes() {
    return strict;
  }

  @Override
  public CompletableFuture<Object> send(int worker, Command command) {
    WorkerRuntime runtime = runtimes[worker];
    CompletableFuture<Object> reply = new CompletableFuture<>();
    try {
      threads[worker].execute(
          () -> {
            try {
              reply.complete(runtime.execute(command));
            } catch (Throwable e) {
              reply.completeExceptionally(e);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      reply.completeExceptionally(new IllegalStateException("worker " + worker + " has ended", e));
    }
    return reply;
  }

  @Override
  public String describe() {
    return (strict ? "threads-strict[" : "threads[") + runtimes.length + "]";
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (ExecutorService t : threads) {
      t.shutdown();
    }
    for (ExecutorService t : threads) {
      try {
        if (!t.awaitTermination(10, TimeUnit.SECONDS)) {
          t.shutdownNow();
        }
      } catch (InterruptedException e) {
        t.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
