package org.jmor.parallel.testkit;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jmor.base.Immutable;
import org.jmor.parallel.PoolBuilder;
import org.jmor.parallel.RemoteExecutionException;
import org.jmor.parallel.RemoteObject;
import org.jmor.parallel.RemoteObjectManager;
import org.jmor.parallel.SplitRule;
import org.jmor.parallel.Task;
import org.jmor.parallel.TransferStatistics;
import org.jmor.parallel.WorkerContext;
import org.jmor.parallel.WorkerFailure;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.spi.RemoteThrowable;
import org.jmor.random.Pcg64;
import org.jmor.random.SeedSequence;
import org.jmor.vectors.VectorArray;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behavioural contract of every {@link WorkerPool} backend: the acceptance scenarios 1–20, 22
 * and 25 of the specification, with the deliberate fixes of its §7, plus a table of bad inputs.
 *
 * <p>A backend extends this class once and implements {@link #configure(PoolBuilder)} (and, where
 * they differ, the capability flags of {@link PoolTestSupport}). The tests are grouped, along the
 * scenarios of the specification, into {@code @Nested} classes ({@link Sizes}, {@link Apply},
 * {@link Maps}, ..., {@link Lifecycle}, {@link BadInputs}, {@link Statistics}) that JUnit runs for
 * every concrete subclass. Most tests run once per size in {@link #workerCounts()}; tests that
 * reproduce a scenario at a specific size (for example 8 items on 3 workers) are skipped when the
 * backend is not tested with that size.
 *
 * <p>Tests use the class's shared pool of their size ({@link #pool(int)}), which they must not
 * close and on which they remove every handle they create (mostly with try-with-resources). Only
 * tests that close a pool, need a second or a fresh pool (untouched random generators), or the
 * {@link SplitRule#CEILING} rule open a {@link #privatePool(int) private pool}; they are skipped on
 * backends without {@link #supportsSeveralPools()}. Counters of {@link TransferStatistics} only
 * grow, so tests compare differences, except {@link TransferStatistics#liveObjects()}, which is 0
 * between tests.
 *
 * <p>Expected values are always known independently of the backend: literals from the
 * specification, plain loops on the caller, or {@link Blocks}.
 */
public abstract class WorkerPoolContract extends PoolTestSupport {

  /** Creates the contract; subclasses are JUnit test classes. */
  protected WorkerPoolContract() {}

  private static final String SIZES = "workerCountSource";
  private static final String NAME = "{0} workers";

  /** The first draw of worker i's generator with the default seed 42 (numpy, spec RNG1). */
  private static final double[] FIRST_DRAWS_SEED_42 = {
    0.9167441575549085, 0.4674907799518424, 0.07123920291270869
  };

  /** {@code numpy.random.default_rng(42).random(3)}. */
  private static final double[] DEFAULT_RNG_42 = {
    0.7739560485559633, 0.4388784397520523, 0.8585979199113825
  };

  private static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().collect(Collectors.toList());
  }

  private static <T> List<T> flatten(List<? extends List<? extends T>> lists) {
    List<T> all = new ArrayList<>();
    lists.forEach(all::addAll);
    return all;
  }

  private static String quoted(RemoteObject<?> handle) {
    return "RemoteObject#" + handle.remoteId();
  }

  /** The per-worker {@link TransferStatistics#scatteredElements(int)} counters of a pool. */
  private static long[] scattered(WorkerPool pool) {
    long[] counts = new long[pool.size()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = pool.statistics().scatteredElements(i);
    }
    return counts;
  }

  /** What each worker's scatter counter grew by since {@code before}. */
  private static long[] scatteredSince(WorkerPool pool, long[] before) {
    long[] now = scattered(pool);
    for (int i = 0; i < now.length; i++) {
      now[i] -= before[i];
    }
    return now;
  }

  private static VectorArray fiveVectors() {
    return VectorArray.ofRows(
        new double[] {1, 2, 3},
        new double[] {4, 5, 6},
        new double[] {7, 8, 9},
        new double[] {10, 11, 12},
        new double[] {13, 14, 15});
  }

  /** Scenario 1: size and truthiness. */
  @Nested
  class Sizes extends Group {
    // ------------------------------------------------------------ 1. size and truthiness

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void size_matchesRequestedWorkersAndParallelFlag(int n) {
      WorkerPool pool = pool(n);
      assertEquals(n, pool.size());
      assertEquals(
          !isSequential(),
          pool.isParallel(),
          "isParallel() must be false exactly for the sequential pool");
      assertEquals(
          Collections.nCopies(n, n),
          pool.apply(TestTasks.poolSize()),
          "every worker must see the pool size");
      assertEquals(
          isInProcess(),
          pool.isInProcess(),
          "isInProcess() must be true exactly when every worker runs in this JVM");
    }

    @Test
    void sequentialPool_hasOneWorkerAndIsNotParallel() {
      assumeTrue(isSequential(), "sequential backend only");
      WorkerPool pool = pool(1);
      assertEquals(1, pool.size());
      assertFalse(pool.isParallel());
    }
  }

  /** Scenario 2: {@code apply} runs once per worker and returns results in worker order. */
  @Nested
  class Apply extends Group {
    // ------------------------------------------------------------ 2. apply order

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void apply_returnsResultsInWorkerOrder(int n) {
      WorkerPool pool = pool(n);
      assertEquals(range(0, n), pool.apply(TestTasks.workerIndex()));
    }

    @Test
    void apply_onFourWorkers_returnsZeroToThree() {
      WorkerPool pool = pool(4);
      assertEquals(List.of(0, 1, 2, 3), pool.apply(TestTasks.workerIndex()));
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void apply_passesArgumentsByPosition(int n) {
      WorkerPool pool = pool(n);
      assertEquals(
          Collections.nCopies(n, "3:a:null:7"),
          pool.apply(TestTasks.describeArguments(), "a", null, 7));
      assertEquals(Collections.nCopies(n, 0), pool.apply(TestTasks.argumentCount()));
    }
  }

  /** Scenarios 3, 4, 16 and 22: {@code map} order, splitting, zipped maps, shared arguments. */
  @Nested
  class Maps extends Group {
    // ------------------------------------------------------------ 3. map order and split

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void map_identityKeepsInputOrder(int n) {
      WorkerPool pool = pool(n);
      List<Integer> input = range(0, 10);
      List<Integer> out = pool.map(TestTasks.identity(), input);
      assertEquals(input, out);
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void map_emptyInput(int n) {
      WorkerPool pool = pool(n);
      List<Integer> out = pool.map(TestTasks.identity(), List.<Integer>of());
      assertEquals(List.of(), out);
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void map_blocksAreContiguousAndBalanced(int n) {
      WorkerPool pool = pool(n);
      for (int items : new int[] {0, 1, Math.max(0, n - 1), n, n + 1, 9, 10, 13}) {
        List<Integer> workers = pool.map(TestTasks.elementWorker(), range(0, items));
        assertArrayEquals(
            Blocks.balanced(items, n),
            Blocks.observed(workers, n),
            items + " items on " + n + " workers");
      }
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void map_ceilingRuleBlocks(int n) {
      try (WorkerPool pool = privatePool(n, SplitRule.CEILING)) {
        for (int items : new int[] {0, 1, n, 5, 9, 10, 13}) {
          List<Integer> workers = pool.map(TestTasks.elementWorker(), range(0, items));
          assertArrayEquals(
              Blocks.ceiling(items, n),
              Blocks.observed(workers, n),
              items + " items on " + n + " workers with CEILING");
        }
      }
    }

    @Test
    void map_tenAndNineOnFourWorkers_areBalancedByDefault() {
      WorkerPool pool = pool(4);
      assertArrayEquals(
          new int[] {3, 3, 2, 2},
          Blocks.observed(pool.map(TestTasks.elementWorker(), range(0, 10)), 4));
      assertArrayEquals(
          new int[] {3, 2, 2, 2},
          Blocks.observed(pool.map(TestTasks.elementWorker(), range(0, 9)), 4));
    }

    @Test
    void map_tenAndNineOnFourWorkers_ceilingRuleMatchesPyMor() {
      try (WorkerPool pool = privatePool(4, SplitRule.CEILING)) {
        assertArrayEquals(
            new int[] {3, 3, 3, 1},
            Blocks.observed(pool.map(TestTasks.elementWorker(), range(0, 10)), 4));
        assertArrayEquals(
            new int[] {3, 3, 3, 0},
            Blocks.observed(pool.map(TestTasks.elementWorker(), range(0, 9)), 4));
        assertArrayEquals(
            new int[] {2, 2, 1, 0},
            Blocks.observed(pool.map(TestTasks.elementWorker(), range(0, 5)), 4));
      }
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void map_acceptsAnyList(int n) {
      WorkerPool pool = pool(n);
      List<Integer> expected = range(0, 7);
      List<List<Integer>> inputs =
          List.of(
              List.copyOf(expected),
              Arrays.asList(0, 1, 2, 3, 4, 5, 6),
              new LinkedList<>(expected),
              range(-2, 9).subList(2, 9),
              Collections.unmodifiableList(new ArrayList<>(expected)));
      for (List<Integer> input : inputs) {
        List<Integer> out = pool.map(TestTasks.identity(), input);
        assertEquals(expected, out, "input of class " + input.getClass().getName());
      }
    }

    // ------------------------------------------------------------ 4. zipped map

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void mapZipped_addsPairwise(int n) {
      WorkerPool pool = pool(n);
      List<Integer> sums =
          pool.mapZipped(TestTasks.add(), List.of(List.of(1, 2, 3, 4), List.of(10, 20, 30, 40)));
      assertEquals(List.of(11, 22, 33, 44), sums);
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void mapZipped_differentLengths_rejectedBeforeAnyWorkerRuns(int n) {
      WorkerPool pool = pool(n);
      try (RemoteObject<int[]> counters = pool.push(new int[1])) {
        long commands = pool.statistics().commands();
        IllegalArgumentException e =
            assertThrows(
                IllegalArgumentException.class,
                () ->
                    pool.mapZipped(
                        TestTasks.countingZipped(),
                        List.of(List.of(1, 2, 3, 4), List.of(10, 20, 30)),
                        counters));
        assertTrue(e.getMessage().contains("equal lengths"), e.getMessage());
        assertTrue(e.getMessage().contains("4") && e.getMessage().contains("3"), e.getMessage());
        assertEquals(commands, pool.statistics().commands(), "nothing may be sent");
        assertEquals(
            Collections.nCopies(n, 0),
            pool.apply(TestTasks.readCounter(), counters),
            "no worker may have run the task");
      }
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void mapZipped_noSequences_rejected(int n) {
      WorkerPool pool = pool(n);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> pool.mapZipped(TestTasks.add(), List.of()));
      assertTrue(e.getMessage().contains("at least one sequence"), e.getMessage());
    }

    // ------------------------------------------------------------ 16. shared map argument (K8)

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void map_handleArgumentIsSharedByAllCallsOnAWorker(int n) {
      WorkerPool pool = pool(n);
      try (RemoteObject<List<Integer>> acc = pool.push(new ArrayList<Integer>())) {
        List<Integer> workers = pool.map(TestTasks.appendTo(), range(0, 10), acc);
        List<List<Integer>> perWorker = pool.apply(TestTasks.argument(0), acc);
        assertEquals(range(0, 10), flatten(perWorker), "together the lists hold 0..9 in order");
        int[] sizes = Blocks.observed(workers, n);
        for (int i = 0; i < n; i++) {
          assertEquals(sizes[i], perWorker.get(i).size(), "worker " + i);
        }
      }
    }

    @Test
    void map_accumulateOnThreeWorkers() {
      WorkerPool pool = pool(3);
      try (RemoteObject<List<Integer>> acc = pool.push(new ArrayList<Integer>())) {
        pool.map(TestTasks.appendTo(), range(0, 10), acc);
        List<List<Integer>> perWorker = pool.apply(TestTasks.argument(0), acc);
        assertEquals(List.of(List.of(0, 1, 2, 3), List.of(4, 5, 6), List.of(7, 8, 9)), perWorker);
      }
    }

    // ------------------------------------------------------------ 22. error analysis order

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void map_errorAnalysis_alignedWithInputAndEqualToSerial(int n) {
      double[] drawn = Pcg64.defaultRng(42).uniform(0.1, 1.0, 10);
      assertEquals(0.796560443700367, drawn[0], "pyMOR's first test parameter");
      List<Double> mus = Arrays.stream(drawn).boxed().collect(Collectors.toList());
      ImmutableModel model = ImmutableModel.standard();
      List<AnalysisResult> expected = new ArrayList<>();
      for (double mu : drawn) {
        expected.add(model.analyse(mu));
      }
      WorkerPool pool = pool(n);
      try (RemoteObject<ImmutableModel> pushed = pool.push(model)) {
        List<AnalysisResult> viaHandle = pool.map(TestTasks.errorAnalysis(), mus, pushed);
        List<AnalysisResult> viaObject = pool.map(TestTasks.errorAnalysis(), mus, model);
        assertEquals(expected, viaHandle);
        assertEquals(expected, viaObject);
        for (int k = 0; k < mus.size(); k++) {
          assertEquals(mus.get(k), viaHandle.get(k).mu(), "result " + k + " belongs to mu " + k);
        }
        try (WorkerPool serial = org.jmor.parallel.WorkerPools.sequential()) {
          assertEquals(serial.map(TestTasks.errorAnalysis(), mus, model), viaHandle);
        }
      }
    }
  }

  /** Scenarios 5 to 7: {@code push} copy semantics and {@link Immutable} de-duplication. */
  @Nested
  class PushAndImmutables extends Group {
    // ------------------------------------------------------------ 5. push copy semantics

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void push_mutableObjectIsCopiedPerWorkerAndCallerUnchanged(int n) {
      List<Object> original = new ArrayList<>(List.of("orig"));
      WorkerPool pool = pool(n);
      try (RemoteObject<List<Object>> h = pool.push(original)) {
        List<List<Object>> appended = pool.apply(TestTasks.appendWorkerIndex(), h);
        List<List<Object>> gathered = pool.apply(TestTasks.argument(0), h);
        for (int i = 0; i < n; i++) {
          assertEquals(List.of("orig", i), appended.get(i), "worker " + i);
          assertEquals(List.of("orig", i), gathered.get(i), "worker " + i + ", read back");
          assertNotSame(original, gathered.get(i), "worker " + i + " must not alias the caller");
        }
        assertEquals(List.of("orig"), original, "the caller's list must be unchanged");
      }
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void push_mutableObjectTransfersOnEveryCall(int n) {
      List<Integer> data = new ArrayList<>(List.of(1, 2));
      WorkerPool pool = pool(n);
      TransferStatistics stats = pool.statistics();
      long uploads = stats.uploads();
      try (RemoteObject<List<Integer>> a = pool.push(data);
          RemoteObject<List<Integer>> b = pool.push(data)) {
        assertEquals(uploads + 2, stats.uploads());
        assertNotEquals(a.remoteId(), b.remoteId());
        assertEquals(2, stats.liveObjects());
        assertSame(pool, a.pool());
      }
      assertEquals(0, stats.liveObjects());
    }

    // ------------------------------------------------------------ 6. immutable de-duplication

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void push_immutableTwice_transfersOnceWithSameRemoteId(int n) {
      ImmutableModel x = ImmutableModel.standard();
      WorkerPool pool = pool(n);
      TransferStatistics stats = pool.statistics();
      long uploads = stats.uploads();
      try (RemoteObject<ImmutableModel> a = pool.push(x);
          RemoteObject<ImmutableModel> b = pool.push(x)) {
        assertEquals(uploads + 1, stats.uploads(), "one transfer for two pushes");
        assertEquals(a.remoteId(), b.remoteId());
        assertNotSame(a, b, "each push returns its own handle");
        assertEquals(1, stats.liveObjects());
        // an equal but distinct instance is not de-duplicated (identity, not equals)
        try (RemoteObject<ImmutableModel> c = pool.push(ImmutableModel.standard())) {
          assertEquals(uploads + 2, stats.uploads());
          assertNotEquals(a.remoteId(), c.remoteId());
        }
      }
    }

    // ------------------------------------------------------------ 7. immutable arguments

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void apply_pushedImmutableArgument_isNotSentAgain(int n) {
      ImmutableModel x = ImmutableModel.standard();
      List<Double> mus = List.of(0.1, 0.5, 0.9);
      WorkerPool pool = pool(n);
      try (RemoteObject<ImmutableModel> h = pool.push(x)) {
        TransferStatistics stats = pool.statistics();
        long uploads = stats.uploads();
        assertEquals(
            Collections.nCopies(n, true),
            pool.apply(TestTasks.sameObject(), h, x),
            "the argument must resolve to the worker's pushed copy");
        List<Double> outputs = pool.map(TestTasks.modelOutput(), mus, x);
        assertEquals(mus.stream().map(x::output).collect(Collectors.toList()), outputs);
        assertEquals(uploads, stats.uploads(), "a pushed immutable argument is not uploaded");
      }
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void apply_unpushedImmutableArgument_isSentAndNotKept(int n) {
      ImmutableModel x = ImmutableModel.standard();
      WorkerPool pool = pool(n);
      TransferStatistics stats = pool.statistics();
      long uploads = stats.uploads();
      List<Double> outputs = pool.map(TestTasks.modelOutput(), List.of(0.5), x);
      assertEquals(List.of(x.output(0.5)), outputs);
      assertEquals(uploads + 1, stats.uploads(), "an unpushed immutable argument is uploaded");
      assertEquals(0, stats.liveObjects());
      List<Integer> stored = pool.apply(TestTasks.storedObjects());
      assumeFalse(stored.contains(-1), "worker-side object count not observable");
      assertEquals(Collections.nCopies(n, 0), stored, "nothing may stay on the workers");
    }
  }

  /** Scenarios 8 to 11 and 17: reference counting, removal, positional handles, managers. */
  @Nested
  class Handles extends Group {
    // ------------------------------------------------------------ 8. reference counting

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void remove_immutablePushedTwice_keepsRemoteCopyUntilLastHandle(int n) {
      ImmutableModel x = ImmutableModel.standard();
      WorkerPool pool = pool(n);
      TransferStatistics stats = pool.statistics();
      long uploads = stats.uploads();
      RemoteObject<ImmutableModel> h1 = pool.push(x);
      RemoteObject<ImmutableModel> h2 = pool.push(x);
      assertEquals(uploads + 1, stats.uploads());

      h1.remove();
      assertTrue(h1.isRemoved());
      assertFalse(h2.isRemoved());
      assertEquals(1, stats.liveObjects(), "the copy stays while h2 exists");
      long beforeUse = stats.uploads();
      assertEquals(
          Collections.nCopies(n, true),
          pool.apply(TestTasks.sameObject(), h2, x),
          "the object itself still resolves to the remote copy");
      assertEquals(beforeUse, stats.uploads(), "and is not sent by value");
      List<Integer> stored = pool.apply(TestTasks.storedObjects());
      boolean observable = !stored.contains(-1);
      if (observable) {
        assertEquals(Collections.nCopies(n, 1), stored);
      }

      h2.remove();
      assertTrue(h2.isRemoved());
      assertEquals(0, stats.liveObjects(), "the last handle removes the copy");
      if (observable) {
        assertEquals(Collections.nCopies(n, 0), pool.apply(TestTasks.storedObjects()));
      }
      long beforeByValue = stats.uploads();
      pool.map(TestTasks.modelOutput(), List.of(0.5), x);
      assertEquals(beforeByValue + 1, stats.uploads(), "no longer pushed: sent by value");

      long beforeRepush = stats.uploads();
      RemoteObject<ImmutableModel> h3 = pool.push(x);
      assertEquals(beforeRepush + 1, stats.uploads(), "pushing again uploads exactly once");
      assertEquals(1, stats.liveObjects());
      // regression for pyMOR's re-keying bug (R4/R5): stale handles must not touch the new copy
      h1.remove();
      h2.remove();
      assertFalse(h3.isRemoved());
      assertEquals(1, stats.liveObjects());
      assertEquals(Collections.nCopies(n, true), pool.apply(TestTasks.sameObject(), h3, x));
      h3.remove();
      assertEquals(0, stats.liveObjects());
    }

    // ------------------------------------------------------------ 9. remove and try-with-resources

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void remove_isIdempotent(int n) {
      WorkerPool pool = pool(n);
      RemoteObject<List<Integer>> h = pool.push(new ArrayList<>(List.of(1)));
      assertEquals(1, pool.statistics().liveObjects());
      h.remove();
      h.remove();
      h.close();
      assertTrue(h.isRemoved());
      assertEquals(0, pool.statistics().liveObjects());
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void remove_tryWithResourcesRemovesEvenWhenBodyThrows(int n) {
      WorkerPool pool = pool(n);
      RuntimeException boom = new IllegalStateException("body failed");
      List<RemoteObject<?>> seen = new ArrayList<>();
      RuntimeException thrown =
          assertThrows(
              RuntimeException.class,
              () -> {
                try (RemoteObject<List<Integer>> h = pool.push(new ArrayList<>(List.of(1)))) {
                  seen.add(h);
                  throw boom;
                }
              });
      assertSame(boom, thrown, "the body's exception must not be swallowed or replaced");
      assertEquals(0, thrown.getSuppressed().length);
      assertTrue(seen.get(0).isRemoved());
      assertEquals(0, pool.statistics().liveObjects());
    }

    // ------------------------------------------------------------ 10. removed handle used

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void apply_removedHandle_failsNamingItAndPoolStaysUsable(int n) {
      WorkerPool pool = pool(n);
      RemoteObject<List<Integer>> h = pool.push(new ArrayList<>(List.of(1)));
      h.remove();
      List<Executable> uses =
          List.of(
              () -> pool.apply(TestTasks.argument(0), h),
              () -> pool.applyOnly(0, TestTasks.argument(0), h),
              () -> pool.map(TestTasks.identity(), List.of(1, 2), h));
      for (Executable use : uses) {
        IllegalStateException e = assertThrows(IllegalStateException.class, use);
        assertTrue(e.getMessage().contains(quoted(h)), e.getMessage());
        assertTrue(e.getMessage().contains("removed"), e.getMessage());
      }
      assertEquals(range(0, n), pool.apply(TestTasks.workerIndex()), "the pool stays usable");
    }

    // ------------------------------------------------------------ 11. positional handles

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void apply_handlesAreResolvedAtAnyPosition(int n) {
      WorkerPool pool = pool(n);
      try (RemoteObject<List<Integer>> pushed = pool.push(new ArrayList<>(List.of(5)));
          RemoteObject<List<Integer>> slices = pool.scatterList(range(0, n))) {
        List<String> described = pool.apply(TestTasks.describeArguments(), "a", pushed, slices, 7);
        for (int i = 0; i < n; i++) {
          assertEquals("4:a:[5]:[" + i + "]:7", described.get(i), "worker " + i);
        }
        List<Object> mapped = pool.map(TestTasks.identity(), List.of(1), pushed);
        assertEquals(List.of(1), mapped);
        assertEquals(List.of(5), pool.applyOnly(n - 1, TestTasks.argument(0), pushed));
      }
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void apply_handleNestedInListArgument_isNotResolved(int n) {
      WorkerPool pool = pool(n);
      try (RemoteObject<List<Integer>> h = pool.push(new ArrayList<>(List.of(5)))) {
        if (serializes()) {
          IllegalArgumentException e =
              assertThrows(
                  IllegalArgumentException.class,
                  () -> pool.apply(TestTasks.firstElementOfList(), List.of(h)));
          assertTrue(e.getMessage().contains("Serializable"), e.getMessage());
        } else {
          List<Object> seen = pool.apply(TestTasks.firstElementOfList(), List.of(h));
          for (Object o : seen) {
            assertSame(h, o, "an in-process task receives the handle object itself");
          }
        }
        assertEquals(range(0, n), pool.apply(TestTasks.workerIndex()));
      }
    }

    // ------------------------------------------------------------ 17. RemoteObjectManager

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void remoteObjectManager_removesInInsertionOrderAndIsReusable(int n) {
      WorkerPool pool = pool(n);
      List<Long> removed = new ArrayList<>();
      try (RemoteObjectManager objects = new RemoteObjectManager()) {
        RemoteObject<List<Integer>> scattered = pool.scatterList(range(0, 5));
        Recording<List<Integer>> c = new Recording<>(scattered, removed);
        assertSame(c, objects.manage(c), "manage returns its argument");
        Recording<List<Integer>> a =
            objects.manage(new Recording<>(pool.push(new ArrayList<>(List.of(1))), removed));
        Recording<ImmutableModel> b =
            objects.manage(new Recording<>(pool.push(ImmutableModel.standard()), removed));
        assertEquals(3, objects.size());
        assertEquals(3, pool.statistics().liveObjects());

        objects.removeObjects();
        assertEquals(
            List.of(c.remoteId(), a.remoteId(), b.remoteId()),
            removed,
            "removed in insertion order");
        assertTrue(a.isRemoved() && b.isRemoved() && c.isRemoved());
        assertEquals(0, pool.statistics().liveObjects());
        assertEquals(0, objects.size());

        RemoteObject<List<Integer>> d = objects.manage(pool.push(new ArrayList<>(List.of(2))));
        assertEquals(1, pool.statistics().liveObjects());
        objects.close();
        assertTrue(d.isRemoved(), "the manager is reusable");
        assertEquals(0, pool.statistics().liveObjects());
        RemoteObject<List<Integer>> e = objects.manage(pool.push(new ArrayList<>(List.of(3))));
        assertFalse(e.isRemoved());
        assertEquals(1, pool.statistics().liveObjects());
      }
      assertEquals(0, pool.statistics().liveObjects(), "leaving the scope removes the rest");
    }

    /** Records the order of removals, then delegates. */
    private static final class Recording<T> implements RemoteObject<T> {
      private final RemoteObject<T> delegate;
      private final List<Long> log;

      Recording(RemoteObject<T> delegate, List<Long> log) {
        this.delegate = delegate;
        this.log = log;
      }

      @Override
      public long remoteId() {
        return delegate.remoteId();
      }

      @Override
      public WorkerPool pool() {
        return delegate.pool();
      }

      @Override
      public boolean isRemoved() {
        return delegate.isRemoved();
      }

      @Override
      public void remove() {
        log.add(delegate.remoteId());
        delegate.remove();
      }
    }
  }

  /** Scenarios 12 and 13: {@code scatterList} and {@code scatterArray}. */
  @Nested
  class Scatter extends Group {
    // ------------------------------------------------------------ 12. scatterList

    @Test
    void scatterList_eightItemsOnThreeWorkers() {
      WorkerPool pool = pool(3);
      long[] before = scattered(pool);
      List<Integer> source = range(0, 8);
      try (RemoteObject<List<Integer>> h = pool.scatterList(source)) {
        List<List<Integer>> slices = pool.apply(TestTasks.argument(0), h);
        assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6, 7)), slices);
        assertArrayEquals(new long[] {3, 3, 2}, scatteredSince(pool, before));
        assertEquals(range(0, 8), source, "the source list is not modified");
      }
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void scatterList_emptyListGivesEveryWorkerAnEmptyList(int n) {
      WorkerPool pool = pool(n);
      long[] before = scattered(pool);
      try (RemoteObject<List<Integer>> h = pool.scatterList(List.<Integer>of())) {
        List<List<Integer>> slices = pool.apply(TestTasks.argument(0), h);
        assertEquals(Collections.nCopies(n, List.of()), slices);
        assertArrayEquals(new long[n], scatteredSince(pool, before));
      }
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void scatterList_slicesAreContiguousAndBalanced(int n) {
      List<Integer> source = range(100, 113);
      WorkerPool pool = pool(n);
      long[] before = scattered(pool);
      try (RemoteObject<List<Integer>> h = pool.scatterList(source)) {
        List<List<Integer>> slices = pool.apply(TestTasks.argument(0), h);
        int[] expected = Blocks.balanced(13, n);
        long[] counted = scatteredSince(pool, before);
        for (int i = 0; i < n; i++) {
          assertEquals(expected[i], slices.get(i).size(), "slice of worker " + i);
          assertEquals(expected[i], counted[i], "counter of worker " + i);
        }
        assertEquals(source, flatten(slices));
        // each worker's slice is its own mutable list
        pool.apply((ctx, args) -> args.<List<Integer>>get(0).add(-1), h);
        assertEquals(range(100, 113), source);
      }
    }

    // ------------------------------------------------------------ 13. scatterArray

    @Test
    void scatterArray_fiveVectorsOnThreeWorkers_copyKeepsSource() {
      VectorArray u = fiveVectors();
      WorkerPool pool = pool(3);
      long[] before = scattered(pool);
      try (RemoteObject<VectorArray> h = pool.scatterArray(u, true)) {
        assertEquals(List.of(2, 2, 1), pool.apply(TestTasks.vectorCount(), h));
        assertEquals(5, u.len(), "copy=true keeps the source");
        assertEquals(fiveVectors(), u);
        assertArrayEquals(new long[] {2, 2, 1}, scatteredSince(pool, before));
        List<VectorArray> parts = pool.apply(TestTasks.argument(0), h);
        assertEquals(fiveVectors(), VectorArray.concat(parts));
      }
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void scatterArray_copyFalseEmptiesSource(int n) {
      VectorArray u = fiveVectors();
      WorkerPool pool = pool(n);
      try (RemoteObject<VectorArray> h = pool.scatterArray(u, false)) {
        assertEquals(0, u.len(), "copy=false moves the vectors out of the source");
        assertEquals(3, u.dim());
        List<VectorArray> parts = pool.apply(TestTasks.argument(0), h);
        assertEquals(fiveVectors(), VectorArray.concat(parts), "gathering reproduces the original");
        int[] expected = Blocks.balanced(5, n);
        for (int i = 0; i < n; i++) {
          assertEquals(expected[i], parts.get(i).len(), "worker " + i);
        }
      }
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void scatterArray_workerChangesDoNotReachSource(int n) {
      VectorArray u = fiveVectors();
      WorkerPool pool = pool(n);
      try (RemoteObject<VectorArray> h = pool.scatterArray(u, true)) {
        pool.apply(
            (ctx, args) -> {
              args.<VectorArray>get(0).scal(-1);
              return null;
            },
            h);
        assertEquals(fiveVectors(), u);
      }
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void scatterArray_moveFromAView_rejectedWithoutLeaking(int n) {
      VectorArray base = fiveVectors();
      VectorArray view = base.view(0, 1, 2);
      WorkerPool pool = pool(n);
      long uploads = pool.statistics().uploads();
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> pool.scatterArray(view, false));
      assertTrue(e.getMessage().contains("view"), e.getMessage());
      assertEquals(0, pool.statistics().liveObjects(), "no remote object may be left behind");
      assertEquals(uploads, pool.statistics().uploads(), "nothing may be sent");
      assertEquals(fiveVectors(), base);
      List<Integer> stored = pool.apply(TestTasks.storedObjects());
      if (!stored.contains(-1)) {
        assertEquals(Collections.nCopies(n, 0), stored, "nothing stored on the workers");
      }
      try (RemoteObject<VectorArray> h = pool.scatterArray(view, true)) {
        List<VectorArray> parts = pool.apply(TestTasks.argument(0), h);
        assertEquals(base.copyRange(0, 3), VectorArray.concat(parts), "copying a view works");
      }
    }
  }

  /** Scenario 14: {@code applyOnly} and its index checks. */
  @Nested
  class ApplyOnly extends Group {
    // ------------------------------------------------------------ 14. applyOnly

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void applyOnly_runsOnlyOnTargetWorker(int n) {
      int target = Math.min(2, n - 1);
      WorkerPool pool = pool(n);
      try (RemoteObject<int[]> counters = pool.push(new int[1])) {
        Integer result = pool.applyOnly(target, TestTasks.incrementCounterAndTag(), counters);
        assertEquals(100 * target + 1, result, "a single value from the target worker");
        List<Integer> counts = pool.apply(TestTasks.readCounter(), counters);
        for (int i = 0; i < n; i++) {
          assertEquals(i == target ? 1 : 0, counts.get(i), "calls on worker " + i);
        }
      }
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void applyOnly_rejectsNegativeIndex(int n) {
      assertApplyOnlyRejects(n, -1);
      assertApplyOnlyRejects(n, Integer.MIN_VALUE);
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void applyOnly_rejectsIndexEqualToSize(int n) {
      assertApplyOnlyRejects(n, n);
      assertApplyOnlyRejects(n, 99);
    }

    private void assertApplyOnlyRejects(int n, int index) {
      WorkerPool pool = pool(n);
      try (RemoteObject<int[]> counters = pool.push(new int[1])) {
        IndexOutOfBoundsException e =
            assertThrows(
                IndexOutOfBoundsException.class,
                () -> pool.applyOnly(index, TestTasks.incrementCounter(), counters));
        assertTrue(e.getMessage().contains(String.valueOf(index)), e.getMessage());
        assertTrue(e.getMessage().contains("0.." + (n - 1)), e.getMessage());
        assertEquals(
            Collections.nCopies(n, 0),
            pool.apply(TestTasks.readCounter(), counters),
            "the task must not run anywhere");
      }
    }
  }

  /** Scenario 15: exceptions thrown by tasks on the workers. */
  @Nested
  class Failures extends Group {
    // ------------------------------------------------------------ 15. worker exceptions

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void apply_failureOnOneWorker_namesThatWorker(int n) {
      int bad = n - 1;
      WorkerPool pool = pool(n);
      RemoteExecutionException e =
          assertTimeoutPreemptively(
              BOUND,
              () ->
                  assertThrows(
                      RemoteExecutionException.class,
                      () -> pool.apply(TestTasks.failOnWorker(bad))));
      assertEquals(List.of(bad), e.failedWorkers());
      assertEquals(n, e.poolSize());
      WorkerFailure f = e.failures().get(0);
      assertEquals(-1, f.element());
      assertDeliberate(f.cause(), bad);
      assertTrue(e.getMessage().contains("worker " + bad), e.getMessage());
      assertEquals(range(0, n), pool.apply(TestTasks.workerIndex()), "the pool stays usable");
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void apply_failureOnEveryWorker_listsAllWorkers(int n) {
      WorkerPool pool = pool(n);
      RemoteExecutionException e =
          assertTimeoutPreemptively(
              BOUND,
              () ->
                  assertThrows(
                      RemoteExecutionException.class,
                      () -> pool.apply(TestTasks.failEverywhere())));
      assertEquals(range(0, n), e.failedWorkers());
      assertEquals(n - 1, e.getSuppressed().length);
      for (int i = 0; i < n; i++) {
        assertDeliberate(e.failures().get(i).cause(), i);
      }
      assertEquals(range(0, n), pool.apply(TestTasks.workerIndex()));
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void map_failureOnOneElement_namesWorkerAndElement(int n) {
      int element = 7;
      int worker = Blocks.workerOf(Blocks.balanced(10, n), element);
      WorkerPool pool = pool(n);
      RemoteExecutionException e =
          assertTimeoutPreemptively(
              BOUND,
              () ->
                  assertThrows(
                      RemoteExecutionException.class,
                      () -> pool.map(TestTasks.failOnElement(element), range(0, 10))));
      assertEquals(List.of(worker), e.failedWorkers());
      assertEquals(element, e.failures().get(0).element());
      assertDeliberate(e.failures().get(0).cause(), worker);
      assertTrue(e.getMessage().contains("element " + element), e.getMessage());
      assertEquals(range(0, 10), pool.map(TestTasks.identity(), range(0, 10)));
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void applyOnly_failure_namesThatWorker(int n) {
      int bad = n - 1;
      WorkerPool pool = pool(n);
      RemoteExecutionException e =
          assertTimeoutPreemptively(
              BOUND,
              () ->
                  assertThrows(
                      RemoteExecutionException.class,
                      () -> pool.applyOnly(bad, TestTasks.failOnWorker(bad))));
      assertEquals(List.of(bad), e.failedWorkers());
      assertDeliberate(e.failures().get(0).cause(), bad);
      assertEquals(bad, (int) pool.applyOnly(bad, TestTasks.workerIndex()));
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void applyAsync_failure_completesExceptionally(int n) {
      int bad = n - 1;
      WorkerPool pool = pool(n);
      CompletableFuture<List<Integer>> f = pool.applyAsync(TestTasks.failOnWorker(bad));
      ExecutionException e = assertThrows(ExecutionException.class, () -> bounded(f));
      RemoteExecutionException r = assertInstanceOf(RemoteExecutionException.class, e.getCause());
      assertEquals(List.of(bad), r.failedWorkers());
    }

    private static void assertDeliberate(Throwable cause, int worker) {
      String message = String.valueOf(cause.getMessage());
      assertTrue(
          cause instanceof IllegalStateException
              || message.contains(IllegalStateException.class.getName()),
          "cause should be the task's IllegalStateException, got " + cause);
      assertTrue(message.contains(TestTasks.FAILURE_MESSAGE + worker), message);
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void apply_unserializableException_keepsClassNameAndMessage(int n) {
      WorkerPool pool = pool(n);
      RemoteExecutionException e =
          assertTimeoutPreemptively(
              BOUND,
              () ->
                  assertThrows(
                      RemoteExecutionException.class,
                      () -> pool.apply(TestTasks.failWithUnserializableException())));
      assertEquals(range(0, n), e.failedWorkers());
      Throwable cause = e.failures().get(0).cause();
      if (serializes()) {
        RemoteThrowable r = assertInstanceOf(RemoteThrowable.class, cause);
        assertEquals(TestTasks.UnserializableException.class.getName(), r.originalClass());
      } else {
        assertInstanceOf(TestTasks.UnserializableException.class, cause);
      }
      assertTrue(cause.getMessage().contains(TestTasks.FAILURE_MESSAGE + 0), cause.getMessage());
      assertEquals(range(0, n), pool.apply(TestTasks.workerIndex()));
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void apply_unserializableResult_failsOnSerializingPools(int n) {
      WorkerPool pool = pool(n);
      if (serializes()) {
        RemoteExecutionException e =
            assertTimeoutPreemptively(
                BOUND,
                () ->
                    assertThrows(
                        RemoteExecutionException.class,
                        () -> pool.apply(TestTasks.unserializableResult())));
        assertEquals(range(0, n), e.failedWorkers());
        assertTrue(e.getCause().getMessage().contains("result"), e.getCause().getMessage());
        assertTrue(
            e.getCause().getMessage().contains(NotSerializable.class.getName()),
            e.getCause().getMessage());
      } else {
        List<NotSerializable> results = pool.apply(TestTasks.unserializableResult());
        assertEquals(
            range(0, n), results.stream().map(NotSerializable::value).collect(Collectors.toList()));
      }
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void args_typedGetAndMissingIndex_failWithClearMessages(int n) {
      WorkerPool pool = pool(n);
      assertEquals(Collections.nCopies(n, "s"), pool.apply(TestTasks.stringArgument(), "s"));
      RemoteExecutionException wrongType =
          assertThrows(
              RemoteExecutionException.class, () -> pool.apply(TestTasks.stringArgument(), 5));
      String m = wrongType.getCause().getMessage();
      assertTrue(m.contains("java.lang.Integer") && m.contains("java.lang.String"), m);
      RemoteExecutionException missing =
          assertThrows(
              RemoteExecutionException.class, () -> pool.apply(TestTasks.argument(3), "only one"));
      assertTrue(
          missing.getCause().getMessage().contains("argument index 3"),
          missing.getCause().getMessage());
    }
  }

  /** Interruption, concurrent callers and the asynchronous twins. */
  @Nested
  class ConcurrencyAndAsync extends Group {
    // ------------------------------------------------------------ interruption and threads

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void apply_interruptedCaller_getsCancellationWithFlagRestored(int n) throws Exception {
      assumeFalse(isSequential(), "the sequential pool runs tasks in the calling thread");
      assumeFalse(serializes(), "the latch is shared by reference, in process only");
      CountDownLatch release = new CountDownLatch(1);
      Task<Boolean> blocking = (ctx, args) -> args.<CountDownLatch>get(0).await(30, SECONDS);
      WorkerPool pool = pool(n);
      Thread.currentThread().interrupt();
      try {
        CancellationException e =
            assertThrows(CancellationException.class, () -> pool.apply(blocking, release));
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertTrue(Thread.interrupted(), "the interrupt flag must be restored");
      } finally {
        Thread.interrupted();
        release.countDown();
      }
      assertEquals(range(0, n), pool.apply(TestTasks.workerIndex()), "the pool stays usable");
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void concurrentCallers_eachGetTheirOwnResults(int n) throws Exception {
      int callers = 4;
      ImmutableModel shared = ImmutableModel.standard();
      WorkerPool pool = pool(n);
      ExecutorService threads = Executors.newFixedThreadPool(callers);
      try {
        List<Future<Boolean>> done = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
          int offset = 1000 * c;
          done.add(
              threads.submit(
                  () -> {
                    for (int round = 0; round < 20; round++) {
                      List<Integer> input = range(offset + round, offset + round + 11);
                      try (RemoteObject<ImmutableModel> h = pool.push(shared)) {
                        List<Integer> out = pool.map(TestTasks.identity(), input, h);
                        assertEquals(input, out);
                        assertEquals(range(0, n), pool.apply(TestTasks.workerIndex(), h));
                      }
                    }
                    return true;
                  }));
        }
        for (Future<Boolean> f : done) {
          assertTrue(f.get(BOUND.toSeconds(), SECONDS));
        }
      } finally {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(BOUND.toSeconds(), SECONDS));
      }
      assertEquals(0, pool.statistics().liveObjects(), "every concurrent push was removed");
      List<Integer> stored = pool.apply(TestTasks.storedObjects());
      if (!stored.contains(-1)) {
        assertEquals(Collections.nCopies(n, 0), stored);
      }
    }

    // ------------------------------------------------------------ async twins

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void applyAsync_returnsResultsInWorkerOrder(int n) throws Exception {
      WorkerPool pool = pool(n);
      assertEquals(range(0, n), bounded(pool.applyAsync(TestTasks.workerIndex())));
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void mapAsync_returnsResultsInInputOrder(int n) throws Exception {
      WorkerPool pool = pool(n);
      CompletableFuture<List<Integer>> f = pool.mapAsync(TestTasks.identity(), range(0, 10));
      assertEquals(range(0, 10), bounded(f));
    }
  }

  /** Scenarios 19 and 20: settings mirrored on the workers and worker random generators. */
  @Nested
  class SettingsAndRandom extends Group {
    // ------------------------------------------------------------ 19. settings

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void settings_changedAfterCreation_visibleOnEveryWorker(int n) {
      WorkerPool pool = pool(n);
      assertEquals(
          Collections.nCopies(n, "default"), pool.apply(TestTasks.setting(TestTasks.GREETING)));
      pool.settings().set(TestTasks.GREETING, "hello");
      assertEquals(
          Collections.nCopies(n, "hello"), pool.apply(TestTasks.setting(TestTasks.GREETING)));

      pool.settings().set(TestTasks.GREETING, "applyOnly");
      assertEquals("applyOnly", pool.applyOnly(n - 1, TestTasks.setting(TestTasks.GREETING)));

      pool.settings().set(TestTasks.GREETING, "map").set(TestTasks.TOLERANCE, 1e-6);
      List<String> mapped = pool.map(TestTasks.settingPerElement(TestTasks.GREETING), range(0, 7));
      assertEquals(Collections.nCopies(7, "map"), mapped);
      assertEquals(
          Collections.nCopies(n, 1e-6), pool.apply(TestTasks.setting(TestTasks.TOLERANCE)));

      pool.settings().reset(TestTasks.GREETING);
      assertEquals(
          Collections.nCopies(n, "default"), pool.apply(TestTasks.setting(TestTasks.GREETING)));
    }

    // ------------------------------------------------------------ 20. worker random generators

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void random_firstDrawsEqualSeedSequenceChildren(int n) {
      // needs untouched generators: a fresh pool
      try (WorkerPool pool = privatePool(n)) {
        List<double[]> draws = pool.apply(TestTasks.draws(3));
        List<double[]> more = pool.apply(TestTasks.draws(2));
        for (int i = 0; i < n; i++) {
          Pcg64 reference = Pcg64.of(SeedSequence.of(42).child(i));
          double[] expected = {
            reference.nextDouble(),
            reference.nextDouble(),
            reference.nextDouble(),
            reference.nextDouble(),
            reference.nextDouble()
          };
          assertArrayEquals(Arrays.copyOf(expected, 3), draws.get(i), "worker " + i);
          assertArrayEquals(
              Arrays.copyOfRange(expected, 3, 5),
              more.get(i),
              "worker " + i + ": the generator persists across calls");
        }
      }
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void random_defaultSeedGivesNumpyFirstDraws(int n) {
      // needs untouched generators: a fresh pool
      try (WorkerPool pool = privatePool(n)) {
        List<double[]> draws = pool.apply(TestTasks.draws(1));
        for (int i = 0; i < Math.min(n, 3); i++) {
          assertEquals(FIRST_DRAWS_SEED_42[i], draws.get(i)[0], "worker " + i);
        }
      }
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void random_twoPoolsOfSameSizeDrawIdentically(int n) {
      try (WorkerPool first = privatePool(n);
          WorkerPool second = privatePool(n)) {
        List<double[]> a = first.apply(TestTasks.draws(4));
        List<double[]> b = second.apply(TestTasks.draws(4));
        for (int i = 0; i < n; i++) {
          assertArrayEquals(a.get(i), b.get(i), "worker " + i);
        }
        if (n > 1) {
          assertFalse(Arrays.equals(a.get(0), a.get(1)), "workers must have different streams");
        }
      }
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void random_creatingAndUsingAPoolLeavesCallerRngUnchanged(int n) {
      Pcg64 caller = Pcg64.defaultRng(42);
      double first = caller.nextDouble();
      if (supportsSeveralPools()) {
        try (WorkerPool pool = privatePool(n)) {
          useGenerators(pool);
        }
      } else {
        useGenerators(pool(n)); // creating a pool is covered where private pools are supported
      }
      assertArrayEquals(
          DEFAULT_RNG_42, new double[] {first, caller.nextDouble(), caller.nextDouble()});
    }

    private static void useGenerators(WorkerPool pool) {
      pool.apply(TestTasks.draws(5));
      pool.map(TestTasks.drawPerElement(), range(0, 5));
    }
  }

  /**
   * Scenario 25 and the pool's lifecycle: closing, and (to come) closing with a stuck task and the
   * loss of a worker. Tests here end or damage their pool, so they open a {@link
   * PoolTestSupport#privatePool(int) private pool} in try-with-resources and are skipped on
   * backends without {@link PoolTestSupport#supportsSeveralPools()}; they must never close or break
   * the shared {@link PoolTestSupport#pool(int) pool}, which the kit would report as a failure.
   * Bound every wait (see {@link PoolTestSupport#BOUND}).
   */
  @Nested
  class Lifecycle extends Group {
    // ------------------------------------------------------------ 25. lifecycle

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void close_releasesEverythingAndHandlesBecomeNoOps(int n) {
      try (WorkerPool pool = privatePool(n)) {
        RemoteObject<List<Integer>> pushed = pool.push(new ArrayList<>(List.of(1)));
        RemoteObject<ImmutableModel> model = pool.push(ImmutableModel.standard());
        RemoteObject<List<Integer>> scattered = pool.scatterList(range(0, 5));
        RemoteObject<VectorArray> vectors = pool.scatterArray(fiveVectors(), true);
        assertEquals(4, pool.statistics().liveObjects());
        pool.close();
        for (RemoteObject<?> h : List.of(pushed, model, scattered, vectors)) {
          assertTrue(h.isRemoved(), h + " must report removed");
          h.remove();
          h.close();
        }
        assertEquals(0, pool.statistics().liveObjects());
        pool.close();
      }
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void close_releasesWorkerSideObjects(int n) {
      assumeFalse(serializes(), "the worker contexts are only reachable in process");
      List<WorkerContext> contexts;
      try (WorkerPool pool = privatePool(n)) {
        pool.push(new ArrayList<>(List.of(1)));
        pool.scatterList(range(0, 5));
        contexts = pool.apply(TestTasks.context());
        assumeFalse(
            contexts.stream().anyMatch(c -> TestTasks.storedObjects(c) < 0),
            "worker-side object count not observable");
        for (WorkerContext c : contexts) {
          assertEquals(2, TestTasks.storedObjects(c));
        }
      }
      for (WorkerContext c : contexts) {
        assertEquals(
            0, TestTasks.storedObjects(c), "nothing may be left on worker " + c.workerIndex());
      }
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void closedPool_everyOperationThrowsIllegalState(int n) {
      try (WorkerPool pool = privatePool(n)) {
        assertOperationsFailAfterClose(pool);
      }
    }

    private static void assertOperationsFailAfterClose(WorkerPool pool) {
      RemoteObject<List<Integer>> h = pool.push(new ArrayList<>(List.of(1)));
      pool.close();
      List<Executable> calls =
          List.of(
              () -> pool.push(new ArrayList<>(List.of(1))),
              () -> pool.push(ImmutableModel.standard()),
              () -> pool.scatterList(range(0, 3)),
              () -> pool.scatterArray(fiveVectors(), true),
              () -> pool.apply(TestTasks.workerIndex()),
              () -> pool.apply(TestTasks.argument(0), h),
              () -> pool.applyOnly(0, TestTasks.workerIndex()),
              () -> pool.map(TestTasks.identity(), range(0, 3)),
              () -> pool.mapZipped(TestTasks.add(), List.of(List.of(1), List.of(2))),
              () -> pool.applyAsync(TestTasks.workerIndex()),
              () -> pool.mapAsync(TestTasks.identity(), range(0, 3)));
      assertAll(
          calls.stream()
              .map(
                  call ->
                      () -> {
                        IllegalStateException e = assertThrows(IllegalStateException.class, call);
                        assertTrue(e.getMessage().contains("closed"), e.getMessage());
                      }));
      pool.close();
    }
  }

  /** A table of bad inputs: nulls, foreign handles, non-serializable values. */
  @Nested
  class BadInputs extends Group {
    // ------------------------------------------------------------ bad inputs

    /** One row of a bad-input table. */
    private record BadInput(
        String name, Class<? extends Throwable> type, Executable call, List<String> fragments) {
      static BadInput of(
          String name, Class<? extends Throwable> type, Executable call, String... fragments) {
        return new BadInput(name, type, call, List.of(fragments));
      }
    }

    private static void assertRejected(List<BadInput> table) {
      assertAll(
          table.stream()
              .map(
                  row ->
                      () -> {
                        Throwable e = assertThrows(row.type(), row.call(), row.name());
                        for (String f : row.fragments()) {
                          assertTrue(
                              String.valueOf(e.getMessage()).contains(f),
                              row.name()
                                  + ": message should contain '"
                                  + f
                                  + "' but was: "
                                  + e.getMessage());
                        }
                      }));
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void badInputs_nullsAreRejectedNamingTheParameter(int n) {
      WorkerPool pool = pool(n);
      Task<Integer> noTask = null;
      assertRejected(
          List.of(
              BadInput.of(
                  "apply(null)", NullPointerException.class, () -> pool.apply(noTask), "task"),
              BadInput.of(
                  "applyAsync(null)",
                  NullPointerException.class,
                  () -> pool.applyAsync(noTask),
                  "task"),
              BadInput.of(
                  "applyOnly(0, null)",
                  NullPointerException.class,
                  () -> pool.applyOnly(0, noTask),
                  "task"),
              BadInput.of(
                  "map(null, ...)",
                  NullPointerException.class,
                  () -> pool.map(null, range(0, 3)),
                  "task"),
              BadInput.of(
                  "mapAsync(null, ...)",
                  NullPointerException.class,
                  () -> pool.mapAsync(null, range(0, 3)),
                  "task"),
              BadInput.of(
                  "mapZipped(null, ...)",
                  NullPointerException.class,
                  () -> pool.mapZipped(null, List.of(List.of(1))),
                  "task"),
              BadInput.of(
                  "map(task, null)",
                  NullPointerException.class,
                  () -> pool.map(TestTasks.identity(), null),
                  "sequence"),
              BadInput.of(
                  "mapZipped(task, null)",
                  NullPointerException.class,
                  () -> pool.mapZipped(TestTasks.add(), null),
                  "sequences"),
              BadInput.of("push(null)", NullPointerException.class, () -> pool.push(null), "obj"),
              BadInput.of(
                  "scatterList(null)",
                  NullPointerException.class,
                  () -> pool.scatterList(null),
                  "list"),
              BadInput.of(
                  "scatterArray(null)",
                  NullPointerException.class,
                  () -> pool.scatterArray(null, true),
                  "u")));
      assertEquals(0, pool.statistics().liveObjects());
      assertEquals(range(0, n), pool.apply(TestTasks.workerIndex()));
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void badInputs_handleOfAnotherPool_rejectedNamingIt(int n) {
      WorkerPool pool = pool(n);
      try (WorkerPool other = privatePool(n);
          RemoteObject<List<Integer>> foreign = other.push(new ArrayList<>(List.of(1)))) {
        String name = quoted(foreign);
        assertRejected(
            List.of(
                BadInput.of(
                    "apply",
                    IllegalArgumentException.class,
                    () -> pool.apply(TestTasks.argument(0), foreign),
                    name,
                    "another pool"),
                BadInput.of(
                    "applyOnly",
                    IllegalArgumentException.class,
                    () -> pool.applyOnly(0, TestTasks.argument(0), foreign),
                    name),
                BadInput.of(
                    "map",
                    IllegalArgumentException.class,
                    () -> pool.map(TestTasks.identity(), range(0, 3), foreign),
                    name)));
        Object own = other.applyOnly(0, TestTasks.argument(0), foreign);
        assertEquals(List.of(1), own, "the handle still works with its own pool");
      }
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void badInputs_nonSerializableArgument_rejectedBeforeAnyWorkerRuns(int n) {
      assumeTrue(serializes(), "only serializing pools reject non-serializable arguments");
      WorkerPool pool = pool(n);
      try (RemoteObject<int[]> counters = pool.push(new int[1])) {
        NotSerializable arg = new NotSerializable("x");
        String cls = NotSerializable.class.getName();
        assertRejected(
            List.of(
                BadInput.of(
                    "apply",
                    IllegalArgumentException.class,
                    () -> pool.apply(TestTasks.incrementCounter(), counters, arg),
                    cls),
                BadInput.of(
                    "applyOnly",
                    IllegalArgumentException.class,
                    () -> pool.applyOnly(0, TestTasks.incrementCounter(), counters, arg),
                    cls),
                BadInput.of(
                    "map",
                    IllegalArgumentException.class,
                    () -> pool.map(TestTasks.countingIdentity(), range(0, 5), counters, arg),
                    cls),
                BadInput.of(
                    "map element",
                    IllegalArgumentException.class,
                    () -> pool.map(TestTasks.countingIdentity(), List.of(arg, arg), counters),
                    cls),
                BadInput.of(
                    "scatterList element",
                    IllegalArgumentException.class,
                    () -> pool.scatterList(List.of(arg)),
                    cls)));
        assertEquals(
            Collections.nCopies(n, 0),
            pool.apply(TestTasks.readCounter(), counters),
            "no worker may have run a task");
        assertEquals(1, pool.statistics().liveObjects());
      }
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void apply_nonSerializableArgument_passedByReferenceInProcess(int n) {
      assumeFalse(serializes(), "in-process, non-serializing pools only");
      WorkerPool pool = pool(n);
      NotSerializable arg = new NotSerializable("x");
      for (Object seen : pool.apply(TestTasks.argument(0), arg)) {
        assertSame(arg, seen);
      }
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void push_nonSerializableMutableObject_rejected(int n) {
      WorkerPool pool = pool(n);
      long uploads = pool.statistics().uploads();
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> pool.push(new NotSerializable("x")));
      assertTrue(e.getMessage().contains(NotSerializable.class.getName()), e.getMessage());
      assertTrue(e.getMessage().contains("Serializable"), e.getMessage());
      assertEquals(0, pool.statistics().liveObjects());
      assertEquals(uploads, pool.statistics().uploads());
      assertEquals(range(0, n), pool.apply(TestTasks.workerIndex()));
    }

    /** An immutable object that cannot be serialized. */
    private static final class LocalImmutable implements Immutable {
      final int value = 7;
    }

    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void push_nonSerializableImmutable_sharedInProcessRejectedWhenSerializing(int n) {
      LocalImmutable x = new LocalImmutable();
      WorkerPool pool = pool(n);
      if (serializes()) {
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> pool.push(x));
        assertTrue(e.getMessage().contains(LocalImmutable.class.getName()), e.getMessage());
        assertEquals(0, pool.statistics().liveObjects());
      } else {
        try (RemoteObject<LocalImmutable> h = pool.push(x)) {
          for (Object seen : pool.apply(TestTasks.argument(0), h)) {
            assertSame(x, seen, "in-process pools share immutable objects");
          }
        }
      }
    }
  }

  /** The transfer statistics. */
  @Nested
  class Statistics extends Group {
    @ParameterizedTest(name = NAME)
    @MethodSource(SIZES)
    void statistics_scatteredElements_rejectsWorkerOutOfRange(int n) {
      WorkerPool pool = pool(n);
      assertThrows(IndexOutOfBoundsException.class, () -> pool.statistics().scatteredElements(-1));
      assertThrows(IndexOutOfBoundsException.class, () -> pool.statistics().scatteredElements(n));
    }
  }
}
