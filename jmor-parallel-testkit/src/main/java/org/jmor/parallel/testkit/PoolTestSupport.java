package org.jmor.parallel.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jmor.parallel.PoolBuilder;
import org.jmor.parallel.PoolConfig;
import org.jmor.parallel.Setting;
import org.jmor.parallel.Settings;
import org.jmor.parallel.SplitRule;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The hooks and the pool management shared by {@link WorkerPoolContract} and {@link
 * DifferentialContract}: how to configure the backend's pools, what the backend can do, and which
 * pool a test gets.
 *
 * <h2>Writing a backend's test</h2>
 *
 * A backend extends each suite once and implements {@link #configure(PoolBuilder)}, setting its
 * backend name, strict mode and properties; the kit then sets the worker count, the split rule and
 * the seed. It overrides the capability flags that differ from the defaults:
 *
 * <pre>{@code
 * class MpiPoolContractTest extends WorkerPoolContract {
 *   protected PoolBuilder configure(PoolBuilder b) { return b.backend("mpi"); }
 *   protected boolean serializes() { return true; }
 *   protected boolean fixedSize() { return true; }
 *   protected boolean supportsSeveralPools() { return false; }
 *   protected int[] workerCounts() { return new int[] {MpiWorld.size()}; }
 * }
 * }</pre>
 *
 * <h2>Which pool a test gets</h2>
 *
 * <ul>
 *   <li>{@link #pool(int)}: the <em>shared</em> pool of that size. The kit opens it lazily on first
 *       use, reuses it for every test of the class (including the {@code @Nested} groups) and
 *       closes it in {@link AfterAll}. A test must not close it and must remove every handle it
 *       creates; after each test the kit checks that (see {@link #resetSharedPools()}) and restores
 *       the pool's {@link WorkerPool#settings()}.
 *   <li>{@link #privatePool(int)} and {@link #privatePool(int, SplitRule)}: a new pool that the
 *       test owns and closes, for tests that close a pool, need a second live pool, a fresh pool
 *       (untouched worker random generators) or a special split rule. They are skipped, through an
 *       assumption naming the reason, when {@link #supportsSeveralPools()} (or {@link
 *       #supportsSplitRule()}) is false.
 * </ul>
 *
 * <p>Every test is bounded by a class-wide {@link Timeout} of 60 seconds (which also applies to the
 * {@code @Nested} groups), and so are the kit's checks after each test and the closing of the
 * shared pools, so a deadlocking backend fails instead of hanging the build; tests about worker
 * failures add a preemptive 30-second bound. The test instance is shared per class so that the
 * shared pools and the parameter sources can live in it.
 *
 * <p>Reports: since the suites' tests are in {@code @Nested} groups, surefire's {@code .txt} report
 * of a backend's test class shows {@code Tests run: 0} (apache/maven-surefire#3356) and its console
 * lines name the groups ({@code WorkerPoolContract$Maps}); the class's {@code TEST-*.xml} report
 * lists all its tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class PoolTestSupport {

  /** The bound on a single blocking call in tests that could deadlock. */
  protected static final Duration BOUND = Duration.ofSeconds(30);

  /** The seed that the kit gives every pool it opens (the library's default, 42). */
  protected static final long SEED = PoolConfig.DEFAULT_SEED;

  /** The shared pools by size, opened lazily. */
  private final Map<Integer, SharedPool> shared = new TreeMap<>();

  /** The sizes whose shared pool the running test asked for. */
  private final Set<Integer> touched = new LinkedHashSet<>();

  /** Creates the support; subclasses are JUnit test classes. */
  protected PoolTestSupport() {}

  // ------------------------------------------------------------------ hooks

  /**
   * Configures a builder for this backend: the backend name, strict mode, settings and
   * backend-specific properties. The kit calls it for every pool it opens and afterwards sets the
   * worker count ({@link PoolBuilder#workers(int)}), the split rule and the seed ({@link #SEED}),
   * so an implementation must not rely on setting those.
   *
   * @param builder a new builder from {@link WorkerPools#builder()}
   * @return the builder (usually the same one)
   */
  protected abstract PoolBuilder configure(PoolBuilder builder);

  /**
   * Whether this is the sequential pool: size 1 and {@link WorkerPool#isParallel()} false. Default
   * false.
   *
   * @return the flag
   */
  protected boolean isSequential() {
    return false;
  }

  /**
   * Whether every worker runs in this JVM ({@link WorkerPool#isInProcess()}): the sequential and
   * thread pools. Default false.
   *
   * @return the flag
   */
  protected boolean isInProcess() {
    return false;
  }

  /**
   * Whether the pool serializes every task, argument and result (remote backends, strict mode):
   * then non-serializable arguments are rejected. Default false.
   *
   * @return the flag
   */
  protected boolean serializes() {
    return false;
  }

  /**
   * Whether the environment fixes the pool size (for example an MPI world launched with {@code -n
   * N}): then {@link #workerCounts()} must return exactly that one size, and tests that need
   * another size are skipped. Default false.
   *
   * @return the flag
   */
  protected boolean fixedSize() {
    return false;
  }

  /**
   * Whether the backend can have several pools alive at once, open a pool after closing one, and
   * open fresh pools cheaply enough for single tests. When false (an MPI world, which is one pool
   * per launch), the tests that need a {@link #privatePool(int) private pool} (a second pool, a
   * fresh one, or one to close) are skipped through an assumption. Default true.
   *
   * @return the flag
   */
  protected boolean supportsSeveralPools() {
    return true;
  }

  /**
   * Whether the backend lets the split rule be chosen ({@link PoolBuilder#splitRule(SplitRule)});
   * when false, tests that need a rule other than {@link SplitRule#BALANCED} are skipped. Default
   * true.
   *
   * @return the flag
   */
  protected boolean supportsSplitRule() {
    return true;
  }

  /**
   * The pool sizes this backend is tested with; tests that need a specific size are skipped when it
   * is missing. Default: {@code {1}} for the sequential pool, {@code {1, 2, 3, 4}} otherwise. A
   * {@link #fixedSize()} backend returns its one size.
   *
   * @return the sizes, at least one
   */
  protected int[] workerCounts() {
    return isSequential() ? new int[] {1} : new int[] {1, 2, 3, 4};
  }

  // ------------------------------------------------------------------ sizes

  /**
   * The parameter source of the size-parameterized tests: {@link #workerCounts()}.
   *
   * @return the sizes
   * @throws IllegalStateException if {@link #fixedSize()} and there is not exactly one size
   */
  protected IntStream workerCountSource() {
    int[] counts = workerCounts();
    if (fixedSize() && counts.length != 1) {
      throw new IllegalStateException(
          "a fixedSize() backend must return exactly one size from workerCounts(), got "
              + Arrays.toString(counts));
    }
    return Arrays.stream(counts);
  }

  /**
   * Whether {@code workers} is one of {@link #workerCounts()}.
   *
   * @param workers a pool size
   * @return whether the backend is tested with that size
   */
  protected final boolean supportsWorkers(int workers) {
    return Arrays.stream(workerCounts()).anyMatch(w -> w == workers);
  }

  /**
   * Returns the largest size in {@link #workerCounts()}.
   *
   * @return the size
   */
  protected final int largestWorkerCount() {
    return Arrays.stream(workerCounts()).max().orElseThrow();
  }

  private void assumeWorkers(int workers) {
    assumeTrue(
        supportsWorkers(workers),
        () ->
            (fixedSize() ? "the environment fixes the size at " : "backend only tested with ")
                + Arrays.toString(workerCounts())
                + " workers, not "
                + workers);
  }

  // ------------------------------------------------------------------ pools

  /**
   * Returns the shared pool of {@code workers} workers, opening it on first use, or skips the test
   * if this backend is not tested with that size. The test must not close it and must remove every
   * handle it creates.
   *
   * @param workers the size
   * @return the shared pool, owned by the kit
   */
  protected final WorkerPool pool(int workers) {
    assumeWorkers(workers);
    touched.add(workers);
    SharedPool p = shared.get(workers);
    if (p == null) {
      WorkerPool opened = createPool(workers, SplitRule.BALANCED);
      p = new SharedPool(opened, opened.settings().snapshot());
      shared.put(workers, p);
    }
    return p.pool;
  }

  /**
   * Opens a new pool with the default split rule that the test owns and closes, or skips the test
   * if the backend cannot have several pools or is not tested with that size. Use it only for tests
   * that close the pool, need a second live pool, or need a fresh pool.
   *
   * @param workers the size
   * @return a new pool owned by the test
   */
  protected final WorkerPool privatePool(int workers) {
    return privatePool(workers, SplitRule.BALANCED);
  }

  /**
   * Opens a new pool with an explicit split rule that the test owns and closes, or skips the test
   * (see {@link #privatePool(int)}; also when {@link #supportsSplitRule()} is false and the rule is
   * not {@link SplitRule#BALANCED}).
   *
   * @param workers the size
   * @param rule the split rule
   * @return a new pool owned by the test
   */
  protected final WorkerPool privatePool(int workers, SplitRule rule) {
    assumeWorkers(workers);
    assumeTrue(
        supportsSeveralPools(),
        "needs a private pool (a second, fresh or closable pool), "
            + "but this backend supports only one pool at a time");
    assumeTrue(
        rule == SplitRule.BALANCED || supportsSplitRule(),
        () -> "needs split rule " + rule + ", which this backend does not let the test choose");
    return createPool(workers, rule);
  }

  /**
   * Builds a pool: {@link #configure(PoolBuilder)} then the worker count, split rule and seed.
   *
   * @param workers the size
   * @param rule the split rule
   * @return the new pool
   */
  private WorkerPool createPool(int workers, SplitRule rule) {
    PoolBuilder builder = Objects.requireNonNull(configure(WorkerPools.builder()), "configure");
    return builder.workers(workers).splitRule(rule).seed(SEED).build();
  }

  /**
   * After each test: for every shared pool the test used, restores the settings it changed, and
   * fails the test if it left live remote objects, closed the pool or left it unusable. A pool that
   * was closed or broken is dropped (and one with leaked objects closed and dropped, when {@link
   * #supportsSeveralPools()}), so the next test gets a fresh one. Also clears a leftover interrupt
   * flag of the test thread.
   */
  @AfterEach
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  final void resetSharedPools() {
    Thread.interrupted();
    List<String> problems = new ArrayList<>();
    for (int workers : touched) {
      SharedPool p = shared.get(workers);
      if (p == null) {
        continue;
      }
      WorkerPool pool = p.pool;
      restoreSettings(pool.settings(), p.settings);
      List<Integer> indices;
      try {
        indices = pool.apply(TestTasks.workerIndex());
      } catch (IllegalStateException e) {
        shared.remove(workers);
        problems.add(
            "the test closed the shared pool of "
                + workers
                + " workers ("
                + e.getMessage()
                + "); a test that closes a pool must use privatePool(..)");
        continue;
      } catch (RuntimeException e) {
        discard(workers);
        problems.add("the shared pool of " + workers + " workers is unusable after the test: " + e);
        continue;
      }
      if (!indices.equals(IntStream.range(0, workers).boxed().collect(Collectors.toList()))) {
        discard(workers);
        problems.add(
            "the shared pool of " + workers + " workers answers " + indices + " after the test");
        continue;
      }
      int live = pool.statistics().liveObjects();
      if (live != 0) {
        if (supportsSeveralPools()) {
          discard(workers);
        }
        problems.add(
            "the test left "
                + live
                + " live remote object(s) on the shared pool of "
                + workers
                + " workers; remove every handle (try-with-resources)");
      }
    }
    touched.clear();
    if (!problems.isEmpty()) {
      throw new AssertionError(String.join("; ", problems));
    }
  }

  /** Closes every shared pool; runs after all tests of the class, nested groups included. */
  @AfterAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  final void closeSharedPools() {
    List<RuntimeException> failures = new ArrayList<>();
    for (SharedPool p : shared.values()) {
      try {
        p.pool.close();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    shared.clear();
    if (!failures.isEmpty()) {
      IllegalStateException e = new IllegalStateException("closing the shared pools failed");
      failures.forEach(e::addSuppressed);
      throw e;
    }
  }

  private void discard(int workers) {
    SharedPool p = shared.remove(workers);
    if (p != null) {
      try {
        p.pool.close();
      } catch (RuntimeException ignored) {
        // the test already fails with the reason the pool was discarded
      }
    }
  }

  /** Puts back the values of {@code baseline}, removing those that were added. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void restoreSettings(Settings settings, Map<String, Object> baseline) {
    Map<String, Object> now = settings.snapshot();
    if (now.equals(baseline)) {
      return;
    }
    for (String name : now.keySet()) {
      if (!baseline.containsKey(name)) {
        // settings are equal by name, so a stand-in key resets the test's value
        settings.reset(Setting.of(name, Object.class, null));
      }
    }
    for (Map.Entry<String, Object> e : baseline.entrySet()) {
      if (!e.getValue().equals(now.get(e.getKey()))) {
        Object value = e.getValue();
        settings.set((Setting) Setting.of(e.getKey(), value.getClass(), null), value);
      }
    }
  }

  /** A shared pool and the settings it had when the kit opened it. */
  private static final class SharedPool {
    final WorkerPool pool;
    final Map<String, Object> settings;

    SharedPool(WorkerPool pool, Map<String, Object> settings) {
      this.pool = pool;
      this.settings = settings;
    }
  }

  // ------------------------------------------------------------------ nested groups

  /**
   * The base of the {@code @Nested} test groups of the suites: a group is an inner class of the
   * suite, shares its instance (and so its shared pools and hooks) and gets its own instance per
   * class, so that {@code @MethodSource("workerCountSource")} works inside the group.
   */
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  protected abstract class Group {

    /** Creates the group; JUnit instantiates the concrete {@code @Nested} classes. */
    protected Group() {}

    /**
     * The parameter source of the size-parameterized tests of the group: the suite's {@link
     * PoolTestSupport#workerCountSource()}.
     *
     * @return the sizes
     */
    protected IntStream workerCountSource() {
      return PoolTestSupport.this.workerCountSource();
    }
  }

  // ------------------------------------------------------------------ waits

  /**
   * Waits at most {@link #BOUND} for a future.
   *
   * @param future the future
   * @param <T> the value type
   * @return its value
   * @throws Exception what {@link CompletableFuture#get(long, TimeUnit)} throws
   */
  protected static <T> T bounded(CompletableFuture<T> future) throws Exception {
    return future.get(BOUND.toSeconds(), TimeUnit.SECONDS);
  }
}
