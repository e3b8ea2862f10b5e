package org.jmor.parallel.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.jmor.parallel.PoolConfig;
import org.jmor.parallel.RemoteObject;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.random.Pcg64;
import org.jmor.random.SeedSequence;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential tests: for fixed seeds, a backend's results must equal a plain sequential
 * computation on the caller and the results of {@link WorkerPools#sequential()}, in the documented
 * order. Extend it next to {@link WorkerPoolContract}, with the same hooks; the tests use the
 * class's shared pools (see {@link PoolTestSupport}), except the one that needs untouched worker
 * random generators, which opens a private pool.
 *
 * <p>The expected values are computed by loops on the caller that do not use any pool, so the tests
 * can fail even for the sequential pool itself.
 */
public abstract class DifferentialContract extends PoolTestSupport {

  /** Creates the contract; subclasses are JUnit test classes. */
  protected DifferentialContract() {}

  private static final String SIZES = "workerCountSource";
  private static final String NAME = "{0} workers";

  private static List<Double> uniform(long seed, double low, double high, int count) {
    List<Double> xs = new ArrayList<>(count);
    for (double x : Pcg64.defaultRng(seed).uniform(low, high, count)) {
      xs.add(x);
    }
    return xs;
  }

  @ParameterizedTest(name = NAME)
  @MethodSource(SIZES)
  void map_deterministicFunctionOverThousandRandomInputs_equalsSequential(int n) {
    List<Double> inputs = uniform(2024, -5.0, 5.0, 1000);
    List<Double> expected = new ArrayList<>();
    for (double x : inputs) {
      expected.add(TestTasks.deterministicFunction(x));
    }
    WorkerPool pool = pool(n);
    try (WorkerPool serial = WorkerPools.sequential()) {
      List<Double> parallel = pool.map(TestTasks.deterministic(), inputs);
      assertEquals(expected, parallel, "backend against a plain loop");
      assertEquals(
          serial.map(TestTasks.deterministic(), inputs),
          parallel,
          "backend against the sequential pool");
    }
  }

  @ParameterizedTest(name = NAME)
  @MethodSource(SIZES)
  void apply_workerRandomDraws_equalSeedSequenceChildren(int n) {
    int draws = 50;
    // needs untouched generators: a fresh pool
    try (WorkerPool pool = privatePool(n)) {
      List<double[]> fromWorkers = pool.apply(TestTasks.draws(draws));
      for (int i = 0; i < n; i++) {
        Pcg64 child = Pcg64.of(SeedSequence.of(PoolConfig.DEFAULT_SEED).child(i));
        double[] expected = new double[draws];
        for (int k = 0; k < draws; k++) {
          expected[k] = child.nextDouble();
        }
        assertArrayEquals(expected, fromWorkers.get(i), "worker " + i);
      }
    }
  }

  @ParameterizedTest(name = NAME)
  @MethodSource(SIZES)
  void map_randomDrawsPerElement_followEachWorkersStream(int n) {
    int items = 23;
    // the shared pool's generators may have been used: predict from copies of their states (the
    // seeding itself is checked by apply_workerRandomDraws_equalSeedSequenceChildren)
    WorkerPool pool = pool(n);
    List<Pcg64> generators = pool.apply(TestTasks.generator());
    List<Double> drawn =
        pool.map(
            TestTasks.drawPerElement(), new ArrayList<>(java.util.Collections.nCopies(items, 0)));
    int[] sizes = Blocks.balanced(items, n);
    List<Double> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Pcg64 child = generators.get(i);
      for (int k = 0; k < sizes[i]; k++) {
        expected.add(child.nextDouble());
      }
    }
    assertEquals(expected, drawn, "element k draws from its worker's stream, in block order");
  }

  @ParameterizedTest(name = NAME)
  @MethodSource(SIZES)
  void scatterList_perWorkerSumsCombineToSequentialSum(int n) {
    Pcg64 rng = Pcg64.defaultRng(7);
    List<Long> values = new ArrayList<>();
    long expected = 0;
    for (int k = 0; k < 1000; k++) {
      long v = Long.remainderUnsigned(rng.nextLong(), 1_000_000L) - 500_000L;
      values.add(v);
      expected += v;
    }
    WorkerPool pool = pool(n);
    try (RemoteObject<List<Long>> slices = pool.scatterList(values)) {
      List<Long> sums = pool.apply(TestTasks.sumOfLongs(), slices);
      assertEquals(n, sums.size());
      long combined = 0;
      for (long s : sums) {
        combined += s;
      }
      assertEquals(expected, combined);
      // the per-worker sums are those of the balanced blocks, in worker order
      int[] sizes = Blocks.balanced(values.size(), n);
      int start = 0;
      for (int i = 0; i < n; i++) {
        long block = 0;
        for (int k = start; k < start + sizes[i]; k++) {
          block += values.get(k);
        }
        start += sizes[i];
        assertEquals(block, sums.get(i), "sum of worker " + i);
      }
    }
  }

  @ParameterizedTest(name = NAME)
  @MethodSource(SIZES)
  void mapZipped_equalsSequential(int n) {
    List<Double> a = uniform(1, 0.0, 1.0, 200);
    List<Double> b = uniform(2, -1.0, 1.0, 200);
    List<Double> c = uniform(3, 0.0, 6.0, 200);
    List<Double> expected = new ArrayList<>();
    for (int k = 0; k < a.size(); k++) {
      expected.add(TestTasks.zippedFunction(a.get(k), b.get(k), c.get(k)));
    }
    WorkerPool pool = pool(n);
    try (WorkerPool serial = WorkerPools.sequential()) {
      List<Double> parallel = pool.mapZipped(TestTasks.zipped3(), List.of(a, b, c));
      assertEquals(expected, parallel);
      assertEquals(serial.mapZipped(TestTasks.zipped3(), List.of(a, b, c)), parallel);
    }
  }

  @ParameterizedTest(name = NAME)
  @MethodSource(SIZES)
  void map_withPushedModel_equalsSequential(int n) {
    List<Double> mus = uniform(42, 0.1, 1.0, 100);
    ImmutableModel model = new ImmutableModel("differential", 2.0, -1.0, 0.5, 0.25);
    List<AnalysisResult> expected = new ArrayList<>();
    for (double mu : mus) {
      expected.add(model.analyse(mu));
    }
    WorkerPool pool = pool(n);
    try (RemoteObject<ImmutableModel> h = pool.push(model);
        WorkerPool serial = WorkerPools.sequential()) {
      List<AnalysisResult> parallel = pool.map(TestTasks.errorAnalysis(), mus, h);
      assertEquals(expected, parallel);
      assertEquals(serial.map(TestTasks.errorAnalysis(), mus, model), parallel);
    }
  }
}
