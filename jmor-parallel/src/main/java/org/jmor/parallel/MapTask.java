package org.jmor.parallel;

import java.io.Serializable;
import java.util.List;

/**
 * A task that {@link WorkerPool#map(MapTask, List, Object...) map} calls once per element. See
 * {@link Task} for how tasks travel.
 *
 * @param <T> the element type
 * @param <R> the result type
 */
@FunctionalInterface
public interface MapTask<T, R> extends Serializable {
  /**
   * Runs for one element on the worker that holds it.
   *
   * @param context the worker's context
   * @param element the element (for {@link WorkerPool#mapZipped mapZipped}, the tuple as {@link
   *     Args})
   * @param args the call's arguments, with handles resolved to this worker's objects
   * @return the result for this element
   * @throws Exception any failure; it reaches the caller inside a {@link RemoteExecutionException}
   */
  R run(WorkerContext context, T element, Args args) throws Exception;
}
