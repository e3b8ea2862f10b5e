package org.jmor.thermalblock.rb.algorithms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.jmor.discretizer.models.Product;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.random.Pcg64;
import org.jmor.rb.algorithms.ErrorAnalysis;
import org.jmor.rb.algorithms.ErrorAnalysisResult;
import org.jmor.rb.algorithms.GreedyResult;
import org.jmor.rb.algorithms.ParameterSpace;
import org.jmor.rb.algorithms.RbGreedy;
import org.jmor.rb.algorithms.TieRule;
import org.jmor.rb.reductors.CoerciveRBReductor;
import org.jmor.rb.reductors.ReducedModel;
import org.jmor.thermalblock.ThermalBlockModel;
import org.jmor.thermalblock.ThermalBlockProblem;
import org.junit.jupiter.api.Test;

/** {@code thermalblock --grid 10 2 2 3 5}: fast structural checks of the greedy. */
class RbGreedyTest {

  private static final ThermalBlockModel FOM = ThermalBlockProblem.of(2, 2).discretize(10);
  private static final ParameterSpace SPACE = ParameterSpace.of(4, 0.1, 1.0);

  @Test
  void firstSweep_hasExactTiesAndPicksTheFirst_withEitherRule() {
    for (TieRule rule : TieRule.values()) {
      CoerciveRBReductor reductor = CoerciveRBReductor.forThermalBlock(FOM);
      GreedyResult r =
          RbGreedy.builder(reductor, SPACE.sampleUniformly(3)).maxExtensions(1).tieRule(rule).run();
      assertThat(r.maxErrorIndices()).containsExactly(0);
      // empty basis: ||P^{-1} f||_P / min(mu) with min(mu) = 0.1
      double[] riesz = FOM.productSolver(Product.H1_0_SEMI).solve(FOM.rhs());
      assertThat(r.maxErrors()[0])
          .isCloseTo(FOM.norm(riesz, Product.H1_0_SEMI) / 0.1, within(1e-13));
      assertThat(r.reducedModel().dim()).isEqualTo(1);
    }
  }

  @Test
  void greedy_performsMaxExtensionsSweepsAndSelectsTheArgmax() {
    CoerciveRBReductor reductor = CoerciveRBReductor.forThermalBlock(FOM);
    List<double[]> training = SPACE.sampleUniformly(3);
    GreedyResult r =
        RbGreedy.builder(reductor, training).maxExtensions(5).tieRule(TieRule.FIRST_MAXIMUM).run();
    assertThat(r.extensions()).isEqualTo(5);
    assertThat(r.maxErrors()).hasSize(5);
    assertThat(r.reducedBasis().len()).isEqualTo(5);
    assertThat(reductor.basisSize()).isEqualTo(5);
    assertThat(r.seconds()).isGreaterThanOrEqualTo(r.estimationSeconds());
    // the selected parameters are distinct snapshots
    assertThat(r.maxErrorIndices()).doesNotHaveDuplicates();
    // re-sweep with a 4-vector model: the 5th pick is its first exact argmax
    CoerciveRBReductor replay = CoerciveRBReductor.forThermalBlock(FOM);
    for (int k = 0; k < 4; k++) {
      replay.extendBasis(
          FOM.solve(training.get(r.maxErrorIndices()[k])),
          org.jmor.rb.reductors.BasisExtension.GRAM_SCHMIDT);
    }
    ReducedModel rom4 = replay.reduce();
    double max = Double.NEGATIVE_INFINITY;
    int arg = -1;
    for (int i = 0; i < training.size(); i++) {
      double e = rom4.estimateError(training.get(i));
      if (e > max) {
        max = e;
        arg = i;
      }
    }
    assertThat(r.maxErrorIndices()[4]).isEqualTo(arg);
    assertThat(r.maxErrors()[4]).isEqualTo(max);
  }

  @Test
  void trueErrorSurrogate_selectsTheArgmaxOfTheTrueH10SemiError() {
    List<double[]> training = SPACE.sampleUniformly(2);
    GreedyResult r =
        RbGreedy.builder(CoerciveRBReductor.forThermalBlock(FOM), training)
            .maxExtensions(3)
            .useErrorEstimator(false)
            .tieRule(TieRule.FIRST_MAXIMUM)
            .run();
    assertThat(r.maxErrors()).hasSize(3);
    CoerciveRBReductor replay = CoerciveRBReductor.forThermalBlock(FOM);
    for (int k = 0; k < 3; k++) {
      ReducedModel rom = replay.reduce();
      double max = Double.NEGATIVE_INFINITY;
      int arg = -1;
      for (int i = 0; i < training.size(); i++) {
        double[] e = FOM.solve(training.get(i));
        double[] urb = replay.reconstruct(rom.solve(training.get(i)));
        for (int j = 0; j < e.length; j++) {
          e[j] -= urb[j];
        }
        double err = FOM.norm(e, Product.H1_0_SEMI);
        assertThat(err).isLessThanOrEqualTo(rom.estimateError(training.get(i)) + 1e-12);
        if (err > max) {
          max = err;
          arg = i;
        }
      }
      assertThat(r.maxErrorIndices()[k]).as("sweep %d", k).isEqualTo(arg);
      assertThat(r.maxErrors()[k]).as("sweep %d", k).isEqualTo(max);
      replay.extendBasis(
          FOM.solve(training.get(arg)), org.jmor.rb.reductors.BasisExtension.GRAM_SCHMIDT);
    }
  }

  @Test
  void tolerances_stopTheLoop() {
    GreedyResult byAtol =
        RbGreedy.builder(CoerciveRBReductor.forThermalBlock(FOM), SPACE.sampleUniformly(2))
            .atol(100.0)
            .run();
    assertThat(byAtol.extensions()).isZero();
    assertThat(byAtol.maxErrors()).hasSize(1);
    GreedyResult byRtol =
        RbGreedy.builder(CoerciveRBReductor.forThermalBlock(FOM), SPACE.sampleUniformly(2))
            .rtol(0.9)
            .maxExtensions(10)
            .run();
    double[] e = byRtol.maxErrors();
    assertThat(e[e.length - 1] / e[0]).isLessThanOrEqualTo(0.9);
    assertThat(byRtol.extensions()).isEqualTo(e.length - 1);
  }

  @Test
  void exhaustedTrainingSet_stopsWhenTheExtensionFails() {
    // 2 training parameters: u(0.1,..) and u(1.0,..) are parallel, the second extension fails
    List<double[]> training =
        List.of(new double[] {0.1, 0.1, 0.1, 0.1}, new double[] {1.0, 1.0, 1.0, 1.0});
    GreedyResult r =
        RbGreedy.builder(CoerciveRBReductor.forThermalBlock(FOM), training).maxExtensions(5).run();
    assertThat(r.extensions()).isEqualTo(1);
    assertThat(r.maxErrors()).hasSize(2);
  }

  @Test
  void emptyTrainingSet_returnsAtOnce() {
    GreedyResult r =
        RbGreedy.builder(CoerciveRBReductor.forThermalBlock(FOM), List.of()).maxExtensions(3).run();
    assertThat(r.maxErrors()).isEmpty();
    assertThat(r.extensions()).isZero();
    assertThat(r.reducedModel().dim()).isZero();
  }

  @Test
  void errorAnalysis_estimatesBoundTheErrors() {
    CoerciveRBReductor reductor = CoerciveRBReductor.forThermalBlock(FOM);
    GreedyResult r = RbGreedy.builder(reductor, SPACE.sampleUniformly(3)).maxExtensions(5).run();
    try (WorkerPool pool = WorkerPools.sequential()) {
      ErrorAnalysisResult e =
          ErrorAnalysis.run(
              FOM,
              r.reducedModel(),
              r.reducedBasis(),
              SPACE.sampleRandomly(10, Pcg64.defaultRng(42)),
              pool);
      assertThat(e.results())
          .hasSize(10)
          .allSatisfy(
              t -> {
                assertThat(t.effectivity()).isBetween(0.0, 1.0);
                assertThat(t.l2Error()).isLessThan(t.h1Error());
                assertThat(t.condition()).isGreaterThanOrEqualTo(1.0);
                assertThat(t.h1Norm()).isPositive();
              });
    }
  }

  @Test
  void invalidConfiguration_isRejectedAtOnce() {
    CoerciveRBReductor reductor = CoerciveRBReductor.forThermalBlock(FOM);
    assertThatThrownBy(() -> RbGreedy.builder(reductor, List.of(new double[3])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4 components");
    assertThatThrownBy(() -> RbGreedy.builder(reductor, List.of()).maxExtensions(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 0");
    assertThatThrownBy(() -> RbGreedy.builder(reductor, List.of()).atol(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
