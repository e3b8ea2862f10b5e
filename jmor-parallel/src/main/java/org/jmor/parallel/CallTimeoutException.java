package org.jmor.parallel;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A blocking call did not finish within the pool's per-call deadline ({@link PoolConfig#TIMEOUT}).
 * The tasks that were still running were interrupted (best effort); the pool stays usable, but a
 * task that ignores interruption keeps its worker busy, and later calls wait behind it.
 */
public final class CallTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // an unmodifiable List.copyOf list
  private final List<Integer> workers;

  private final @Nullable Duration timeout;

  /**
   * Creates the exception.
   *
   * @param operation the call, for example {@code "apply"}
   * @param workers the workers that had not answered, ascending
   * @param timeout the deadline that passed
   */
  public CallTimeoutException(String operation, List<Integer> workers, @Nullable Duration timeout) {
    super(
        operation
            + ": no answer from worker(s) "
            + workers
            + " within "
            + timeout
            + "; their tasks were interrupted");
    this.workers = List.copyOf(workers);
    this.timeout = timeout;
  }

  /** Returns the workers that had not answered, ascending. */
  public List<Integer> workers() {
    return workers;
  }

  /** Returns the deadline that passed. */
  public @Nullable Duration timeout() {
    return timeout;
  }
}
