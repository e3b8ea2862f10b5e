/**
 * Worker pools: pyMOR's {@code pymor.parallel} for the JVM.
 *
 * <h2>Where to start</h2>
 *
 * <ul>
 *   <li>{@link org.jmor.parallel.WorkerPool}: the pool interface ({@code push}, {@code
 *       scatterList}, {@code scatterArray}, {@code apply}, {@code applyOnly}, {@code map}) and its
 *       contract: ordering, copying, blocking and exceptions.
 *   <li>{@link org.jmor.parallel.WorkerPools}: how to get a pool, and the process-wide pool of
 *       {@link org.jmor.parallel.WorkerPools#newParallelPool(ParallelPoolOptions)} configured
 *       through {@link org.jmor.parallel.PoolConfig}.
 *   <li>{@link org.jmor.parallel.Task} and {@link org.jmor.parallel.MapTask}: what runs on the
 *       workers; {@link org.jmor.parallel.WorkerContext}: what a task knows about its worker.
 *   <li>{@link org.jmor.base.Immutable}: objects that pools ship once and share.
 *   <li>{@link org.jmor.parallel.RemoteObject} and {@link org.jmor.parallel.RemoteObjectManager}:
 *       lifetimes of remote data.
 * </ul>
 *
 * <p>Backends (cluster, MPI) plug in through {@link org.jmor.parallel.spi}.
 */
@NullMarked
package org.jmor.parallel;

import org.jspecify.annotations.NullMarked;
