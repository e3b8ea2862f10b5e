package org.jmor.parallel.internal;

/**
 * A frame broke the worker protocol: another protocol version, a refused request, a reply to
 * another request, or bytes that are not a frame.
 */
public final class ProtocolException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong
   */
  public ProtocolException(String message) {
    super(message);
  }

  /**
   * Creates the exception.
   *
   * @param message what was wrong
   * @param cause the cause
   */
  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
