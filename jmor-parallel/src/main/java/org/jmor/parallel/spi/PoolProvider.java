package org.jmor.parallel.spi;

import org.jspecify.annotations.Nullable;

/**
 * A worker-pool backend, found with {@link java.util.ServiceLoader} (through the thread's context
 * class loader) by {@link org.jmor.parallel.WorkerPools}. A backend supplies only a {@link
 * Transport}: the generic pool logic (de-duplication, reference counts, argument resolution,
 * splitting, error aggregation, input checks) is the core's. The core knows no backend by name
 * except its built-ins {@code sequential} and {@code threads}; every other name, and every
 * configuration key {@code jmor.<name>.*}, belongs to the provider of that name.
 *
 * <p>Register an implementation in {@code META-INF/services/org.jmor.parallel.spi.PoolProvider}; it
 * needs a public no-argument constructor. By convention a backend {@code <name>} ships in the Maven
 * module {@code org.jmor:jmor-parallel-<name>}.
 *
 * <h2>Automatic selection</h2>
 *
 * When {@code jmor.pool} is unset or {@code auto}, every provider on the class path is asked
 * whether it {@linkplain #detects detects} its environment; among those that do, the one with the
 * highest {@linkplain #priority() priority} is opened (equal priorities: the alphabetically first
 * name). When none does, the core falls back to {@code threads} or {@code sequential}.
 */
public interface PoolProvider {

  /**
   * Priority of a backend the user asked for explicitly through its own configuration keys, for
   * example a cluster with a configured worker count or profile.
   */
  int PRIORITY_CONFIGURED = 100;

  /**
   * Priority of a backend detected from how the process was launched, for example {@code mpirun}
   * with more than one rank. Below {@link #PRIORITY_CONFIGURED}, so a configured cluster wins.
   */
  int PRIORITY_LAUNCHER = 50;

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

  /**
   * Returns whether this provider detects its environment (an {@code mpirun} launch, a configured
   * cluster), so that automatic selection should open it. The provider reads its own keys (and
   * vetoes, such as {@code jmor.mpi.allow=false}) from {@code config}. The default is false: the
   * backend is used only when named.
   *
   * @param config the resolved configuration
   * @return whether to take part in automatic selection
   * @throws IllegalArgumentException if one of the provider's keys holds a malformed value (name
   *     the key and {@link ConfigView#source its source})
   */
  default boolean detects(ConfigView config) {
    return false;
  }

  /**
   * Returns the priority among detecting providers; the highest wins. Conventions: {@link
   * #PRIORITY_CONFIGURED} (100) for explicitly configured backends, {@link #PRIORITY_LAUNCHER} (50)
   * for backends detected from the launcher, 0 (the default) otherwise.
   *
   * @return the priority
   */
  default int priority() {
    return 0;
  }

  /**
   * Says whether pools of this backend can go on after losing a worker, the policy {@code
   * jmor.pool.on-worker-loss=shrink} ({@link org.jmor.parallel.OnWorkerLoss#SHRINK}). A backend
   * supports it when its {@link Transport}, after completing a worker's futures with a {@link
   * org.jmor.parallel.WorkerLostException}, (1) keeps serving the other workers as before, (2)
   * completes every later {@code send} to the lost worker promptly with a {@code
   * WorkerLostException} (the kit's {@link PendingReplies#workerLost} does both), and (3) still
   * ends every process of the pool on {@code close}. The core does the rest (re-running work,
   * handles, re-sending slices), once for every backend. A pool that asks for {@code shrink} on a
   * backend that returns a reason here is refused before {@link #open} is called, with that reason.
   *
   * <p>The default returns a reason (not supported), so that a backend opts in knowingly.
   *
   * @return null if supported; otherwise why not, one clause, for the error message (for example
   *     {@code "a lost rank ends the MPI job"})
   */
  default @Nullable String shrinkUnsupported() {
    return "its provider does not declare that the other workers go on after one is lost"
        + " (PoolProvider.shrinkUnsupported)";
  }

  /**
   * Returns the configuration keys {@code jmor.<name>.…} (and environment variables {@code
   * JMOR_<NAME>_…} read directly) that this backend reads, so that the pool factory warns about the
   * others as probable typos ({@code jmor.cluster.worker}: did you mean {@code
   * jmor.cluster.workers}?). Take them from where they are declared ({@link
   * ConfigKeys#declaredIn}). The default, an empty set, declares nothing: then the backend's keys
   * are not checked.
   *
   * @return the keys; not null
   */
  default java.util.Set<String> keys() {
    return java.util.Set.of();
  }

  /**
   * Returns the Maven coordinates of the module that provides this backend, for messages, for
   * example {@code "org.jmor:jmor-parallel-mpi"}; null or empty if unknown (the default).
   *
   * @return the coordinates, or null
   */
  default @Nullable String module() {
    return null;
  }
}
