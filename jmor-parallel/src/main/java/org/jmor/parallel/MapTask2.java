package org.jmor.parallel;

import java.io.Serializable;
import java.util.List;

/**
 * A map task with two typed arguments, the objects behind two handles, in the order the handles are
 * given. Run it with {@link WorkerPool#map(List, RemoteObject, RemoteObject, MapTask2) map} or
 * {@link WorkerPool#mapAsync(List, RemoteObject, RemoteObject, MapTask2) mapAsync}. See {@link
 * MapTask1} and, for how tasks travel, {@link Task}.
 *
 * @param <T> the element type
 * @param <A> the type of the object behind the first handle
 * @param <B> the type of the object behind the second handle
 * @param <R> the result type
 */
@FunctionalInterface
public interface MapTask2<T, A, B, R> extends Serializable {
  /**
   * Runs for one element on the worker that holds it.
   *
   * @param context the worker's context
   * @param element the element
   * @param a this worker's object behind the first handle
   * @param b this worker's object behind the second handle
   * @return the result for this element
   * @throws Exception any failure; it reaches the caller inside a {@link RemoteExecutionException}
   */
  R run(WorkerContext context, T element, A a, B b) throws Exception;
}
