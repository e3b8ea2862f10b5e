package org.jmor.parallel.internal;

/**
 * A map task failed on one element; carries the element's input index and the task's exception as
 * the cause.
 */
public final class ElementFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final long element;

  /**
   * Creates the failure.
   *
   * @param element the input index of the element
   * @param cause what the task threw
   */
  public ElementFailure(long element, Throwable cause) {
    super("map task failed on element " + element, cause);
    this.element = element;
  }

  /** Returns the input index of the element. */
  public long element() {
    return element;
  }
}
