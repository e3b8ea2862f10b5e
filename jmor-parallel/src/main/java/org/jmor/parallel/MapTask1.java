package org.jmor.parallel;

import java.io.Serializable;
import java.util.List;

/**
 * A map task with one typed argument: called once per element, it receives the element and the
 * object behind a {@link RemoteObject RemoteObject&lt;A&gt;} as an {@code A}, with no {@link Args}
 * and no type witness. Run it with {@link WorkerPool#map(List, RemoteObject, MapTask1) map} or
 * {@link WorkerPool#mapAsync(List, RemoteObject, MapTask1) mapAsync}:
 *
 * <pre>{@code
 * List<Double> outputs = pool.map(mus, remoteModel, (ctx, mu, model) -> model.output(mu));
 * }</pre>
 *
 * <p>Like {@link Task}, it is {@link Serializable} and travels by class name; see there.
 *
 * @param <T> the element type
 * @param <A> the type of the object behind the handle
 * @param <R> the result type
 */
@FunctionalInterface
public interface MapTask1<T, A, R> extends Serializable {
  /**
   * Runs for one element on the worker that holds it.
   *
   * @param context the worker's context
   * @param element the element
   * @param a this worker's object behind the handle, the same for every element on this worker
   * @return the result for this element
   * @throws Exception any failure; it reaches the caller inside a {@link RemoteExecutionException}
   */
  R run(WorkerContext context, T element, A a) throws Exception;
}
