/**
 * Abstract contract and differential test suites for {@link org.jmor.parallel.WorkerPool} backends,
 * with the serializable tasks and fixtures they use.
 *
 * <h2>How a backend uses it</h2>
 *
 * Add {@code org.jmor:jmor-parallel-testkit} in {@code test} scope and write one thin subclass per
 * suite and backend configuration. {@code configure} sets what belongs to the backend; the kit sets
 * the worker count, the split rule and the seed:
 *
 * <pre>{@code
 * class ClusterPoolContractTest extends WorkerPoolContract {
 *   protected PoolBuilder configure(PoolBuilder builder) { return builder.backend("cluster"); }
 *   protected boolean serializes() { return true; }
 *   protected int[] workerCounts() { return new int[] {2, 3}; }
 * }
 * class ClusterPoolDifferentialTest extends DifferentialContract { ... same hooks ... }
 * }</pre>
 *
 * Tests that need a capability the backend lacks are skipped with assumptions, never copied. The
 * capability flags are {@code isSequential()}, {@code serializes()}, {@code fixedSize()} (the
 * environment fixes the one size in {@code workerCounts()}), {@code supportsSeveralPools()} (false
 * for a backend with one pool per launch: tests that need a second, fresh or closable pool are
 * skipped) and {@code supportsSplitRule()}. The kit opens one shared pool per test class and size,
 * checks and resets it between tests and closes it after the class, so an expensive backend starts
 * its workers once per size and class; see {@link org.jmor.parallel.testkit.PoolTestSupport}.
 *
 * <p>{@link org.jmor.parallel.testkit.LoopbackTransport} simulates a remote backend in process
 * (everything crosses a byte boundary, and the SPI rule that a serializing transport only receives
 * serialized commands is enforced); register its {@code Provider} in a test class path to run the
 * suites against it.
 */
package org.jmor.parallel.testkit;
