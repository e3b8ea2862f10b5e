package org.jmor.parallel;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jmor.parallel.internal.Command;
import org.jmor.parallel.internal.Commands;
import org.jmor.parallel.internal.WorkerState;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.Transport;
import org.jmor.parallel.spi.WorkerLanes;
import org.jmor.parallel.spi.WorkerRuntime;

/** The built-in channels: the sequential and thread pools, plain or strict. */
final class Channels {
  private Channels() {}

  /**
   * The sequential pool's channel: one worker, the calling thread. Strict: through frames.
   *
   * @param seed the pool seed
   * @param strict whether everything is serialized
   * @param metered whether the replies measure how long each command ran ({@link Metered}); frames
   *     always carry it
   * @return the channel
   */
  static Channel sequential(long seed, boolean strict, boolean metered) {
    return strict
        ? new FrameChannel(new CallerFrameTransport(seed), true, true)
        : new Direct(seed, metered);
  }

  /**
   * The thread pool's channel: one lane (thread) per worker. Strict: through frames.
   *
   * @param workers at least 1
   * @param seed the pool seed
   * @param strict whether everything is serialized
   * @param name the pool's name, for the threads' names
   * @param metered whether the replies measure how long each command ran ({@link Metered}); frames
   *     always carry it
   * @return the channel
   */
  static Channel threads(int workers, long seed, boolean strict, String name, boolean metered) {
    return strict
        ? new FrameChannel(new LaneFrameTransport(workers, seed, name), false, true)
        : new Lanes(workers, seed, name, metered);
  }

  /**
   * What the sequential and thread channels share: workers in this JVM, commands handed over as
   * objects ({@link Commands#prepare} checks that the copies the copy rules ask for can be made),
   * nothing serialized.
   */
  private abstract static class InProcess implements Channel {
    @Override
    public boolean serializes() {
      return false;
    }

    @Override
    public boolean inProcess() {
      return true;
    }

    @Override
    public Object prepare(Command command) {
      Commands.prepare(command);
      return command;
    }
  }

  /**
   * An in-process reply that knows how long its command ran: completed by the worker's future,
   * whose cancellation it passes on (which interrupts the task).
   */
  private static final class TimedReply extends CompletableFuture<Object> implements Metered {
    volatile long runNanos = -1;
    volatile long doneNanos;
    private volatile @org.jspecify.annotations.Nullable CompletableFuture<Object> source;

    void follow(CompletableFuture<Object> f) {
      source = f;
      f.whenComplete(
          (v, e) -> {
            doneNanos = System.nanoTime();
            if (e != null) {
              completeExceptionally(
                  e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                      ? e.getCause()
                      : e);
            } else {
              complete(v);
            }
          });
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      CompletableFuture<Object> f = source;
      if (f != null) {
        f.cancel(mayInterruptIfRunning);
      }
      return cancelled;
    }

    @Override
    public long runNanos() {
      return runNanos;
    }

    @Override
    public long bytesSent() {
      return 0;
    }

    @Override
    public long bytesReceived() {
      return 0;
    }

    @Override
    public long doneNanos() {
      return doneNanos;
    }
  }

  /** One worker that is the calling thread, with in-process objects. */
  private static final class Direct extends InProcess {
    private final WorkerState worker;
    private final boolean metered;

    Direct(long seed, boolean metered) {
      this.worker = new WorkerState(0, 1, seed);
      this.metered = metered;
    }

    @Override
    public int size() {
      return 1;
    }

    @Override
    public boolean runsOnCaller() {
      return true;
    }

    @Override
    public synchronized CompletableFuture<Object> send(int worker, Object prepared) {
      if (metered) {
        TimedReply r = new TimedReply();
        long started = System.nanoTime();
        try {
          Object v = this.worker.execute((Command) prepared);
          r.doneNanos = System.nanoTime();
          r.runNanos = r.doneNanos - started;
          r.complete(v);
        } catch (Exception | Error e) {
          r.doneNanos = System.nanoTime();
          r.runNanos = r.doneNanos - started;
          r.completeExceptionally(e);
        }
        return r;
      }
      try {
        return CompletableFuture.completedFuture(this.worker.execute((Command) prepared));
      } catch (Exception | Error e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public String describe() {
      return "sequential";
    }

    @Override
    public List<String> close(Duration timeout) {
      return List.of();
    }
  }

  /** N worker threads with in-process objects. */
  private static final class Lanes extends InProcess {
    private final WorkerState[] workers;
    private final WorkerLanes lanes;
    private final boolean metered;

    Lanes(int n, long seed, String name, boolean metered) {
      this.metered = metered;
      workers = new WorkerState[n];
      for (int i = 0; i < n; i++) {
        workers[i] = new WorkerState(i, n, seed);
      }
      lanes = new WorkerLanes(n, name + "-worker");
    }

    @Override
    public int size() {
      return workers.length;
    }

    @Override
    public boolean runsOnCaller() {
      return false;
    }

    @Override
    public CompletableFuture<Object> send(int worker, Object prepared) {
      WorkerState w = workers[worker];
      Command c = (Command) prepared;
      if (!metered) {
        return lanes.submit(worker, () -> w.execute(c));
      }
      TimedReply r = new TimedReply();
      r.follow(
          lanes.submit(
              worker,
              () -> {
                long started = System.nanoTime();
                try {
                  return w.execute(c);
                } finally {
                  r.runNanos = System.nanoTime() - started;
                }
              }));
      return r;
    }

    @Override
    public String describe() {
      return "threads[" + workers.length + "]";
    }

    @Override
    public List<String> close(Duration timeout) {
      return lanes.close(timeout);
    }
  }

  /** The strict sequential pool's transport: frames answered in the calling thread. */
  private static final class CallerFrameTransport implements Transport {
    private final WorkerRuntime runtime;

    CallerFrameTransport(long seed) {
      runtime = new WorkerRuntime(0, 1, seed);
    }

    @Override
    public int size() {
      return 1;
    }

    @Override
    public synchronized CompletableFuture<Frame> send(int worker, Frame request) {
      return CompletableFuture.completedFuture(runtime.handle(request));
    }

    @Override
    public String describe() {
      return "sequential-strict";
    }

    @Override
    public void close() {}
  }

  /**
   * The strict thread pool's transport: frames answered by one lane per worker, handed over as they
   * are (like a transport that sends memory directly).
   */
  static final class LaneFrameTransport implements Transport {
    private final WorkerRuntime[] runtimes;
    private final WorkerLanes lanes;

    LaneFrameTransport(int n, long seed, String name) {
      runtimes = new WorkerRuntime[n];
      for (int i = 0; i < n; i++) {
        runtimes[i] = new WorkerRuntime(i, n, seed);
      }
      lanes = new WorkerLanes(n, name + "-worker");
    }

    @Override
    public int size() {
      return runtimes.length;
    }

    @Override
    public CompletableFuture<Frame> send(int worker, Frame request) {
      WorkerRuntime r = runtimes[worker];
      return lanes.submit(worker, () -> r.handle(request));
    }

    @Override
    public String describe() {
      return "threads-strict[" + runtimes.length + "]";
    }

    @Override
    public List<String> close(Duration timeout) {
      return lanes.close(timeout);
    }

    @Override
    public void close() {
      lanes.close();
    }
  }
}
