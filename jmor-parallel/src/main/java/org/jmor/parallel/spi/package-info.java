/**
 * The service-provider interface for worker-pool backends.
 *
 * <p>A backend implements {@link org.jmor.parallel.spi.PoolProvider} (registered for {@link
 * java.util.ServiceLoader}) and {@link org.jmor.parallel.spi.Transport}, which only moves opaque
 * {@link org.jmor.parallel.spi.Frame}s (a small header plus out-of-band array buffers) to numbered
 * workers and their replies back. Each worker, in whatever process it lives, answers the frames
 * with a {@link org.jmor.parallel.spi.WorkerRuntime}, whose {@code handle(frame)} never throws;
 * {@link org.jmor.parallel.spi.WorkerLanes} gives it a thread with an orderly, bounded shutdown. A
 * transport reports a lost worker by failing its futures with a {@link
 * org.jmor.parallel.WorkerLostException}. Everything else (the protocol and its versions,
 * serialization, de-duplication, reference counts, argument resolution, splitting, settings, error
 * aggregation, deadlines, the broken-pool state, input checks) is the core's, so a backend adds
 * transport and nothing more. Backends test themselves by extending the abstract suites of {@code
 * jmor-parallel-testkit}: {@code TransportContract} for the transport (its request frames come from
 * {@link org.jmor.parallel.spi.TransportProbe}, which backend tests and tools may use too), then
 * {@code WorkerPoolContract}, {@code DifferentialContract} and {@code FailureModelContract} for the
 * pool.
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
