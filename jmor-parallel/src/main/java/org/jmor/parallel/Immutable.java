package org.jmor.parallel;

/**
 * Marker for objects that never change after construction: models, operators, reduced models.
 *
 * <p>Kept for API compatibility: the marker that pools test for is now {@link
 * org.jmor.base.Immutable} in the dependency-free module {@code jmor-base}, so that model code (for
 * example {@code jmor-discretizer}) can be marked immutable without depending on {@code
 * jmor-parallel}. This interface extends it, so pools honour both: an object that implements either
 * one is treated as described below. New code may implement {@link org.jmor.base.Immutable}
 * directly.
 *
 * <h2>Contract</h2>
 *
 * An implementation must not change any state that a worker task can observe once its constructor
 * has returned. In exchange, worker pools treat such objects specially:
 *
 * <ul>
 *   <li>{@link WorkerPool#push(Object) push} transfers an immutable object at most once per pool
 *       while it is pushed; pushing the same instance again returns a new handle to the same remote
 *       copy and increments a reference count (pyMOR's de-duplication, with the reference counting
 *       that pyMOR intended).
 *   <li>An immutable object that is currently pushed and is passed directly as a task argument is
 *       sent as a reference to the remote copy, never again by value.
 *   <li>In-process pools share immutable objects between workers instead of copying them.
 * </ul>
 *
 * <h2>Identity</h2>
 *
 * De-duplication uses object identity ({@code ==}) on the caller's side, never {@code equals}. The
 * identity never travels with the object: a deserialized copy on a worker is a new, unrelated
 * instance.
 *
 * <p>Implementations that travel to remote workers must also be {@link java.io.Serializable}.
 */
public interface Immutable extends org.jmor.base.Immutable {}
