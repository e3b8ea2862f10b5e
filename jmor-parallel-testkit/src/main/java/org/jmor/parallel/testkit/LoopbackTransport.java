package org.jmor.parallel.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.jmor.parallel.WorkerLostException;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.PendingReplies;
import org.jmor.parallel.spi.PoolProvider;
import org.jmor.parallel.spi.PoolSpec;
import org.jmor.parallel.spi.Transport;
import org.jmor.parallel.spi.WorkerHost;

/**
 * A frame {@link Transport} that behaves like a remote backend without leaving the JVM: every
 * request and every reply crosses as one joined byte array ({@link Frame#toByteArray()} on the
 * sending side, {@link Frame#read(byte[])} on the receiving side), as a network or a message
 * payload would carry it, and each worker is a {@link WorkerHost} (the kit's worker side, with its
 * {@link org.jmor.parallel.spi.WorkerRuntime} per pool on an ordered lane), answered through a
 * {@link PendingReplies} table. The core's protocol, codec and failure handling are therefore
 * exercised exactly as a remote backend exercises them.
 *
 * <p>Use it through {@link Provider} (backend name {@value Provider#NAME}), registered in a test
 * class path's {@code META-INF/services/org.jmor.parallel.spi.PoolProvider}.
 */
public final class LoopbackTransport implements Transport {
  private final WorkerHost[] hosts;
  private final PendingReplies pending;
  private final AtomicLong bytesSent = new AtomicLong();
  private final AtomicLong bytesReceived = new AtomicLong();

  /**
   * Starts {@code workers} worker hosts.
   *
   * @param workers at least 1
   * @param seed the pool seed (unused: the core's open-pool frames carry it)
   */
  public LoopbackTransport(int workers, long seed) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    hosts = new WorkerHost[workers];
    pending = new PendingReplies(workers, describe(workers), (w, seq) -> hosts[w].cancel(0, seq));
    for (int i = 0; i < workers; i++) {
      int worker = i;
      hosts[i] =
          new WorkerHost(
              "loopback-worker-" + i,
              (pool, seq, reply) -> {
                byte[] wire = reply.toByteArray(); // as a network would carry it
                bytesReceived.addAndGet(wire.length);
                pending.complete(worker, seq, Frame.read(wire));
              });
    }
  }

  private static String describe(int workers) {
    return "loopback[" + workers + "]";
  }

  @Override
  public int size() {
    return hosts.length;
  }

  @Override
  public CompletableFuture<Frame> send(int worker, Frame request) {
    Objects.requireNonNull(request, "request");
    Objects.checkIndex(worker, hosts.length);
    PendingReplies.Reply reply = pending.register(worker);
    if (reply.isDone()) {
      return reply;
    }
    byte[] wire = request.toByteArray();
    bytesSent.addAndGet(wire.length);
    hosts[worker]
        .receive(0, reply.sequence(), Frame.read(wire))
        .whenComplete(
            (r, error) -> {
              Throwable cause = error instanceof CompletionException ? error.getCause() : error;
              if (cause instanceof WorkerLostException) {
                pending.workerLost(worker, cause.getMessage()); // its lane's thread died
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
    return hosts[worker].objectCount(0);
  }

  @Override
  public String describe() {
    return describe(hosts.length);
  }

  @Override
  public List<String> close(Duration timeout) {
    long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
    List<String> abandoned = new ArrayList<>();
    for (int i = 0; i < hosts.length; i++) {
      for (String line :
          hosts[i].close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
        abandoned.add("worker " + i + ": " + line);
      }
    }
    abandoned.addAll(pending.close("the loopback pool was closed"));
    return abandoned;
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
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

    /** Returns null: a lost worker fails only its own requests ({@link PendingReplies}). */
    @Override
    public @org.jspecify.annotations.Nullable String shrinkUnsupported() {
      return null;
    }

    @Override
    public Transport open(PoolSpec spec) {
      return new LoopbackTransport(spec.workers() == 0 ? 2 : spec.workers(), spec.seed());
    }
  }
}
