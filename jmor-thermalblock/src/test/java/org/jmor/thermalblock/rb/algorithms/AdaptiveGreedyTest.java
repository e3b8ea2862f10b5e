package org.jmor.thermalblock.rb.algorithms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jmor.random.Pcg64;
import org.jmor.rb.algorithms.AdaptiveGreedy;
import org.jmor.rb.algorithms.AdaptiveGreedyResult;
import org.jmor.rb.algorithms.ParameterSpace;
import org.jmor.rb.reductors.CoerciveRBReductor;
import org.jmor.thermalblock.ThermalBlockProblem;
import org.junit.jupiter.api.Test;

/**
 * The argument checks of {@link AdaptiveGreedy} and its pool equivalence on a small thermal block
 * (its selection rules are tested in jmor-rb).
 */
class AdaptiveGreedyTest {

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
