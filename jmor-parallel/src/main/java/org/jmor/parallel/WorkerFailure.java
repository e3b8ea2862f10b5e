package org.jmor.parallel;

import java.io.Serializable;
import java.util.Objects;

/**
 * One worker's failure inside a {@link RemoteExecutionException}.
 *
 * @param worker the worker index
 * @param element for {@code map}, the input index of the element whose call failed; −1 otherwise
 * @param cause what the task threw (for remote workers, a copy of it)
 */
public record WorkerFailure(int worker, long element, Throwable cause) implements Serializable {

  /** Checks the arguments. */
  public WorkerFailure {
    Objects.requireNonNull(cause, "cause");
  }

  @Override
  public String toString() {
    return "worker " + worker + (element >= 0 ? " (element " + element + ")" : "") + ": " + cause;
  }
}
