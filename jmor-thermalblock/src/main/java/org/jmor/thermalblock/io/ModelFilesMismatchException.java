package org.jmor.thermalblock.io;

import java.io.IOException;

/**
 * A reduced-model file and a detailed-model file that do not belong together ({@link
 * ModelFiles#checkPair}): written by different runs, or one of them by a release that did not
 * record the pair. The message names both files and says why.
 */
public final class ModelFilesMismatchException extends IOException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message names both files and the reason
   */
  public ModelFilesMismatchException(String message) {
    super(message);
  }
}
