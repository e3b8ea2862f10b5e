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
 * <h2>The transport and the failure model of a remote backend</h2>
 *
 * Two more suites check what only a backend can get wrong; both work with workers in other
 * processes (tasks signal the test through files, {@link org.jmor.parallel.testkit.FileSignals},
 * never static latches) and import nothing of {@code org.jmor.parallel.internal}:
 *
 * <pre>{@code
 * // the Transport alone, with the core's frames (org.jmor.parallel.spi.TransportProbe)
 * class ProcessTransportContractTest extends TransportContract {
 *   protected Transport createTransport(int workers) { return ProcessTransport.start(workers); }
 *   protected CompletableFuture<Frame> killWorker(Transport t, int worker) {
 *     ((ProcessTransport) t).process(worker).destroyForcibly(); // SIGKILL
 *     return null;
 *   }
 * }
 * // the pool's failures: deadlines, cancel, bounded close, killed and frozen workers
 * class ProcessPoolFailureModelTest extends FailureModelContract {
 *   protected PoolBuilder configure(PoolBuilder b) { return b.backend("processes"); }
 *   protected List<ProcessHandle> workerProcesses(WorkerPool pool) { ... } // in worker order
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link org.jmor.parallel.testkit.TransportContract}: implement {@code createTransport(n)}
 *       (a fixed-size transport may return its own size: the tests adapt and skip what needs more
 *       workers), and {@code killWorker} for workers that are processes; {@code largestFrame()}
 *       lowers the 256 MiB round trip.
 *   <li>{@link org.jmor.parallel.testkit.FailureModelContract}: implement {@code configure}; name
 *       the worker processes with {@code workerProcesses(pool)} and the default hooks SIGKILL
 *       ({@code killWorker}), SIGSTOP ({@code freezeWorker}) and SIGCONT ({@code thawWorker}) them
 *       and check that close leaves none; override those hooks where a worker is not one process
 *       (an MPI rank in the caller's process) or skip with an assumption; say with {@code
 *       freezeDetection()} whether a frozen worker is caught by failure detection or a call
 *       deadline; {@code workers()} for a fixed size. In-JVM backends need only {@code configure}:
 *       a kill is a {@link ThreadDeath} on the worker's lane, a freeze is skipped.
 * </ul>
 *
 * Both suites need the workers to see this host's file system (the signal directory); a backend
 * whose workers live elsewhere passes a shared directory (see {@code FileSignals.create(Path)}).
 *
 * <p>{@link org.jmor.parallel.testkit.LoopbackTransport} simulates a remote backend in process
 * (everything crosses a byte boundary, and the SPI rule that a serializing transport only receives
 * serialized commands is enforced); register its {@code Provider} in a test class path to run the
 * suites against it.
 */
package org.jmor.parallel.testkit;
