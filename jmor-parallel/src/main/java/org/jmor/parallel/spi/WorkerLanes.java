package org.jmor.parallel.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jmor.parallel.WorkerLostException;
import org.jspecify.annotations.Nullable;

/**
 * N single-thread lanes with an orderly, bounded shutdown: lane {@code i} runs the jobs submitted
 * to it one at a time, in submission order, on its own daemon thread. The thread and the strict
 * pools run their workers on lanes, a frame transport can run each worker's {@link WorkerRuntime}
 * on one, and a remote worker process can use one lane to answer its frames.
 *
 * <ul>
 *   <li>{@link #submit(int, Callable)} returns a future that completes with the job's value or
 *       exception. {@code cancel(true)} on it removes a queued job, or interrupts it while it runs
 *       (only that job: the interrupt never leaks into the next one).
 *   <li>A lane whose thread dies (a {@link ThreadDeath}, or an error thrown outside a job) is lost:
 *       its running and queued jobs, and every later one, complete with a {@link
 *       WorkerLostException} naming the lane.
 *   <li>{@link #close(Duration)} lets queued and running jobs finish until the deadline, then
 *       interrupts what still runs, fails what is still queued with a {@link
 *       CancellationException}, and returns a description of what it abandoned.
 * </ul>
 *
 * Thread-safe.
 */
public final class WorkerLanes implements AutoCloseable {
  private final Lane[] lanes;
  private volatile boolean closed;

  /**
   * Starts {@code count} lanes.
   *
   * @param count at least 1
   * @param name the prefix of the threads' names; lane {@code i} is {@code name + "-" + i}
   * @throws IllegalArgumentException if {@code count < 1}
   */
  public WorkerLanes(int count, String name) {
    if (count < 1) {
      throw new IllegalArgumentException("the lane count must be >= 1, got " + count);
    }
    Objects.requireNonNull(name, "name");
    lanes = new Lane[count];
    for (int i = 0; i < count; i++) {
      lanes[i] = new Lane(i, name + "-" + i);
    }
    for (Lane lane : lanes) {
      lane.thread.start();
    }
  }

  /** Returns the number of lanes. */
  public int size() {
    return lanes.length;
  }

  /**
   * Returns whether lane {@code lane} can still run jobs (not lost, not closed).
   *
   * @param lane the lane index
   * @return whether it is alive
   */
  public boolean isAlive(int lane) {
    Lane l = lanes[Objects.checkIndex(lane, lanes.length)];
    return !closed && l.lost == null && l.thread.isAlive();
  }

  /**
   * Queues a job on a lane.
   *
   * @param lane the lane index
   * @param job the job
   * @param <T> the value type
   * @return the job's future; already failed if the lane is lost or the lanes are closed
   * @throws IndexOutOfBoundsException if there is no such lane
   */
  public <T> CompletableFuture<T> submit(int lane, Callable<T> job) {
    Lane l = lanes[Objects.checkIndex(lane, lanes.length)];
    Job<T> j = new Job<>(l, Objects.requireNonNull(job, "job"));
    synchronized (l) {
      if (l.lost != null) {
        j.completeExceptionally(l.lostException());
      } else if (closed) {
        j.completeExceptionally(new IllegalStateException("lane " + lane + " is closed"));
      } else {
        l.queue.add(j);
      }
    }
    return j;
  }

  /**
   * Closes the lanes within a bounded time: queued and running jobs may finish until {@code
   * timeout} has passed; then running jobs are interrupted, queued ones fail with a {@link
   * CancellationException}, and the threads are given a short grace to end. Threads that ignore the
   * interrupt are abandoned (they are daemons). Idempotent.
   *
   * @param timeout how long to let jobs finish
   * @return one line for each lane whose work was abandoned or interrupted; empty when everything
   *     finished in time
   */
  public List<String> close(Duration timeout) {
    List<String> abandoned = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return abandoned;
      }
      closed = true;
    }
    for (Lane l : lanes) {
      synchronized (l) {
        l.queue.add(Lane.END);
      }
    }
    long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
    for (Lane l : lanes) {
      join(l.thread, deadline - System.nanoTime());
    }
    for (Lane l : lanes) {
      if (!l.thread.isAlive()) {
        continue;
      }
      int dropped = 0;
      synchronized (l) {
        for (Job<?> j; (j = l.queue.poll()) != null; ) {
          if (j != Lane.END && j.completeExceptionally(new CancellationException("closed"))) {
            dropped++;
          }
        }
        l.queue.add(Lane.END);
      }
      String running = l.interruptCurrent();
      abandoned.add(
          "lane "
              + l.index
              + ": "
              + (running == null ? "idle" : "interrupted " + running)
              + (dropped > 0 ? ", dropped " + dropped + " queued job(s)" : ""));
    }
    long grace = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
    for (Lane l : lanes) {
      join(l.thread, grace - System.nanoTime());
      if (l.thread.isAlive()) {
        l.failCurrent(new CancellationException("closed while running"));
      }
    }
    return abandoned;
  }

  /** Same as {@code close(Duration.ofSeconds(5))}. */
  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  private static void join(Thread t, long nanos) {
    if (nanos <= 0 || Thread.currentThread() == t) {
      return;
    }
    try {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class Job<T> extends CompletableFuture<T> {
    private final @Nullable Lane lane;
    private final Callable<T> body;
    private long started;

    Job(@Nullable Lane lane, Callable<T> body) {
      this.lane = lane;
      this.body = body;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled && mayInterruptIfRunning) {
        Objects.requireNonNull(lane)
            .interruptIf(this); // END, the only laneless job, is never cancelled
      }
      return cancelled;
    }

    void run() throws ThreadDeath {
      try {
        complete(body.call());
      } catch (ThreadDeath d) {
        throw d;
      } catch (Throwable t) {
        completeExceptionally(t);
      }
    }

    @Override
    public String toString() {
      return "a job for " + (System.nanoTime() - started) / 1_000_000 + " ms";
    }
  }

  private static final class Lane implements Runnable {
    static final Job<Object> END = new Job<>(null, () -> null);

    final int index;
    final Thread thread;
    final LinkedBlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
    private @Nullable Job<?> current; // guarded by this
    private volatile @Nullable Throwable lost;

    Lane(int index, String name) {
      this.index = index;
      this.thread = new Thread(this, name);
      thread.setDaemon(true);
    }

    @Override
    public void run() {
      Job<?> j = null;
      try {
        while (true) {
          j = queue.take();
          if (j == END) {
            return;
          }
          synchronized (this) {
            if (j.isDone()) {
              continue;
            }
            current = j;
            j.started = System.nanoTime();
          }
          try {
            j.run();
          } finally {
            synchronized (this) {
              current = null;
              Thread.interrupted(); // an interrupt meant for this job ends with it
            }
          }
          j = null;
        }
      } catch (InterruptedException e) {
        // closing
      } catch (Throwable t) {
        die(t, j);
        throw t;
      }
    }

    private void die(Throwable t, @Nullable Job<?> running) {
      WorkerLostException e;
      synchronized (this) {
        lost = t;
        e = lostException();
      }
      if (running != null) {
        running.completeExceptionally(e);
      }
      for (Job<?> q; (q = queue.poll()) != null; ) {
        q.completeExceptionally(e);
      }
    }

    synchronized WorkerLostException lostException() {
      return new WorkerLostException(
          index, "its thread " + thread.getName() + " died of " + lost, lost);
    }

    synchronized void interruptIf(Job<?> j) {
      if (current == j) {
        thread.interrupt();
      }
    }

    synchronized @Nullable String interruptCurrent() {
      if (current == null) {
        return null;
      }
      thread.interrupt();
      return current.toString();
    }

    void failCurrent(RuntimeException e) {
      Job<?> j;
      synchronized (this) {
        j = current;
      }
      if (j != null) {
        j.completeExceptionally(e);
      }
    }
  }
}
