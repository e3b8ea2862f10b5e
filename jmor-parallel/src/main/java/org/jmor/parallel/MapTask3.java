package org.jmor.parallel;

import java.io.Serializable;
import java.util.List;

/**
 * A map task with three typed arguments, the objects behind three handles, in the order the handles
 * are given. Run it with {@link WorkerPool#map(List, RemoteObject, RemoteObject, RemoteObject,
 * MapTask3) map} or {@link WorkerPool#mapAsync(List, RemoteObject, RemoteObject, RemoteObject,
 * MapTask3) mapAsync}. For more arguments use {@link MapTask} and {@link Args}. See {@link
 * MapTask1} and, for how tasks travel, {@link Task}.
 *
 * @param <T> the element type
 * @param <A> the type of the object behind the first handle
 * @param <B> the type of the object behind the second handle
 * @param <C> the type of the object behind the third handle
 * @param <R> the result type
 */
@FunctionalInterface
public interface MapTask3<T, A, B, C, R> extends Serializable {
  /**
   * Runs for one element on the worker that holds it.
   *
   * @param context the worker's context
   * @param element the element
   * @param a this worker's object behind the first handle
   * @param b this worker's object behind the second handle
   * @param c this worker's object behind the third handle
   * @return the result for this element
   * @throws Exception any failure; it reaches the caller inside a {@link RemoteExecutionException}
   */
  R run(WorkerContext context, T element, A a, B b, C c) throws Exception;
}
