package org.jmor.parallel.testkit;

import java.util.Objects;

/**
 * A mutable holder that is deliberately <em>not</em> {@link java.io.Serializable}: pushing it must
 * fail on every pool (a mutable push copies), and passing it as an argument must fail on pools that
 * serialize.
 */
public final class NotSerializable {
  private Object value;

  /**
   * Creates a holder.
   *
   * @param value the value, possibly null
   */
  public NotSerializable(Object value) {
    this.value = value;
  }

  /** Returns the value. */
  public Object value() {
    return value;
  }

  /**
   * Replaces the value.
   *
   * @param value the new value
   */
  public void setValue(Object value) {
    this.value = value;
  }

  @Override
  public String toString() {
    return "NotSerializable[" + Objects.toString(value) + "]";
  }
}
