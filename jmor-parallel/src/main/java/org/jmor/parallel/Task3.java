package org.jmor.parallel;

import java.io.Serializable;

/**
 * A task with three typed arguments, the objects behind three handles, in the order the handles are
 * given. Run it with {@link WorkerPool#apply(RemoteObject, RemoteObject, RemoteObject, Task3)
 * apply}, {@link WorkerPool#applyOnly(int, RemoteObject, RemoteObject, RemoteObject, Task3)
 * applyOnly} or {@link WorkerPool#applyAsync(RemoteObject, RemoteObject, RemoteObject, Task3)
 * applyAsync}. For more arguments use {@link Task} and {@link Args}. See {@link Task1} and, for how
 * tasks travel, {@link Task}.
 *
 * @param <A> the type of the object behind the first handle
 * @param <B> the type of the object behind the second handle
 * @param <C> the type of the object behind the third handle
 * @param <R> the result type
 */
@FunctionalInterface
public interface Task3<A, B, C, R> extends Serializable {
  /**
   * Runs on one worker.
   *
   * @param context the worker's context
   * @param a this worker's object behind the first handle
   * @param b this worker's object behind the second handle
   * @param c this worker's object behind the third handle
   * @return the result, sent back to the caller
   * @throws Exception any failure; it reaches the caller inside a {@link RemoteExecutionException}
   */
  R run(WorkerContext context, A a, B b, C c) throws Exception;
}
