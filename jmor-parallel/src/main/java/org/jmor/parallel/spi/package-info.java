/**
 * The service-provider interface for worker-pool backends.
 *
 * <p>A backend implements {@link org.jmor.parallel.spi.PoolProvider} (registered for {@link
 * java.util.ServiceLoader}) and {@link org.jmor.parallel.spi.Transport}, which only delivers opaque
 * {@link org.jmor.parallel.spi.Command}s to numbered workers and their replies back. Each worker,
 * in whatever process it lives, executes the commands with a {@link
 * org.jmor.parallel.spi.WorkerRuntime}. Everything else (de-duplication, reference counts, argument
 * resolution, splitting, settings, error aggregation, input checks) is the core's, so a backend
 * adds transport and nothing more. Backends test themselves by extending the abstract suites of
 * {@code jmor-parallel-testkit}.
 *
 * <p>A provider takes part in automatic selection through {@link
 * org.jmor.parallel.spi.PoolProvider#detects} and {@link
 * org.jmor.parallel.spi.PoolProvider#priority}, reading the configuration through a {@link
 * org.jmor.parallel.spi.ConfigView}; it is opened with a {@link org.jmor.parallel.spi.PoolSpec}
 * that carries its own keys {@code jmor.<name>.*}.
 */
package org.jmor.parallel.spi;
