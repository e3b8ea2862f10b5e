package org.jmor.parallel;

import org.jmor.random.Pcg64;
import org.jspecify.annotations.Nullable;

/**
 * What a task knows about the worker it runs on. A context is valid only during the call that
 * received it.
 */
public interface WorkerContext {

  /** Returns this worker's index, {@code 0 <= workerIndex() < poolSize()}. */
  int workerIndex();

  /** Returns the number of workers in the pool. */
  int poolSize();

  /**
   * Returns this worker's random generator. It persists across calls and is seeded, on every
   * backend and every run, from child {@link #workerIndex()} of the pool seed's {@link
   * org.jmor.random.SeedSequence} (numpy's {@code SeedSequence(seed).spawn(size)[i]} with {@code
   * PCG64}), so that equal pools draw equal numbers.
   */
  Pcg64 random();

  /**
   * Returns the value of {@code setting} as last synchronized from the caller's {@link Settings},
   * or the setting's default.
   *
   * @param setting the setting
   * @param <T> the value type
   * @return the value
   */
  <T> @Nullable T get(Setting<T> setting);

  /**
   * Returns how many objects this worker stores for its pool (pushed objects and scattered slices),
   * for leak checks and diagnostics; -1 if the context does not know.
   */
  default int storedObjectCount() {
    return -1;
  }
}
