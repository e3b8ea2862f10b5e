package org.jmor.parallel.testkit;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jmor.parallel.spi.Command;
import org.jmor.parallel.spi.Commands;
import org.jmor.parallel.spi.PoolProvider;
import org.jmor.parallel.spi.PoolSpec;
import org.jmor.parallel.spi.SerializedValue;
import org.jmor.parallel.spi.Transport;
import org.jmor.parallel.spi.Wire;
import org.jmor.parallel.spi.WorkerRuntime;

/**
 * A {@link Transport} that behaves like a remote backend without leaving the JVM: it declares
 * {@link #serializes()}, insists on the SPI contract that the core hands it only {@linkplain
 * Command#isSerialized() serialized} commands, and moves every command, reply and exception through
 * bytes, as a network would. Each worker is one thread with its own {@link WorkerRuntime}.
 *
 * <p>A command that is not serialized completes its future exceptionally with an {@link
 * IllegalStateException} naming the command class, so a core that forgets to serialize a command
 * fails the contract tests instead of working by accident in process.
 *
 * <p>Use it through {@link Provider} (backend name {@value Provider#NAME}), registered in a test
 * class path's {@code META-INF/services/org.jmor.parallel.spi.PoolProvider}.
 */
public final class LoopbackTransport implements Transport {
  private final WorkerRuntime[] runtimes;
  private final ExecutorService[] threads;

  /**
   * Starts {@code workers} worker threads.
   *
   * @param workers at least 1
   * @param seed the pool seed
   */
  public LoopbackTransport(int workers, long seed) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    runtimes = new WorkerRuntime[workers];
    threads = new ExecutorService[workers];
    for (int i = 0; i < workers; i++) {
      runtimes[i] = new WorkerRuntime(i, workers, seed);
      String name = "loopback-worker-" + i;
      threads[i] =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, name);
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
    return true;
  }

  @Override
  public CompletableFuture<Object> send(int worker, Command command) {
    Objects.requireNonNull(command, "command");
    CompletableFuture<Object> reply = new CompletableFuture<>();
    if (!command.isSerialized()) {
      reply.completeExceptionally(
          new IllegalStateException(
              "SPI contract violated: the core "
                  + "sent an unserialized "
                  + command.getClass().getName()
                  + " to a serializing transport"));
      return reply;
    }
    byte[] wire = command.bytes().clone();
    WorkerRuntime runtime = runtimes[worker];
    try {
      threads[worker].execute(
          () -> {
            try {
              Object result = runtime.execute(Commands.fromBytes(wire));
              if (result instanceof SerializedValue) {
                reply.complete(new SerializedValue(((SerializedValue) result).bytes().clone()));
              } else {
                reply.completeExceptionally(
                    new IllegalStateException(
                        "a serialized command " + "returned a non-serialized reply: " + result));
              }
            } catch (Throwable e) {
              reply.completeExceptionally(
                  (Throwable) Wire.deserialize(Wire.serialize(Wire.portable(e))));
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      reply.completeExceptionally(new IllegalStateException("worker " + worker + " has ended", e));
    }
    return reply;
  }

  @Override
  public String describe() {
    return "loopback[" + runtimes.length + "]";
  }

  @Override
  public void close() {
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
