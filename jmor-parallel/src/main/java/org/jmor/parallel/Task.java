package org.jmor.parallel;

import java.io.Serializable;

/**
 * A task that {@link WorkerPool#apply(Task, Object...) apply} and {@link WorkerPool#applyOnly(int,
 * Task, Object...) applyOnly} run on workers.
 *
 * <p>Tasks are {@link Serializable} so that they can reach workers in other processes. A
 * serializable lambda or class travels by name: the worker must have the same classes on its class
 * path, and no code is shipped. Captured variables are serialized with the task, so keep captures
 * small and pass data as arguments or handles instead.
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface Task<R> extends Serializable {
  /**
   * Runs on one worker.
   *
   * @param context the worker's index, the pool size, its random generator and settings
   * @param args the call's arguments, with handles resolved to this worker's objects
   * @return the result, sent back to the caller
   * @throws Exception any failure; it reaches the caller inside a {@link RemoteExecutionException}
   */
  R run(WorkerContext context, Args args) throws Exception;
}
