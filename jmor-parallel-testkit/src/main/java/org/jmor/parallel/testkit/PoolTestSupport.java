package org.jmor.parallel.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jmor.parallel.SplitRule;
import org.jmor.parallel.WorkerPool;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The hooks shared by {@link WorkerPoolContract} and {@link DifferentialContract}: how to create
 * the backend's pools and what the backend can do. A backend overrides {@link #createPool(int)} and
 * the capability hooks that differ from the defaults.
 *
 * <p>Every test is bounded by a class-wide {@link Timeout} of 60 seconds, so a deadlocking backend
 * fails instead of hanging the build; tests about worker failures add a preemptive 30-second bound.
 * The test instance is shared per class so that parameter sources can call the hooks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class PoolTestSupport {

  /** The bound on a single blocking call in tests that could deadlock. */
  protected static final Duration BOUND = Duration.ofSeconds(30);

  /** Creates the support; subclasses are JUnit test classes. */
  protected PoolTestSupport() {}

  /**
   * Creates a new pool of this backend with {@code workers} workers and the default split rule
   * ({@link SplitRule#BALANCED}) and seed (42). The test closes it.
   *
   * @param workers one of {@link #workerCounts()}
   * @return a new pool owned by the test
   */
  protected abstract WorkerPool createPool(int workers);

  /**
   * Creates a new pool with an explicit split rule. The default skips the calling test (through an
   * assumption); override it when the backend lets the rule be chosen.
   *
   * @param workers one of {@link #workerCounts()}
   * @param rule the split rule
   * @return a new pool owned by the test
   */
  protected WorkerPool createPool(int workers, SplitRule rule) {
    return Assumptions.abort("this backend's test does not support choosing the split rule");
  }

  /**
   * Whether this is the sequential pool: size 1 and {@link WorkerPool#isParallel()} false. Default
   * false.
   */
  protected boolean isSequential() {
    return false;
  }

  /**
   * Whether the pool serializes every task, argument and result (remote backends, strict mode):
   * then non-serializable arguments are rejected. Default false.
   */
  protected boolean serializes() {
    return false;
  }

  /**
   * The pool sizes this backend is tested with; tests that need a specific size are skipped when it
   * is missing. Default: {@code {1}} for the sequential pool, {@code {1, 2, 3, 4}} otherwise.
   */
  protected int[] workerCounts() {
    return isSequential() ? new int[] {1} : new int[] {1, 2, 3, 4};
  }

  /**
   * The parameter source of the size-parameterized tests: {@link #workerCounts()}.
   *
   * @return the sizes
   */
  protected IntStream workerCountSource() {
    return Arrays.stream(workerCounts());
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
   * Creates a pool of exactly {@code workers} workers, or skips the test if this backend is not
   * tested with that size.
   *
   * @param workers the size
   * @return a new pool owned by the test
   */
  protected final WorkerPool openPool(int workers) {
    assumeTrue(supportsWorkers(workers), () -> "backend not tested with " + workers + " workers");
    return createPool(workers);
  }

  /**
   * Creates a pool with an explicit split rule, or skips the test.
   *
   * @param workers the size
   * @param rule the split rule
   * @return a new pool owned by the test
   */
  protected final WorkerPool openPool(int workers, SplitRule rule) {
    assumeTrue(supportsWorkers(workers), () -> "backend not tested with " + workers + " workers");
    return createPool(workers, rule);
  }

  /**
   * Returns the largest size in {@link #workerCounts()}.
   *
   * @return the size
   */
  protected final int largestWorkerCount() {
    return Arrays.stream(workerCounts()).max().orElseThrow();
  }

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
