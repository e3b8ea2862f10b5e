package org.jmor.parallel.events;

import java.util.Objects;

/**
 * A worker's state change: {@link WorkerState#STARTED} (the pool opened), {@link WorkerState#LOST},
 * {@link WorkerState#CLOSED}.
 *
 * @param pool the pool's name
 * @param worker the worker's index, at least 0
 * @param state the new state
 * @param nanos when it changed, relative to the recorder's origin
 */
public record WorkerEvent(String pool, int worker, WorkerState state, long nanos) {

  /**
   * Checks the fields.
   *
   * @throws NullPointerException if {@code pool} or {@code state} is null
   * @throws IllegalArgumentException if {@code worker < 0}
   */
  public WorkerEvent {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(state, "state");
    if (worker < 0) {
      throw new IllegalArgumentException("worker must be >= 0, got " + worker);
    }
  }
}
