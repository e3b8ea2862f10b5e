package org.jmor.thermalblock.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that {@link ModelFiles} cannot read: not a jmor saved model, a format version this release
 * does not read, the other kind of file, or a truncated or corrupted file. The message names the
 * file and says which.
 */
public final class SavedModelFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param file the file
   * @param message what is wrong with it
   */
  public SavedModelFormatException(Path file, String message) {
    super(file + ": " + message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param file the file
   * @param message what is wrong with it
   * @param cause the underlying failure
   */
  public SavedModelFormatException(Path file, String message, Throwable cause) {
    super(file + ": " + message, cause);
  }
}
