package org.jmor.rb.reductors;

/**
 * Thrown when a basis extension adds no vector (pyMOR's {@code ExtensionError}): the snapshot was
 * linearly dependent on the basis (Gram–Schmidt) or equal to a basis vector (trivial). The basis is
 * unchanged.
 */
public class ExtensionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what was rejected and why
   */
  public ExtensionException(String message) {
    super(message);
  }
}
