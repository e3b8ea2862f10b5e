package org.jmor.rb.algorithms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jmor.discretizer.models.ThermalBlockProblem;
import org.jmor.random.Pcg64;
import org.jmor.rb.reductors.CoerciveRBReductor;
import org.junit.jupiter.api.Test;

/** The selection rules and the argument checks of {@link AdaptiveGreedy}. */
class AdaptiveGreedyTest {

  @Test
  void pick_takesTheFirstNearMaximum() {
    double[] v = {1.0, 2.0 - 1e-15, 2.0, 0.5};
    assertThat(AdaptiveGreedy.pick(v, 1e-10)).isEqualTo(1);
    assertThat(AdaptiveGreedy.pick(v, 0.0)).isEqualTo(2); // numpy.argmax
  }

  @Test
  void refinementOrder_toleranceTakesNearTiesInLeafOrder() {
    double[] ind = {0.5, 3.0, 3.0 - 1e-14, 1.0, 3.0};
    assertThat(AdaptiveGreedy.refinementOrder(ind, 1e-10)).containsExactly(1, 2, 4, 3, 0);
  }

  @Test
  void refinementOrder_firstMaximumIsNumpysReversedArgsort() {
    // argsort([0.5, 3, 3 - 1e-14, 1, 3]) = [0, 3, 2, 1, 4]; reversed: exact ties, last first
    double[] ind = {0.5, 3.0, 3.0 - 1e-14, 1.0, 3.0};
    assertThat(AdaptiveGreedy.refinementOrder(ind, 0.0)).containsExactly(4, 1, 2, 3, 0);
  }

  @Test
  void numpyFormat_printsLikeNumpy() {
    assertThat(AdaptiveGreedy.numpyFormat(new int[] {0})).isEqualTo("[0]");
    assertThat(AdaptiveGreedy.numpyFormat(new int[] {3, 5, 7})).isEqualTo("[3 5 7]");
  }

  @Test
  void builder_rejectsBadArguments() {
    CoerciveRBReductor r =
        CoerciveRBReductor.forThermalBlock(ThermalBlockProblem.of(2, 1).discretize(4));
    ParameterSpace space = ParameterSpace.of(2, 0.1, 1.0);
    Pcg64 rng = Pcg64.defaultRng(42);
    AdaptiveGreedy.Builder b = AdaptiveGreedy.builder(r, space, rng);
    assertThatThrownBy(() -> b.rho(0)).hasMessageContaining("rho");
    assertThatThrownBy(() -> b.gamma(-1)).hasMessageContaining("gamma");
    assertThatThrownBy(() -> b.theta(1.5)).hasMessageContaining("theta");
    assertThatThrownBy(() -> b.maxExtensions(0)).hasMessageContaining("maxExtensions");
    assertThatThrownBy(() -> AdaptiveGreedy.builder(r, ParameterSpace.of(3, 0.1, 1.0), rng))
        .hasMessageContaining("components");
  }

  @Test
  void trueErrors_sameOnEveryPool() {
    ThermalBlockProblem p = ThermalBlockProblem.of(2, 1);
    AdaptiveGreedyResult seq =
        AdaptiveGreedy.builder(
                CoerciveRBReductor.forThermalBlock(p.discretize(8)),
                ParameterSpace.of(2, 0.1, 1.0),
                Pcg64.defaultRng(7))
            .validationMus(-3)
            .rho(0.5)
            .maxExtensions(3)
            .useErrorEstimator(false)
            .run();
    try (org.jmor.parallel.WorkerPool pool = org.jmor.parallel.WorkerPools.threads(2)) {
      AdaptiveGreedyResult par =
          AdaptiveGreedy.builder(
                  CoerciveRBReductor.forThermalBlock(p.discretize(8)),
                  ParameterSpace.of(2, 0.1, 1.0),
                  Pcg64.defaultRng(7))
              .validationMus(-3)
              .rho(0.5)
              .maxExtensions(3)
              .useErrorEstimator(false)
              .pool(pool)
              .run();
      assertThat(par.maxErrors()).containsExactly(seq.maxErrors());
      assertThat(par.maxValidationErrors()).containsExactly(seq.maxValidationErrors());
      assertThat(par.trainingSetSizes()).containsExactly(seq.trainingSetSizes());
    }
  }
}
