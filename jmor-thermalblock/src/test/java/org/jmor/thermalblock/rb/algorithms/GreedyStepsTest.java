package org.jmor.thermalblock.rb.algorithms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.parallel.events.Recorder;
import org.jmor.parallel.events.RunListener;
import org.jmor.parallel.events.StepEvent;
import org.jmor.random.Pcg64;
import org.jmor.rb.algorithms.AdaptiveGreedy;
import org.jmor.rb.algorithms.AdaptiveGreedyResult;
import org.jmor.rb.algorithms.ErrorAnalysis;
import org.jmor.rb.algorithms.GreedyResult;
import org.jmor.rb.algorithms.ParameterSpace;
import org.jmor.rb.algorithms.RbGreedy;
import org.jmor.rb.reductors.CoerciveRBReductor;
import org.jmor.thermalblock.ThermalBlockModel;
import org.jmor.thermalblock.ThermalBlockProblem;
import org.junit.jupiter.api.Test;

/** The greedy searches and the error analysis record their steps on the pool's recorder. */
class GreedyStepsTest {
  private static final ThermalBlockModel FOM = ThermalBlockProblem.of(2, 2).discretize(10);
  private static final ParameterSpace SPACE = ParameterSpace.of(4, 0.1, 1.0);

  private static List<StepEvent> steps(Recorder recorder) {
    List<StepEvent> steps = Collections.synchronizedList(new ArrayList<>());
    recorder.subscribe(
        new RunListener() {
          @Override
          public void onStep(StepEvent e) {
            steps.add(e);
          }
        });
    return steps;
  }

  @Test
  void rbGreedy_recordsEachExtensionWithItsMaximumError() {
    Recorder recorder = Recorder.create();
    List<StepEvent> steps = steps(recorder);
    List<double[]> training = SPACE.sampleUniformly(3);
    GreedyResult r;
    try (WorkerPool pool = WorkerPools.builder().backend("threads:2").recorder(recorder).build()) {
      r =
          RbGreedy.builder(CoerciveRBReductor.forThermalBlock(FOM), training)
              .maxExtensions(3)
              .pool(pool)
              .run();
      CoerciveRBReductor reductor = CoerciveRBReductor.forThermalBlock(FOM);
      reductor.extendBasis(
          FOM.solve(training.get(0)), org.jmor.rb.reductors.BasisExtension.GRAM_SCHMIDT);
      ErrorAnalysis.run(
          FOM, reductor.reduce(), reductor.reducedBasis(), training.subList(0, 4), pool);
    }
    List<StepEvent> extensions = steps.stream().filter(e -> e.name().equals("extension")).toList();
    assertThat(extensions).hasSize(3);
    for (int k = 0; k < 3; k++) {
      assertThat(extensions.get(k).figures())
          .containsEntry("extension", (double) k)
          .containsEntry("max_error", r.maxErrors()[k])
          .containsEntry("training_set_size", (double) training.size());
    }
    assertThat(steps).extracting(StepEvent::name).contains("reduce", "sweep", "solve");
    assertThat(steps.stream().filter(e -> e.name().equals("solve"))).hasSize(3);
    assertThat(steps)
        .filteredOn(e -> e.name().equals("error analysis"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.figures()).containsEntry("test_set_size", 4.0);
              assertThat(e.figures().get("max_error")).isPositive();
            });
  }

  @Test
  void adaptiveGreedy_recordsEachExtensionWithItsMaximumError() {
    Recorder recorder = Recorder.create();
    List<StepEvent> steps = steps(recorder);
    AdaptiveGreedyResult r;
    try (WorkerPool pool = WorkerPools.builder().backend("threads:2").recorder(recorder).build()) {
      r =
          AdaptiveGreedy.builder(
                  CoerciveRBReductor.forThermalBlock(ThermalBlockProblem.of(2, 1).discretize(8)),
                  ParameterSpace.of(2, 0.1, 1.0),
                  Pcg64.defaultRng(7))
              .validationMus(-3)
              .rho(0.5)
              .maxExtensions(2)
              .pool(pool)
              .run();
    }
    List<StepEvent> extensions = steps.stream().filter(e -> e.name().equals("extension")).toList();
    assertThat(extensions).hasSize(2);
    assertThat(extensions.get(1).figures())
        .containsEntry("extension", 1.0)
        .containsEntry("max_error", r.maxErrors()[1])
        .containsKey("training_set_size");
    assertThat(steps).extracting(StepEvent::name).contains("sweep", "validation sweep", "solve");
  }
}
