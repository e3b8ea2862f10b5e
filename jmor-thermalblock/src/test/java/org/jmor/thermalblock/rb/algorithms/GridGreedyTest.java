package org.jmor.thermalblock.rb.algorithms;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.function.Function;
import org.jmor.parallel.SplitRule;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.rb.algorithms.CartesianGrid;
import org.jmor.rb.algorithms.GreedyResult;
import org.jmor.rb.algorithms.ParameterSpace;
import org.jmor.rb.algorithms.RbGreedy;
import org.jmor.rb.algorithms.TieRule;
import org.jmor.rb.reductors.CoerciveRBReductor;
import org.jmor.thermalblock.ThermalBlockModel;
import org.jmor.thermalblock.ThermalBlockProblem;
import org.junit.jupiter.api.Test;

/**
 * The greedy over a {@link CartesianGrid} (parameters computed from indices, per-worker index
 * ranges) selects exactly what the greedy over the equivalent list does, on every kind of pool.
 */
class GridGreedyTest {

  private static final ThermalBlockModel FOM = ThermalBlockProblem.of(2, 2).discretize(10);
  private static final ParameterSpace SPACE = ParameterSpace.of(4, 0.1, 1.0);

  private static GreedyResult run(
      WorkerPool pool, TieRule rule, boolean estimator, Function<ParameterSpace, Object> set) {
    CoerciveRBReductor reductor = CoerciveRBReductor.forThermalBlock(FOM);
    Object training = set.apply(SPACE);
    RbGreedy.Builder b =
        training instanceof CartesianGrid g
            ? RbGreedy.builder(reductor, g)
            : RbGreedy.builder(reductor, castList(training));
    return b.maxExtensions(estimator ? 5 : 2)
        .tieRule(rule)
        .useErrorEstimator(estimator)
        .pool(pool)
        .run();
  }

  @SuppressWarnings("unchecked")
  private static List<double[]> castList(Object o) {
    return (List<double[]>) o;
  }

  private static void assertSame(GreedyResult expected, GreedyResult actual, String what) {
    assertThat(actual.maxErrors()).as(what).containsExactly(expected.maxErrors());
    assertThat(actual.maxErrorIndices()).as(what).containsExactly(expected.maxErrorIndices());
    assertThat(actual.trainingSetSize()).isEqualTo(expected.trainingSetSize());
    for (int i = 0; i < expected.maxErrorParameters().size(); i++) {
      assertThat(actual.maxErrorParameters().get(i))
          .containsExactly(expected.maxErrorParameters().get(i));
    }
  }

  @Test
  void gridGreedy_isBitIdenticalToTheListGreedy_onEveryPool() {
    for (boolean estimator : new boolean[] {true, false}) {
      int counts = estimator ? 3 : 2;
      for (TieRule rule : TieRule.values()) {
        GreedyResult expected;
        try (WorkerPool seq = WorkerPools.sequential()) {
          expected = run(seq, rule, estimator, s -> s.sampleUniformly(counts));
          assertSame(expected, run(seq, rule, estimator, s -> s.uniformGrid(counts)), "sequential");
        }
        for (int workers : new int[] {1, 2, 3, 5}) {
          for (boolean strict : new boolean[] {false, true}) {
            try (WorkerPool pool =
                WorkerPools.builder()
                    .backend("threads")
                    .workers(workers)
                    .splitRule(SplitRule.CEILING)
                    .strict(strict)
                    .build()) {
              assertSame(
                  expected,
                  run(pool, rule, estimator, s -> s.uniformGrid(counts)),
                  rule + " estimator=" + estimator + " threads:" + workers + " strict=" + strict);
            }
          }
        }
      }
    }
  }

  /**
   * The same pool, but reporting that its workers are other processes (as the cluster and MPI pools
   * do): every other call goes to the pool unchanged.
   */
  private static WorkerPool outOfProcess(WorkerPool pool) {
    return (WorkerPool)
        Proxy.newProxyInstance(
            WorkerPool.class.getClassLoader(),
            new Class<?>[] {WorkerPool.class},
            (proxy, method, args) -> {
              if (method.getName().equals("isInProcess") && method.getParameterCount() == 0) {
                return false;
              }
              try {
                return method.invoke(pool, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void reductorWork_runsOnInProcessPoolsOnly_withTheSameResults() {
    for (boolean estimator : new boolean[] {true, false}) {
      GreedyResult expected;
      try (WorkerPool seq = WorkerPools.sequential()) {
        expected = run(seq, TieRule.TOLERANCE, estimator, s -> s.uniformGrid(3));
      }
      long inProcessUploads;
      long inProcessCommands;
      try (WorkerPool strict = strictThreads()) {
        assertThat(strict.isInProcess()).isTrue();
        assertSame(
            expected,
            run(strict, TieRule.TOLERANCE, estimator, s -> s.uniformGrid(3)),
            "in process, estimator=" + estimator);
        inProcessUploads = strict.statistics().uploads();
        inProcessCommands = strict.statistics().commands();
        assertThat(strict.statistics().liveObjects()).isZero();
      }
      try (WorkerPool strict = strictThreads()) {
        assertSame(
            expected,
            run(outOfProcess(strict), TieRule.TOLERANCE, estimator, s -> s.uniformGrid(3)),
            "out of process, estimator=" + estimator);
        // the same sweeps, but neither the reductor's calls nor its pushes
        assertThat(strict.statistics().uploads()).isLessThan(inProcessUploads);
        assertThat(strict.statistics().commands()).isLessThan(inProcessCommands);
        assertThat(strict.statistics().liveObjects()).isZero();
      }
    }
  }

  private static WorkerPool strictThreads() {
    return WorkerPools.builder().backend("threads").workers(2).strict(true).build();
  }
}
