package org.jmor.parallel.events;

/** A worker's state change, as reported in a {@link WorkerEvent}. */
public enum WorkerState {
  /** The pool opened with this worker. */
  STARTED,
  /** The worker was lost (its process ended or its connection broke). */
  LOST,
  /** The pool closed and the worker ended. */
  CLOSED
}
