package org.jmor.parallel.events;

import java.util.Objects;

/**
 * One worker's part of one pool call: a call on N workers gives N events with the same {@code
 * callId} and {@code worker = 0..N-1}; a call with no worker part (for example the remove of a
 * handle that lives only on the caller) gives one event with {@code worker = -1}.
 *
 * <p>Times are nanoseconds on the caller's clock ({@link System#nanoTime()}), relative to the
 * {@link Recorder}'s origin ({@link Recorder#originEpochMillis()}): {@code startNanos} is when the
 * caller sent the part, {@code endNanos} when its reply arrived (or the part ended otherwise).
 *
 * @param pool the pool's name, for example {@code "threads#1[2]"}
 * @param kind the operation
 * @param callId the call's number, the same for every worker part of one call (unique per pool)
 * @param worker the worker's index, or -1 for a call with no worker part
 * @param startNanos when the part was sent, relative to the recorder's origin
 * @param endNanos when the part ended, relative to the recorder's origin; {@code >= startNanos}
 * @param runNanos how long the task ran on the worker, measured there, or -1 when unknown
 * @param bytesSent bytes sent from the caller to the worker for this part (0 in process)
 * @param bytesReceived bytes of the worker's reply (0 in process)
 * @param outcome how the part ended
 */
public record CallEvent(
    String pool,
    CallKind kind,
    long callId,
    int worker,
    long startNanos,
    long endNanos,
    long runNanos,
    long bytesSent,
    long bytesReceived,
    Outcome outcome) {

  /**
   * Checks the fields.
   *
   * @throws NullPointerException if {@code pool}, {@code kind} or {@code outcome} is null
   * @throws IllegalArgumentException if {@code worker < -1} or {@code endNanos < startNanos}
   */
  public CallEvent {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(outcome, "outcome");
    if (worker < -1) {
      throw new IllegalArgumentException("worker must be >= -1, got " + worker);
    }
    if (endNanos < startNanos) {
      throw new IllegalArgumentException(
          "endNanos " + endNanos + " is before startNanos " + startNanos);
    }
  }

  /** Returns {@code endNanos - startNanos}: the part's duration on the caller's clock. */
  public long durationNanos() {
    return endNanos - startNanos;
  }
}
