package org.jmor.parallel;

/**
 * Handle to data that lives on the workers of one {@link WorkerPool}: the same value on every
 * worker for {@link WorkerPool#push(Object) push}, a different slice per worker for the {@code
 * scatter*} methods.
 *
 * <p>Pass the handle itself as a task argument; each worker then receives its own object. A handle
 * belongs to the pool that created it: using it with another pool, after {@link #remove()} or after
 * the pool was closed fails with an exception that names the handle. The handle is not {@link
 * java.io.Serializable} and is resolved only as a top-level task argument.
 *
 * <pre>{@code
 * try (RemoteObject<List<double[]>> slice = pool.scatterList(trainingSet)) {
 *   List<Double> maxima = pool.apply((ctx, args) -> localMax(args.get(0)), slice);
 * } // removed here, even if the body throws
 * }</pre>
 *
 * @param <T> the type of the object on each worker
 */
public interface RemoteObject<T> extends AutoCloseable {

  /**
   * Returns the id of the remote copy; two handles from pushing the same {@link
   * org.jmor.base.Immutable} object have the same id.
   */
  long remoteId();

  /** Returns the pool this handle belongs to. */
  WorkerPool pool();

  /** Returns whether {@link #remove()} was called or the pool was closed. */
  boolean isRemoved();

  /**
   * Removes the object from every worker; for an {@link org.jmor.base.Immutable} object pushed
   * several times the remote copy stays until every handle to it is removed. Idempotent: later
   * calls, and calls after the pool was closed, do nothing. Blocks until the workers have dropped
   * the object.
   */
  void remove();

  /** Same as {@link #remove()}, for try-with-resources. */
  @Override
  default void close() {
    remove();
  }
}
