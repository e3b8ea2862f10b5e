package org.jmor.parallel.spi;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
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
 *   <li>{@link #runHere(CompletableFuture)} lets a thread that would otherwise block on a job's
 *       future run that job itself, when it is next in its lane and the lane is idle (work
 *       stealing: no hop to the lane's thread). Jobs of one lane still run one at a time, in
 *       submission order.
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
      lanes[i] = new Lane(this, i, name + "-" + i);
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
    return submit(lane, job, true);
  }

  /**
   * Queues a job; with {@code wake} false the lane's thread is not woken if it is idle, for a
   * caller that runs the job itself at once ({@link #runHere}) and calls {@link #wake(int)} if it
   * cannot. (Waking it lets it take the job first: on MPI's ranks it did so for about 40 % of the
   * requests a receiving thread meant to run itself.)
   */
  <T> CompletableFuture<T> submit(int lane, Callable<T> job, boolean wake) {
    Lane l = lanes[Objects.checkIndex(lane, lanes.length)];
    Job<T> j = new Job<>(l, Objects.requireNonNull(job, "job"));
    synchronized (l) {
      if (l.lost != null) {
        j.completeExceptionally(l.lostException());
      } else if (closed) {
        j.completeExceptionally(new IllegalStateException("lane " + lane + " is closed"));
      } else {
        l.queue.add(j);
        if (wake) {
          l.notifyAll();
        }
      }
    }
    return j;
  }

  /** Wakes a lane's thread, for a job queued with {@code submit(lane, job, false)}. */
  void wake(int lane) {
    Lane l = lanes[lane];
    synchronized (l) {
      l.notifyAll();
    }
  }

  /**
   * Runs a queued job in the calling thread instead of the lane's thread, if that can be done
   * without changing the lane's order: the job must be the next one of its lane and the lane must
   * be idle. The job then counts as the lane's running job: {@code cancel(true)} on its future and
   * {@link #close(Duration)} interrupt the calling thread, and the lane starts no other job until
   * it ends. An interrupt meant for the job is cleared when it ends; an interrupt of the calling
   * thread from elsewhere is kept. A job that throws {@link ThreadDeath} loses the lane, as it
   * would on the lane's thread (its future and the queued ones fail with a {@link
   * WorkerLostException}); the calling thread goes on.
   *
   * <p>Meant for a caller that is about to block on {@code job} with no time limit: the job's value
   * is the same, but a time limit could not be enforced while the caller runs it.
   *
   * @param job a future returned by {@link #submit(int, Callable)} of these lanes; other futures
   *     are ignored
   * @return whether the job ran here (it is then done); false if it was started, done, not next in
   *     its lane, or not one of these lanes' jobs, or if the calling thread is interrupted
   */
  public boolean runHere(CompletableFuture<?> job) {
    if (!(job instanceof Job) || job.isDone() || Thread.currentThread().isInterrupted()) {
      return false;
    }
    Job<?> j = (Job<?>) job;
    Lane l = j.lane;
    if (l == null || l.owner != this) {
      return false;
    }
    synchronized (l) {
      if (closed || l.lost != null || l.current != null || l.queue.peek() != j) {
        return false;
      }
      l.queue.poll();
      l.start(j, Thread.currentThread());
    }
    try {
      j.run();
    } catch (ThreadDeath d) {
      // the job killed the lane's worker, whichever thread lent it: the lane is lost (as if its
      // own thread had died), and the lending thread goes on
      l.die(d, j);
    } finally {
      boolean interruptedForJob;
      synchronized (l) {
        interruptedForJob = l.interruptedForJob;
        l.finish();
        if (!l.queue.isEmpty()) {
          l.notifyAll(); // an idle lane's thread has nothing to wake up for
        }
      }
      if (interruptedForJob) {
        Thread.interrupted(); // the interrupt was meant for the job: it ends with it
      }
    }
    return true;
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
        l.notifyAll();
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
        l.notifyAll();
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

    final WorkerLanes owner;
    final int index;
    final Thread thread;
    final ArrayDeque<Job<?>> queue = new ArrayDeque<>(); // guarded by this
    private @Nullable Job<?> current; // guarded by this
    private @Nullable Thread runner; // the thread running current; guarded by this
    private boolean interruptedForJob; // runner was interrupted for current; guarded by this
    private volatile @Nullable Throwable lost;

    Lane(WorkerLanes owner, int index, String name) {
      this.owner = owner;
      this.index = index;
      this.thread = new Thread(this, name);
      thread.setDaemon(true);
    }

    /** Makes {@code j} the running job of this lane, run by {@code t}; the caller holds this. */
    void start(Job<?> j, Thread t) {
      current = j;
      runner = t;
      interruptedForJob = false;
      j.started = System.nanoTime();
    }

    /** Ends the running job; the caller holds this. */
    void finish() {
      current = null;
      runner = null;
      interruptedForJob = false;
    }

    @Override
    public void run() {
      Job<?> j = null;
      try {
        while (true) {
          synchronized (this) {
            // a job run by another thread (runHere) keeps the lane busy until it ends
            while ((current != null || queue.isEmpty()) && lost == null) {
              wait();
            }
            if (lost != null) {
              return; // lost while another thread ran a job (runHere)
            }
            j = queue.poll();
            if (j == END) {
              return;
            }
            if (j == null || j.isDone()) {
              j = null;
              continue;
            }
            start(j, thread);
          }
          try {
            j.run();
          } finally {
            synchronized (this) {
              finish();
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
      List<Job<?>> queued = new ArrayList<>();
      synchronized (this) {
        lost = t;
        e = lostException();
        for (Job<?> q; (q = queue.poll()) != null; ) {
          queued.add(q);
        }
        notifyAll(); // the lane's thread, if another thread ran the job, ends
      }
      if (running != null) {
        running.completeExceptionally(e);
      }
      for (Job<?> q : queued) {
        q.completeExceptionally(e);
      }
    }

    synchronized WorkerLostException lostException() {
      return new WorkerLostException(
          index, "its thread " + thread.getName() + " died of " + lost, lost);
    }

    synchronized void interruptIf(Job<?> j) {
      if (current == j && runner != null) {
        interruptedForJob = true;
        runner.interrupt();
      }
    }

    synchronized @Nullable String interruptCurrent() {
      if (current == null || runner == null) {
        return null;
      }
      interruptedForJob = true;
      runner.interrupt();
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
