package org.jmor.parallel;

import org.jspecify.annotations.Nullable;

/**
 * A worker was lost: its thread died, its process ended, or its rank or node became unreachable.
 * The pool that lost it is broken ({@link WorkerPool#isBroken()}): later calls fail at once with an
 * {@link IllegalStateException} that says why, and {@link WorkerPool#close()} still cleans up;
 * unless its policy is {@link OnWorkerLoss#SHRINK}, where the pool goes on with the other workers
 * and only an {@code applyOnly} to the lost worker (or the loss of the last one) raises this.
 * Transports complete the futures of a lost worker with this exception; the pool's core owns the
 * resulting state.
 */
public class WorkerLostException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int worker;

  /**
   * Creates the exception.
   *
   * @param worker the index of the lost worker
   * @param message what happened, for example {@code "its process exited with code 137"}
   * @param cause the cause, or null
   */
  public WorkerLostException(int worker, String message, @Nullable Throwable cause) {
    super("worker " + worker + " was lost: " + message, cause);
    this.worker = worker;
  }

  /**
   * Creates the exception.
   *
   * @param worker the index of the lost worker
   * @param message what happened
   */
  public WorkerLostException(int worker, String message) {
    this(worker, message, null);
  }

  /** Returns the index of the lost worker. */
  public int worker() {
    return worker;
  }
}
