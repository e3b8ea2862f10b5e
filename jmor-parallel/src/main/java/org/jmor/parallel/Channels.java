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
   * @return the channel
   */
  static Channel sequential(long seed, boolean strict) {
    return strict ? new FrameChannel(new CallerFrameTransport(seed), true, true) : new Direct(seed);
  }

  /**
   * The thread pool's channel: one lane (thread) per worker. Strict: through frames.
   *
   * @param workers at least 1
   * @param seed the pool seed
   * @param strict whether everything is serialized
   * @param name the pool's name, for the threads' names
   * @return the channel
   */
  static Channel threads(int workers, long seed, boolean strict, String name) {
    return strict
        ? new FrameChannel(new LaneFrameTransport(workers, seed, name), false, true)
        : new Lanes(workers, seed, name);
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

  /** One worker that is the calling thread, with in-process objects. */
  private static final class Direct extends InProcess {
    private final WorkerState worker;

    Direct(long seed) {
      this.worker = new WorkerState(0, 1, seed);
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

    Lanes(int n, long seed, String name) {
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
      return lanes.submit(worker, () -> w.execute(c));
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
