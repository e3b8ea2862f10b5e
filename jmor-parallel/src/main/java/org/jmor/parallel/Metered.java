package org.jmor.parallel;

/**
 * A reply future that knows what its part of a call cost: the channels' replies implement it when
 * they can, and the pool reads it when it records the call (see {@link
 * org.jmor.parallel.events.CallEvent}). Values are read after the future completed.
 */
interface Metered {
  /** How long the command ran on the worker, measured there, or -1 when unknown. */
  long runNanos();

  /** The bytes sent to the worker for this part (0 in process). */
  long bytesSent();

  /** The bytes of the reply (0 in process, or when no reply arrived). */
  long bytesReceived();

  /**
   * The {@link System#nanoTime()} at which the reply arrived, taken just before the future
   * completed (so before a waiting caller wakes), or 0 when unknown.
   */
  long doneNanos();
}
