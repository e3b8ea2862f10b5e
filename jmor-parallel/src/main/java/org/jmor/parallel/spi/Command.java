package org.jmor.parallel.spi;

import java.io.Serializable;

/**
 * An opaque instruction for a worker's {@link WorkerRuntime}, created by the core through {@link
 * Commands}. A transport forwards commands and never looks inside; a remote transport sends the
 * bytes of a {@linkplain #isSerialized() serialized} command.
 */
public abstract class Command implements Serializable {
  private static final long serialVersionUID = 1L;

  Command() {}

  /** Returns whether this command carries serialized bytes ({@link #bytes()}). */
  public boolean isSerialized() {
    return false;
  }

  /**
   * Returns the serialized form of a {@linkplain #isSerialized() serialized} command.
   *
   * @return the bytes; the caller must not modify them
   * @throws UnsupportedOperationException if this command is not serialized
   */
  public byte[] bytes() {
    throw new UnsupportedOperationException("not a serialized command: " + this);
  }

  abstract Object executeOn(WorkerRuntime runtime) throws Exception;
}
