package org.jmor.parallel;

import java.io.Serializable;

/**
 * A task with one typed argument: the object behind a {@link RemoteObject RemoteObject&lt;A&gt;}
 * arrives as an {@code A}, with no {@link Args} and no type witness. Run it with {@link
 * WorkerPool#apply(RemoteObject, Task1) apply}, {@link WorkerPool#applyOnly(int, RemoteObject,
 * Task1) applyOnly} or {@link WorkerPool#applyAsync(RemoteObject, Task1) applyAsync}:
 *
 * <pre>{@code
 * List<Double> outputs = pool.apply(remoteModel, (ctx, model) -> model.output(1.0));
 * }</pre>
 *
 * <p>Like {@link Task}, it is {@link Serializable} and travels by class name; see there.
 *
 * @param <A> the type of the object behind the handle
 * @param <R> the result type
 */
@FunctionalInterface
public interface Task1<A, R> extends Serializable {
  /**
   * Runs on one worker.
   *
   * @param context the worker's index, the pool size, its random generator and settings
   * @param a this worker's object behind the handle (for scattered data, its own slice)
   * @return the result, sent back to the caller
   * @throws Exception any failure; it reaches the caller inside a {@link RemoteExecutionException}
   */
  R run(WorkerContext context, A a) throws Exception;
}
