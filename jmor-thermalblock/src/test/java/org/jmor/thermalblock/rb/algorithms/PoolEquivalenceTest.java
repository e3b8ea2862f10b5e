package org.jmor.thermalblock.rb.algorithms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.jmor.parallel.SplitRule;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.random.Pcg64;
import org.jmor.rb.algorithms.ErrorAnalysis;
import org.jmor.rb.algorithms.ErrorAnalysisResult;
import org.jmor.rb.algorithms.GreedyResult;
import org.jmor.rb.algorithms.ParameterSpace;
import org.jmor.rb.algorithms.RbGreedy;
import org.jmor.rb.algorithms.TestResult;
import org.jmor.rb.algorithms.TieRule;
import org.jmor.rb.reductors.CoerciveRBReductor;
import org.jmor.thermalblock.ThermalBlockModel;
import org.jmor.thermalblock.ThermalBlockProblem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The greedy and the error analysis give bit-identical results on every pool: sequential, threads
 * with 1, 2, 3 workers (both split rules), and 4 workers on 9 training parameters, where pyMOR's
 * ceiling split leaves worker 3 with an empty slice.
 */
class PoolEquivalenceTest {

  private record Case(String name, int xBlocks, int yBlocks, int snapshots, int extensions) {}

  private static final Case SYMMETRIC = new Case("2x2, 81 points", 2, 2, 3, 4);
  private static final Case NINE_POINTS = new Case("2x1, 9 points", 2, 1, 3, 3);

  static Stream<Arguments> pools() {
    return Stream.of(
        Arguments.of(SYMMETRIC, "threads:1", 1, SplitRule.BALANCED),
        Arguments.of(SYMMETRIC, "threads:2", 2, SplitRule.BALANCED),
        Arguments.of(SYMMETRIC, "threads:3 ceiling", 3, SplitRule.CEILING),
        Arguments.of(SYMMETRIC, "threads:3", 3, SplitRule.BALANCED),
        Arguments.of(NINE_POINTS, "threads:4 ceiling (empty slice)", 4, SplitRule.CEILING),
        Arguments.of(NINE_POINTS, "threads:4", 4, SplitRule.BALANCED),
        Arguments.of(NINE_POINTS, "threads:3", 3, SplitRule.CEILING));
  }

  private record Outcome(double[] maxErrors, int[] indices, List<TestResult> errors) {}

  @ParameterizedTest(name = "{0} workers, {1}")
  @MethodSource("trueErrorPools")
  void trueErrorGreedy_isBitIdenticalToTheSequentialRun(int workers, SplitRule split) {
    ThermalBlockModel fom = ThermalBlockProblem.of(2, 1).discretize(10);
    List<double[]> training = ParameterSpace.of(2, 0.1, 1.0).sampleUniformly(3);
    GreedyResult expected;
    try (WorkerPool seq = WorkerPools.sequential()) {
      expected =
          RbGreedy.builder(CoerciveRBReductor.forThermalBlock(fom), training)
              .maxExtensions(3)
              .useErrorEstimator(false)
              .pool(seq)
              .run();
    }
    try (WorkerPool pool =
        WorkerPools.builder().backend("threads").workers(workers).splitRule(split).build()) {
      GreedyResult actual =
          RbGreedy.builder(CoerciveRBReductor.forThermalBlock(fom), training)
              .maxExtensions(3)
              .useErrorEstimator(false)
              .pool(pool)
              .run();
      assertThat(actual.maxErrors()).containsExactly(expected.maxErrors());
      assertThat(actual.maxErrorIndices()).containsExactly(expected.maxErrorIndices());
    }
  }

  static Stream<Arguments> trueErrorPools() {
    return Stream.of(Arguments.of(2, SplitRule.BALANCED), Arguments.of(4, SplitRule.CEILING));
  }

  private static Outcome run(Case c, WorkerPool pool, TieRule rule) {
    ThermalBlockModel fom = ThermalBlockProblem.of(c.xBlocks(), c.yBlocks()).discretize(10);
    ParameterSpace space = ParameterSpace.of(c.xBlocks() * c.yBlocks(), 0.1, 1.0);
    GreedyResult g =
        RbGreedy.builder(
                CoerciveRBReductor.forThermalBlock(fom), space.sampleUniformly(c.snapshots()))
            .maxExtensions(c.extensions())
            .tieRule(rule)
            .pool(pool)
            .run();
    ErrorAnalysisResult e =
        ErrorAnalysis.run(
            fom,
            g.reducedModel(),
            g.reducedBasis(),
            space.sampleRandomly(10, Pcg64.defaultRng(42)),
            pool);
    return new Outcome(g.maxErrors(), g.maxErrorIndices(), e.results());
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("pools")
  void parallelRun_isBitIdenticalToTheSequentialRun(
      Case c, String name, int workers, SplitRule split) {
    for (TieRule rule : TieRule.values()) {
      Outcome expected;
      try (WorkerPool seq = WorkerPools.sequential()) {
        expected = run(c, seq, rule);
      }
      Outcome actual;
      try (WorkerPool pool =
          WorkerPools.builder().backend("threads").workers(workers).splitRule(split).build()) {
        assertThat(pool.isParallel()).isTrue();
        actual = run(c, pool, rule);
      }
      assertThat(actual.maxErrors()).as(rule.name()).containsExactly(expected.maxErrors());
      assertThat(actual.indices()).as(rule.name()).containsExactly(expected.indices());
      assertThat(actual.errors()).as(rule.name()).containsExactlyElementsOf(expected.errors());
      assertThat(expected.indices()).hasSize(c.extensions());
    }
  }
}
