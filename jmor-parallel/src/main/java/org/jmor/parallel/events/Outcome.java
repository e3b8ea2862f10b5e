package org.jmor.parallel.events;

/** How one worker's part of a pool call ended. */
public enum Outcome {
  /** The worker answered normally. */
  OK,
  /** The worker answered with an exception (the task's, or a transfer or protocol error). */
  FAILED,
  /** The part was cancelled (a cancelled future, a deadline, an interrupted caller). */
  CANCELLED,
  /** The worker was lost (its process ended, its connection broke) before it answered. */
  LOST
}
