/**
 * The service-provider interface for worker-pool backends.
 *
 * <p>A backend implements {@link org.jmor.parallel.spi.PoolProvider} (registered for {@link
 * java.util.ServiceLoader}) and {@link org.jmor.parallel.spi.Transport}, which only moves opaque
 * {@link org.jmor.parallel.spi.Frame}s (a small header plus out-of-band array buffers) to numbered
 * workers and their replies back. Each worker, in whatever process it lives, answers the frames
 * with a {@link org.jmor.parallel.spi.WorkerRuntime}, whose {@code handle(frame)} never throws. A
 * transport reports a lost worker by failing its futures with a {@link
 * org.jmor.parallel.WorkerLostException}. Everything else (the protocol and its versions,
 * serialization, de-duplication, reference counts, argument resolution, splitting, settings, error
 * aggregation, deadlines, the broken-pool state, input checks) is the core's, so a backend adds
 * transport and nothing more.
 *
 * <h2>The backend kit</h2>
 *
 * The machinery that every remote backend needs is written once here, so that a backend keeps only
 * what is specific to its engine or wire:
 *
 * <ul>
 *   <li>{@link org.jmor.parallel.spi.PendingReplies} (caller side): sequence numbers to reply
 *       futures per worker; a lost worker fails exactly its requests, close fails every one, a
 *       cancelled future tells the worker.
 *   <li>{@link org.jmor.parallel.spi.WorkerHost} (worker side): one {@link
 *       org.jmor.parallel.spi.WorkerRuntime} per pool on an ordered, cancellable lane, several
 *       pools per connection, bounded close, and running a request on the calling thread.
 *   <li>The <em>open-pool frame</em>: the core's first frame to each worker of a remote pool
 *       carries the worker's index, the pool size, the seed and the caller's deserialization
 *       filter, which {@link org.jmor.parallel.spi.WorkerRuntime#WorkerRuntime()} takes from it; a
 *       backend's own header only routes (pool id, sequence number).
 *   <li>{@link org.jmor.parallel.spi.FrameChunks}: frames cut into messages of bounded size (small
 *       parts packed together, large ones cut) and put together on the other side straight into the
 *       final arrays.
 *   <li>{@link org.jmor.parallel.spi.FrameStreams}: frames and a backend's control messages over a
 *       byte stream (a socket), written by the posting thread when the stream is free.
 *   <li>{@link org.jmor.parallel.spi.WorkerProcesses}: worker JVMs on this host with the caller's
 *       class path, secrets in the environment, per-worker logs, "k of N workers failed to start"
 *       with their last log lines, and no process left behind.
 *   <li>{@link org.jmor.parallel.spi.WorkerLanes}: the ordered lanes under {@code WorkerHost}, also
 *       used by the in-process pools.
 * </ul>
 *
 * The {@code processes} backend (module {@code jmor-parallel-processes}) is built from these pieces
 * and plain JDK sockets alone, and is the example to read first. Backends test themselves by
 * extending the abstract suites of {@code jmor-parallel-testkit}: {@code TransportContract} for the
 * transport (its request frames come from {@link org.jmor.parallel.spi.TransportProbe}, which
 * backend tests and tools may use too), then {@code WorkerPoolContract}, {@code
 * DifferentialContract} and {@code FailureModelContract} for the pool.
 *
 * <p>A provider takes part in automatic selection through {@link
 * org.jmor.parallel.spi.PoolProvider#detects} and {@link
 * org.jmor.parallel.spi.PoolProvider#priority}, reading the configuration through a {@link
 * org.jmor.parallel.spi.ConfigView}; it is opened with a {@link org.jmor.parallel.spi.PoolSpec}
 * that carries its own keys {@code jmor.<name>.*}.
 */
@NullMarked
package org.jmor.parallel.spi;

import org.jspecify.annotations.NullMarked;
