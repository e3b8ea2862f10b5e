package org.jmor.parallel;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A task failed on one or more workers. {@link #failures()} lists every failing worker with its
 * cause, in worker order; {@link #getCause()} is the first worker's cause, and the others are
 * attached as suppressed exceptions. The pool stays usable.
 */
public final class RemoteExecutionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // an unmodifiable List.copyOf list, serializable
  private final List<WorkerFailure> failures;

  private final int poolSize;

  /**
   * Creates the exception.
   *
   * @param failures the failures, at least one, in worker order
   * @param poolSize the number of workers in the pool
   * @throws IllegalArgumentException if {@code failures} is empty
   */
  public RemoteExecutionException(List<WorkerFailure> failures, int poolSize) {
    super(message(failures, poolSize), failures.isEmpty() ? null : failures.get(0).cause());
    if (failures.isEmpty()) {
      throw new IllegalArgumentException("at least one failure is required");
    }
    this.failures = List.copyOf(failures);
    this.poolSize = poolSize;
    for (int i = 1; i < failures.size(); i++) {
      addSuppressed(failures.get(i).cause());
    }
  }

  private static String message(List<WorkerFailure> failures, int poolSize) {
    String what =
        failures.size() == 1
            ? "task failed on worker " + failures.get(0).worker() + " of " + poolSize
            : "task failed on " + failures.size() + " of " + poolSize + " workers";
    return what
        + ": "
        + failures.stream().map(WorkerFailure::toString).collect(Collectors.joining("; "));
  }

  /** Returns the failures in worker order. */
  public List<WorkerFailure> failures() {
    return failures;
  }

  /** Returns the indices of the failing workers, ascending. */
  public List<Integer> failedWorkers() {
    return failures.stream().map(WorkerFailure::worker).collect(Collectors.toList());
  }

  /** Returns the number of workers in the pool. */
  public int poolSize() {
    return poolSize;
  }
}
