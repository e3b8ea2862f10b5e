package org.jmor.parallel;

import java.io.Serializable;

/**
 * A task with two typed arguments, the objects behind two handles, in the order the handles are
 * given. Run it with {@link WorkerPool#apply(RemoteObject, RemoteObject, Task2) apply}, {@link
 * WorkerPool#applyOnly(int, RemoteObject, RemoteObject, Task2) applyOnly} or {@link
 * WorkerPool#applyAsync(RemoteObject, RemoteObject, Task2) applyAsync}. See {@link Task1} and, for
 * how tasks travel, {@link Task}.
 *
 * @param <A> the type of the object behind the first handle
 * @param <B> the type of the object behind the second handle
 * @param <R> the result type
 */
@FunctionalInterface
public interface Task2<A, B, R> extends Serializable {
  /**
   * Runs on one worker.
   *
   * @param context the worker's context
   * @param a this worker's object behind the first handle
   * @param b this worker's object behind the second handle
   * @return the result, sent back to the caller
   * @throws Exception any failure; it reaches the caller inside a {@link RemoteExecutionException}
   */
  R run(WorkerContext context, A a, B b) throws Exception;
}
