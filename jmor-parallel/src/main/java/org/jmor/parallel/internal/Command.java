package org.jmor.parallel.internal;

import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * An instruction for a worker, created by the core through {@link Commands}. Internal: backends
 * never see commands, only the frames that {@link Protocol} makes of them.
 */
public abstract class Command implements Serializable {
  private static final long serialVersionUID = 2L;

  Command() {}

  abstract @Nullable Object executeOn(WorkerState worker) throws Exception;

  /** Returns a short name for logs and messages, for example {@code "call"}. */
  public abstract String kind();
}
