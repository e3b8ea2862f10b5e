package org.jmor.base;

/**
 * Marker for objects that never change after construction: models, operators, reduced models.
 *
 * <p>This is the marker that worker pools test for. It lives in {@code jmor-base}, a module without
 * dependencies, so that model code can implement it without depending on {@code jmor-parallel}.
 *
 * <h2>Contract</h2>
 *
 * An implementation must not change any state that a worker task can observe once its constructor
 * has returned. In exchange, worker pools ({@code org.jmor.parallel.WorkerPool}) treat such objects
 * specially:
 *
 * <ul>
 *   <li>{@code push} transfers an immutable object at most once per pool while it is pushed;
 *       pushing the same instance again returns a new handle to the same remote copy and increments
 *       a reference count (pyMOR's de-duplication, with the reference counting that pyMOR
 *       intended).
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
public interface Immutable {}
