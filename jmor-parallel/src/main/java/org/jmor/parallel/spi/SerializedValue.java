package org.jmor.parallel.spi;

/**
 * A reply in serialized form, as produced by a serialized {@link Command}; the core deserializes it
 * on the caller's side.
 */
public final class SerializedValue {
  private final byte[] bytes;

  /**
   * Wraps bytes.
   *
   * @param bytes the bytes of {@link Wire#serialize(Object)}
   */
  public SerializedValue(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Returns the bytes; do not modify them. */
  public byte[] bytes() {
    return bytes;
  }

  /** Deserializes the value. */
  public Object value() {
    return Wire.deserialize(bytes);
  }
}
