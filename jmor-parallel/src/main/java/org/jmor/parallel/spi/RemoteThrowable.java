package org.jmor.parallel.spi;

import org.jspecify.annotations.Nullable;

/**
 * Stands in for a worker's exception that could not be serialized: keeps its class name, message,
 * stack trace and cause chain.
 */
public final class RemoteThrowable extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String originalClass;

  private RemoteThrowable(
      String originalClass, @Nullable String message, @Nullable RemoteThrowable cause) {
    super(originalClass + (message == null ? "" : ": " + message), cause);
    this.originalClass = originalClass;
  }

  /**
   * Copies a throwable and its causes.
   *
   * @param t the throwable
   * @return the copy
   */
  public static RemoteThrowable of(Throwable t) {
    @Nullable RemoteThrowable cause =
        t.getCause() == null || t.getCause() == t ? null : of(t.getCause());
    RemoteThrowable r = new RemoteThrowable(t.getClass().getName(), t.getMessage(), cause);
    r.setStackTrace(t.getStackTrace());
    return r;
  }

  /** Returns the class name of the original throwable. */
  public String originalClass() {
    return originalClass;
  }
}
