package org.jmor.parallel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jmor.parallel.internal.ElementFailure;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one {@link GenericWorkerPool} waits for the replies of a call and turns them into the call's
 * result: the per-call deadline, lending the caller's thread to the transport ({@link
 * Channel#progress}), one aggregated {@link RemoteExecutionException} for failed tasks, a {@link
 * CallTimeoutException} naming the late workers (whose tasks are interrupted), and the failure
 * model: a lost worker breaks the pool ({@link GenericWorkerPool#markBroken}), or on a shrinking
 * pool is taken out ({@link GenericWorkerPool#lose}) and its reply left out, computed again or
 * failed as the call's {@link Loss} says. Asynchronous calls are collected the same way on the
 * pool's completer, so their futures never complete on a worker's or a transport's thread.
 *
 * <p>Holds no state of its own besides its configuration; thread-safe.
 */
final class ReplyCollector {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

  private final GenericWorkerPool pool;
  private final Channel channel;
  private final @Nullable Duration callTimeout; // null: none
  private final boolean shrink;
  private final Executor completer;

  /**
   * Creates the collector of a pool.
   *
   * @param pool the pool: its state (closed, size), its failure model and its name in messages
   * @param channel the pool's channel
   * @param callTimeout the per-call deadline, or null for none
   * @param shrink whether a lost worker is taken out instead of breaking the pool
   * @param completer where asynchronous calls are collected and their futures completed
   */
  ReplyCollector(
      GenericWorkerPool pool,
      Channel channel,
      @Nullable Duration callTimeout,
      boolean shrink,
      Executor completer) {
    this.pool = pool;
    this.channel = channel;
    this.callTimeout = callTimeout;
    this.shrink = shrink;
    this.completer = completer;
  }

  /**
   * The deadline of a call starting now ({@link System#nanoTime()}; {@code Long.MAX_VALUE}: none).
   */
  long deadline() {
    return callTimeout == null ? Long.MAX_VALUE : System.nanoTime() + callTimeout.toNanos();
  }

  /** What a call's collection does with its replies (on the completer, for async calls). */
  interface Collector<R> {
    List<R> collect();
  }

  /**
   * The future of an asynchronous call: completes on the completer with what {@code collector}
   * returns once every reply is there (or at once when a worker is lost on a pool that does not
   * shrink), or with a {@link CallTimeoutException} at the deadline; {@code cancel(true)}
   * interrupts the call's tasks.
   */
  <R> CompletableFuture<List<R>> gather(String op, Sent sent, Collector<R> collector) {
    List<CompletableFuture<Object>> replies = sent.replies;
    int[] workers = sent.workers;
    PoolFuture<List<R>> result = new PoolFuture<>(replies);
    CompletableFuture<Void> all =
        CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0]));
    if (callTimeout != null) {
      all = all.orTimeout(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }
    // as in collect: a lost worker fails the call at once, without waiting for the others (a
    // shrinking pool waits for the others, then completes the call on the survivors)
    CompletableFuture<Object> anyLost = firstLoss(replies, replies.size() > 1 && !shrink);
    CompletableFuture.anyOf(all, anyLost)
        .whenCompleteAsync(
            (ignored, error) -> {
              try {
                if (error instanceof TimeoutException
                    || error instanceof CompletionException
                        && error.getCause() instanceof TimeoutException) {
                  throw timedOut(op, replies, workers);
                }
                result.complete(collector.collect());
              } catch (Throwable t) {
                result.completeExceptionally(t);
              }
            },
            completer);
    return result;
  }

  /**
   * Returns a future that completes with the first {@link WorkerLostException} among {@code
   * replies}, as soon as one of them fails with it; it never completes if {@code watch} is false or
   * no worker is lost.
   */
  private static CompletableFuture<Object> firstLoss(
      List<CompletableFuture<Object>> replies, boolean watch) {
    CompletableFuture<Object> anyLost = new CompletableFuture<>();
    if (watch) {
      for (CompletableFuture<Object> r : replies) {
        r.whenComplete(
            (v, e) -> {
              Throwable c =
                  e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
              if (c instanceof WorkerLostException) {
                anyLost.complete(c);
              }
            });
      }
    }
    return anyLost;
  }

  /** A future that users see: {@code cancel(true)} interrupts the tasks it started. */
  private static final class PoolFuture<T> extends CompletableFuture<T> {
    private final List<CompletableFuture<Object>> replies;

    PoolFuture(List<CompletableFuture<Object>> replies) {
      this.replies = replies;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        for (CompletableFuture<Object> r : replies) {
          r.cancel(mayInterruptIfRunning);
        }
      }
      return cancelled;
    }
  }

  /** The replies of one call, with the physical worker of each. */
  static final class Sent {
    final List<CompletableFuture<Object>> replies;
    final int[] workers;

    Sent(List<CompletableFuture<Object>> replies, int[] workers) {
      this.replies = replies;
      this.workers = workers;
    }
  }

  /** What a shrinking pool does with the reply of a worker lost during the call. */
  enum Loss {
    /** Leave it out (apply, push, remove, scatter). */
    OMIT,
    /** Compute it again on the survivors (map). */
    RERUN,
    /** Fail the call with a WorkerLostException (applyOnly). */
    FAIL
  }

  /** Computes the value of reply {@code i} again, and says what it did in {@code log}. */
  interface Rerun {
    Object run(int i, StringBuilder log);
  }

  /** Left-out values of lost workers. */
  private static final Object OMITTED = new Object();

  /**
   * Waits for every reply (until the deadline), then returns the values or throws one aggregated
   * exception. On a shrinking pool a lost worker's reply is treated as {@code loss} says ({@code
   * rerun} computes it again for {@link Loss#RERUN}).
   */
  <R> List<R> collect(String op, Sent sent, boolean concat, Loss loss, @Nullable Rerun rerun) {
    try {
      return shrink
          ? collectShrinking(op, sent, concat, loss, rerun)
          : collectOrInterrupted(op, sent.replies, sent.workers, concat);
    } catch (CancellationException e) {
      // an interrupted caller abandons its call: interrupt its tasks too, so that a remote worker
      // does not go on running them in front of the next call
      for (CompletableFuture<Object> r : sent.replies) {
        r.cancel(true);
      }
      throw e;
    }
  }

  /** {@link #collect} on a shrinking pool. */
  @SuppressWarnings("unchecked")
  private <R> List<R> collectShrinking(
      String op, Sent sent, boolean concat, Loss loss, @Nullable Rerun rerun) {
    List<CompletableFuture<Object>> replies = sent.replies;
    int[] workers = sent.workers;
    long deadline = deadline();
    Object[] values = new Object[replies.size()];
    WorkerLostException[] lost = new WorkerLostException[replies.size()];
    boolean anyLost = false;
    List<WorkerFailure> failures = null;
    for (int i = 0; i < replies.size(); i++) {
      try {
        CompletableFuture<Object> reply = replies.get(i);
        if (!reply.isDone()) {
          channel.progress(reply, deadline);
        }
        values[i] = waitFor(reply, deadline);
      } catch (TimeoutException e) {
        throw timedOut(op, replies, workers);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof WorkerLostException) {
          lost[i] = (WorkerLostException) cause;
          anyLost = true;
          continue;
        }
        WorkerFailure f = failure(op, workers[i], cause);
        if (failures == null) {
          failures = new ArrayList<>();
        }
        failures.add(f);
      }
    }
    if (anyLost) {
      StringBuilder log = new StringBuilder();
      for (int i = 0; i < replies.size(); i++) {
        if (lost[i] != null) {
          String resent = pool.lose(op, workers[i], lost[i]); // breaks the pool if it was the last
          if (log.length() > 0) {
            log.append("; ");
          }
          log.append(lost[i].getMessage()).append(", during ").append(op).append(": ");
          if (failures != null) {
            log.append("the call fails (a task failed)");
          } else if (loss == Loss.FAIL) {
            log.append("the call fails");
          } else if (loss == Loss.OMIT) {
            log.append("its result is left out");
            values[i] = OMITTED;
          } else {
            values[i] = Objects.requireNonNull(rerun).run(i, log);
          }
          log.append(resent);
        }
      }
      int left = pool.size();
      LOG.warn("{}: {}; {} {} on", pool, log, left, left == 1 ? "worker goes" : "workers go");
      if (failures == null && loss == Loss.FAIL) {
        for (int i = 0; i < replies.size(); i++) {
          if (lost[i] != null) {
            throw new WorkerLostException(
                workers[i],
                "during "
                    + op
                    + " on "
                    + pool
                    + ", which goes on with the other workers: "
                    + lost[i].getMessage(),
                lost[i]);
          }
        }
      }
    }
    if (failures != null) {
      throw new RemoteExecutionException(failures, pool.size());
    }
    List<Object> out = new ArrayList<>(values.length);
    for (Object v : values) {
      if (v == OMITTED) {
        continue;
      }
      if (concat) {
        out.addAll((List<?>) v);
      } else {
        out.add(v);
      }
    }
    return (List<R>) out;
  }

  /** A task's failure on a worker, or the exception the caller gets at once. */
  private WorkerFailure failure(String op, int worker, Throwable cause) {
    if (cause instanceof CancellationException && pool.isClosed()) {
      throw new IllegalStateException(
          op + ": " + pool + " was closed while the call ran; its work was abandoned", cause);
    }
    if (cause instanceof InterruptedException && channel.runsOnCaller()) {
      Thread.currentThread().interrupt();
      CancellationException c =
          new CancellationException(op + ": interrupted while running on " + pool);
      c.initCause(cause);
      throw c;
    }
    long element = -1;
    Throwable c = cause;
    if (c instanceof ElementFailure) {
      element = ((ElementFailure) c).element();
      c = Objects.requireNonNull(c.getCause());
    }
    return new WorkerFailure(worker, element, c);
  }

  @SuppressWarnings("unchecked")
  private <R> List<R> collectOrInterrupted(
      String op, List<CompletableFuture<Object>> replies, int[] workers, boolean concat) {
    long deadline = deadline();
    List<Object> values = new ArrayList<>(replies.size());
    List<WorkerFailure> failures = null;
    WorkerLostException lost = null;
    // a lost worker fails the call at once, without waiting for the other workers' tasks
    CompletableFuture<Object> anyLost = firstLoss(replies, replies.size() > 1);
    for (int i = 0; i < replies.size(); i++) {
      try {
        CompletableFuture<Object> reply = replies.get(i);
        if (!reply.isDone() && !anyLost.isDone()) {
          channel.progress(reply, deadline);
        }
        if (!reply.isDone() && replies.size() > 1) {
          waitFor(CompletableFuture.anyOf(reply, anyLost), deadline);
          if (!reply.isDone() && anyLost.isDone()) {
            for (CompletableFuture<Object> r : replies) {
              r.cancel(true); // the pool is broken: interrupt what still runs
            }
            throw pool.markBroken(op, (WorkerLostException) anyLost.join());
          }
        }
        values.add(waitFor(reply, deadline));
      } catch (TimeoutException e) {
        throw timedOut(op, replies, workers);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        values.add(null);
        if (cause instanceof WorkerLostException) {
          if (lost == null) {
            lost = (WorkerLostException) cause;
          }
          continue;
        }
        WorkerFailure f = failure(op, workers[i], cause); // or throws, as for a closed pool
        if (failures == null) {
          failures = new ArrayList<>();
        }
        failures.add(f);
      }
    }
    if (lost != null) {
      throw pool.markBroken(op, lost);
    }
    if (failures != null) {
      throw new RemoteExecutionException(failures, pool.size());
    }
    if (!concat) {
      return (List<R>) values;
    }
    int total = 0;
    for (Object v : values) {
      total += ((List<?>) v).size();
    }
    ArrayList<Object> all = new ArrayList<>(total);
    for (Object v : values) {
      all.addAll((List<?>) v);
    }
    return (List<R>) all;
  }

  private CallTimeoutException timedOut(
      String op, List<CompletableFuture<Object>> replies, int[] workers) {
    List<Integer> late = new ArrayList<>();
    for (int i = 0; i < replies.size(); i++) {
      if (!replies.get(i).isDone()) {
        late.add(workers[i]);
        replies.get(i).cancel(true);
      }
    }
    return new CallTimeoutException(op + " on " + pool, late, callTimeout);
  }

  /**
   * Waits for a future until a deadline; an interruption restores the flag and becomes a
   * cancellation.
   */
  static <V> V waitFor(CompletableFuture<V> f, long deadline)
      throws ExecutionException, TimeoutException {
    try {
      if (f.isDone()) {
        return f.get();
      }
      if (deadline == Long.MAX_VALUE) {
        return f.get();
      }
      return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (CancellationException e) {
      throw new ExecutionException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      CancellationException c = new CancellationException("interrupted while waiting for workers");
      c.initCause(e);
      throw c;
    }
  }
}
