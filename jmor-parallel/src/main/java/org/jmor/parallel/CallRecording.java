package org.jmor.parallel;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.jmor.parallel.events.CallEvent;
import org.jmor.parallel.events.CallKind;
import org.jmor.parallel.events.Outcome;
import org.jmor.parallel.events.Recorder;
import org.jmor.parallel.events.WorkerEvent;
import org.jmor.parallel.events.WorkerState;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one {@link GenericWorkerPool} records with its {@link Recorder}: a {@link CallEvent} per
 * worker part of each call (when the part's reply completes, on the completing thread), a {@link
 * WorkerEvent} when a worker starts, is lost (once) and when the pool closes. With a recorder that
 * is off, {@link #on} is false and the pool calls nothing here on its calls' path.
 */
final class CallRecording {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

  /** Whether the recorder is on ({@link Recorder#isOn()}, read once). */
  final boolean on;

  private final Recorder recorder;

  /** The pool's name in events: its name and initial size, for example {@code "threads#1[2]"}. */
  private final String poolName;

  /** The pool, for log messages. */
  private final Object pool;

  private final AtomicLong callIds = new AtomicLong();

  /** 1 for a worker whose loss was recorded (once per worker). */
  private final AtomicIntegerArray lossRecorded;

  /**
   * Creates the recording of a pool and records its workers as started.
   *
   * @param recorder the recorder
   * @param poolName the pool's name in events
   * @param size the pool's initial number of workers
   * @param pool the pool, for log messages
   */
  CallRecording(Recorder recorder, String poolName, int size, Object pool) {
    this.recorder = recorder;
    this.pool = pool;
    this.on = recorder.isOn();
    this.poolName = poolName;
    this.lossRecorded = new AtomicIntegerArray(size);
    if (on) {
      long now = recorder.nanos();
      for (int i = 0; i < size; i++) {
        recorder.record(new WorkerEvent(poolName, i, WorkerState.STARTED, now));
      }
    }
  }

  /** The recorder's time now when recording, else 0 (one field check, no call). */
  long start() {
    return on ? recorder.nanos() : 0;
  }

  /**
   * Records each worker part of a call when its reply completes (on the completing thread).
   *
   * @param replies the replies of the call
   * @param workers the physical worker of each reply
   * @param kind what the call is
   * @param start when it started ({@link #start()})
   */
  void watch(List<CompletableFuture<Object>> replies, int[] workers, CallKind kind, long start) {
    long id = callIds.incrementAndGet();
    for (int i = 0; i < replies.size(); i++) {
      int worker = workers[i];
      CompletableFuture<Object> reply = replies.get(i);
      reply.whenComplete((v, e) -> recordPart(kind, id, worker, start, reply, e));
    }
  }

  private void recordPart(
      CallKind kind,
      long id,
      int worker,
      long start,
      CompletableFuture<Object> reply,
      @Nullable Throwable error) {
    long end = recorder.nanos();
    long run = -1;
    long sent = 0;
    long received = 0;
    if (reply instanceof Metered) {
      Metered m = (Metered) reply;
      run = m.runNanos();
      sent = m.bytesSent();
      received = m.bytesReceived();
      long done = m.doneNanos();
      if (done != 0) {
        // when the reply arrived, not when this callback runs (the caller may have gone on)
        end -= Math.max(0, System.nanoTime() - done);
      }
    }
    end = Math.max(start, end);
    Throwable c =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    Outcome outcome =
        c == null
            ? Outcome.OK
            : c instanceof CancellationException
                ? Outcome.CANCELLED
                : c instanceof WorkerLostException ? Outcome.LOST : Outcome.FAILED;
    try {
      recorder.record(
          new CallEvent(poolName, kind, id, worker, start, end, run, sent, received, outcome));
      if (outcome == Outcome.LOST && lossRecorded.compareAndSet(worker, 0, 1)) {
        recorder.record(new WorkerEvent(poolName, worker, WorkerState.LOST, end));
      }
    } catch (RuntimeException e) {
      LOG.warn("{}: recording a {} call failed: {}", pool, kind, e.toString());
    }
  }

  /** Records a call with no worker part (worker -1), when recording. */
  void local(CallKind kind) {
    if (on) {
      long now = recorder.nanos();
      recorder.record(
          new CallEvent(
              poolName, kind, callIds.incrementAndGet(), -1, now, now, -1, 0, 0, Outcome.OK));
    }
  }

  /** Records every worker not recorded as lost as closed, when recording. */
  void closed() {
    if (on) {
      long now = recorder.nanos();
      for (int i = 0; i < lossRecorded.length(); i++) {
        if (lossRecorded.get(i) == 0) {
          recorder.record(new WorkerEvent(poolName, i, WorkerState.CLOSED, now));
        }
      }
    }
  }
}
