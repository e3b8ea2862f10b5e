package org.jmor.parallel.spi;

/**
 * A worker-pool backend, found with {@link java.util.ServiceLoader} by {@link
 * org.jmor.parallel.WorkerPools}. A backend supplies only a {@link Transport}: the generic pool
 * logic (de-duplication, reference counts, argument resolution, splitting, error aggregation, input
 * checks) is the core's.
 *
 * <p>Register an implementation in {@code META-INF/services/org.jmor.parallel.spi.PoolProvider}; it
 * needs a public no-argument constructor.
 */
public interface PoolProvider {

  /** Returns the backend's name as used in the configuration, for example {@code "mpi"}. */
  String name();

  /**
   * Starts the workers and connects to them.
   *
   * @param spec what to start
   * @return a transport to {@code spec.workers()} workers (or the backend's natural number when
   *     {@code spec.workers() == 0})
   * @throws Exception if the workers cannot be started or reached
   */
  Transport open(PoolSpec spec) throws Exception;
}
