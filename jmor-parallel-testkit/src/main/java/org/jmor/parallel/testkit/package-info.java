/**
 * Abstract contract and differential test suites for {@link org.jmor.parallel.WorkerPool} backends,
 * with the serializable tasks and fixtures they use.
 *
 * <h2>How a backend uses it</h2>
 *
 * Add {@code org.jmor:jmor-parallel-testkit} in {@code test} scope and write one thin subclass per
 * backend configuration:
 *
 * <pre>{@code
 * class ClusterPoolContractTest extends WorkerPoolContract {
 *   protected WorkerPool createPool(int workers) {
 *     return WorkerPools.builder().backend("cluster").workers(workers).build();
 *   }
 *   protected boolean serializes() { return true; }
 *   protected int[] workerCounts() { return new int[] {2, 3}; }
 * }
 * class ClusterPoolDifferentialTest extends DifferentialContract { ... same hooks ... }
 * }</pre>
 *
 * Tests that need a capability the backend lacks are skipped with assumptions, never copied.
 *
 * <p>{@link org.jmor.parallel.testkit.LoopbackTransport} simulates a remote backend in process
 * (everything crosses a byte boundary, and the SPI rule that a serializing transport only receives
 * serialized commands is enforced); register its {@code Provider} in a test class path to run the
 * suites against it.
 */
package org.jmor.parallel.testkit;
