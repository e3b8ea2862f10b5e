package org.jmor.parallel.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.PoolProvider;
import org.jmor.parallel.spi.PoolSpec;
import org.jmor.parallel.spi.Transport;
import org.jmor.parallel.spi.WorkerLanes;
import org.jmor.parallel.spi.WorkerRuntime;

/**
 * A frame {@link Transport} that behaves like a remote backend without leaving the JVM: every
 * request and every reply crosses as one joined byte array ({@link Frame#toByteArray()} on the
 * sending side, {@link Frame#read(byte[])} on the receiving side), as a network or a message
 * payload would carry it, and each worker is a {@link WorkerRuntime} on its own lane of a {@link
 * WorkerLanes}. The core's protocol, codec and failure handling are therefore exercised exactly as
 * a remote backend exercises them.
 *
 * <p>Use it through {@link Provider} (backend name {@value Provider#NAME}), registered in a test
 * class path's {@code META-INF/services/org.jmor.parallel.spi.PoolProvider}.
 */
public final class LoopbackTransport implements Transport {
  private final WorkerRuntime[] runtimes;
  private final WorkerLanes lanes;
  private final AtomicLong bytesSent = new AtomicLong();
  private final AtomicLong bytesReceived = new AtomicLong();

  /**
   * Starts {@code workers} worker lanes.
   *
   * @param workers at least 1
   * @param seed the pool seed
   */
  public LoopbackTransport(int workers, long seed) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    runtimes = new WorkerRuntime[workers];
    for (int i = 0; i < workers; i++) {
      runtimes[i] = new WorkerRuntime(i, workers, seed);
    }
    lanes = new WorkerLanes(workers, "loopback-worker");
  }

  @Override
  public int size() {
    return runtimes.length;
  }

  @Override
  public CompletableFuture<Frame> send(int worker, Frame request) {
    Objects.requireNonNull(request, "request");
    Objects.checkIndex(worker, runtimes.length);
    byte[] wire = request.toByteArray();
    bytesSent.addAndGet(wire.length);
    WorkerRuntime runtime = runtimes[worker];
    CompletableFuture<byte[]> job =
        lanes.submit(worker, () -> runtime.handle(Frame.read(wire)).toByteArray());
    CompletableFuture<Frame> reply =
        new CompletableFuture<>() {
          @Override
          public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            job.cancel(mayInterruptIfRunning); // interrupts the worker's task if it runs
            return cancelled;
          }
        };
    job.whenComplete(
        (bytes, error) -> {
          if (error != null) {
            reply.completeExceptionally(error);
          } else {
            bytesReceived.addAndGet(bytes.length);
            reply.complete(Frame.read(bytes));
          }
        });
    return reply;
  }

  /** Returns how many bytes were sent to the workers so far. */
  public long bytesSent() {
    return bytesSent.get();
  }

  /** Returns how many bytes came back from the workers so far. */
  public long bytesReceived() {
    return bytesReceived.get();
  }

  /**
   * Returns how many objects worker {@code worker} stores (read without synchronization: call it
   * only while the worker is idle).
   *
   * @param worker the worker index
   * @return the count
   */
  public int objectCount(int worker) {
    return runtimes[worker].objectCount();
  }

  @Override
  public String describe() {
    return "loopback[" + runtimes.length + "]";
  }

  @Override
  public List<String> close(Duration timeout) {
    return lanes.close(timeout);
  }

  @Override
  public void close() {
    lanes.close();
  }

  /** The {@link PoolProvider} of the loopback backend. */
  public static final class Provider implements PoolProvider {
    /** The backend name. */
    public static final String NAME = "loopback";

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public Provider() {}

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String module() {
      return "org.jmor:jmor-parallel-testkit";
    }

    @Override
    public Transport open(PoolSpec spec) {
      return new LoopbackTransport(spec.workers() == 0 ? 2 : spec.workers(), spec.seed());
    }
  }
}
