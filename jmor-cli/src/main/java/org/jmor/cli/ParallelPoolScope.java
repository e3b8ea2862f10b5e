package org.jmor.cli;

import org.jmor.parallel.WorkerPools;

/**
 * Resets the process-wide parallel pool at the end of a {@code try}-with-resources block. Unlike a
 * {@code finally}, a failure of the reset never hides the error that ended the block (it is added
 * to it as suppressed), so that an {@link OutOfMemoryError} is still reported as such.
 */
public final class ParallelPoolScope implements AutoCloseable {

  @Override
  public void close() {
    WorkerPools.resetParallelPool();
  }
}
