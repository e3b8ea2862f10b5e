package org.jmor.rb.algorithms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import org.jmor.discretizer.models.ThermalBlockModel;
import org.jmor.discretizer.models.ThermalBlockProblem;
import org.jmor.parallel.SplitRule;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.rb.reductors.CoerciveRBReductor;
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
}
