package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jmor.discretizer.models.Product;
import org.jmor.parallel.OnWorkerLoss;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.random.Pcg64;
import org.jmor.rb.algorithms.CartesianGrid;
import org.jmor.rb.algorithms.ErrorAnalysis;
import org.jmor.rb.algorithms.ErrorAnalysisResult;
import org.jmor.rb.algorithms.GreedyResult;
import org.jmor.rb.algorithms.ParameterSpace;
import org.jmor.rb.algorithms.RbGreedy;
import org.jmor.rb.reductors.BasisExtension;
import org.jmor.rb.reductors.ParameterFunctional;
import org.jmor.rb.reductors.ReductorKind;
import org.jmor.rb.reductors.StationaryRBReductor;
import org.jmor.thermalblock.ThermalBlockModel;
import org.jmor.thermalblock.ThermalBlockProblem;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The thermal-block demo's greedy search and error analysis on a shrinking {@code processes:3} pool
 * ({@code jmor.pool.on-worker-loss=shrink}): one worker JVM is SIGKILLed right after the second
 * extension (from the search's progress callback, so the loss always falls in the middle of the
 * search), the run goes on with the two others, and every number (the maximum errors, their
 * training indices and parameters, the basis, the error analysis) equals the sequential pool's, bit
 * for bit; no worker process is left afterwards. Both sweeps of the demo are covered: the error
 * estimator and true errors.
 */
@Timeout(600)
class ThermalBlockShrinkTest {
  private static final int KILL_AFTER = 2;

  /** What one run computed. */
  private record Outcome(GreedyResult greedy, ErrorAnalysisResult analysis, long killed) {}

  private static Outcome run(
      @Nullable WorkerPool pool, boolean estimator, @Nullable WorkerPool victimOf) {
    ThermalBlockProblem problem = ThermalBlockProblem.of(2, 2);
    ThermalBlockModel fom = problem.discretize(10);
    ParameterSpace space =
        ParameterSpace.of(
            problem.parameterDimension(),
            ThermalBlockProblem.MIN_DIFFUSION,
            ThermalBlockProblem.MAX_DIFFUSION);
    CartesianGrid training = space.uniformGrid(3);
    StationaryRBReductor reductor =
        ReductorKind.TRADITIONAL.create(fom, Product.H1_0_SEMI, ParameterFunctional.minComponent());
    AtomicLong killed = new AtomicLong(-1);
    GreedyResult greedy =
        RbGreedy.builder(reductor, training)
            .maxExtensions(6)
            .extension(BasisExtension.GRAM_SCHMIDT)
            .useErrorEstimator(estimator)
            .pool(pool)
            .progress(
                extensions -> {
                  if (victimOf != null && extensions == KILL_AFTER) {
                    ProcessHandle victim = workerJvms().get(1);
                    killed.set(victim.pid());
                    victim.destroyForcibly();
                  }
                })
            .run();
    List<double[]> testMus = space.sampleRandomly(10, Pcg64.defaultRng(0));
    ErrorAnalysisResult analysis =
        ErrorAnalysis.run(fom, greedy.reducedModel(), greedy.reducedBasis(), testMus, pool);
    return new Outcome(greedy, analysis, killed.get());
  }

  /** The processes pool's worker JVMs of this JVM, oldest first. */
  private static List<ProcessHandle> workerJvms() {
    List<ProcessHandle> all = new ArrayList<>();
    ProcessHandle.current()
        .descendants()
        .filter(p -> ProcessCommandLines.of(p).contains("ProcessWorkerMain"))
        .filter(ProcessHandle::isAlive)
        .forEach(all::add);
    all.sort(Comparator.comparing(p -> p.info().startInstant().orElseThrow()));
    return all;
  }

  private static void check(boolean estimator) {
    Outcome expected;
    try (WorkerPool sequential = WorkerPools.sequential()) {
      expected = run(sequential, estimator, null);
    }
    Outcome actual;
    try (WorkerPool pool =
        WorkerPools.builder()
            .backend("processes")
            .workers(3)
            .onWorkerLoss(OnWorkerLoss.SHRINK)
            .build()) {
      assertThat(workerJvms()).hasSize(3);
      actual = run(pool, estimator, pool);
      assertThat(actual.killed()).as("a worker JVM was killed").isPositive();
      assertThat(pool.size()).as("the pool went on without it").isEqualTo(2);
      assertThat(pool.isBroken()).isFalse();
    }
    assertThat(workerJvms()).as("worker JVMs left after close").isEmpty();
    GreedyResult a = expected.greedy();
    GreedyResult b = actual.greedy();
    assertThat(b.extensions()).isEqualTo(a.extensions()).isEqualTo(6);
    assertThat(b.maxErrors()).as("maximum errors, bit for bit").isEqualTo(a.maxErrors());
    assertThat(b.maxErrorIndices()).isEqualTo(a.maxErrorIndices());
    assertThat(b.maxErrorParameters()).usingRecursiveComparison().isEqualTo(a.maxErrorParameters());
    for (int j = 0; j < a.reducedBasis().len(); j++) {
      assertThat(b.reducedBasis().vector(j))
          .as("basis vector %d", j)
          .isEqualTo(a.reducedBasis().vector(j));
    }
    assertThat(actual.analysis().results())
        .as("the error analysis on the survivors")
        .isEqualTo(expected.analysis().results());
  }

  @Test
  void greedyWithEstimator_onProcesses3_oneWorkerKilled_matchesTheSequentialPoolBitForBit() {
    check(true);
  }

  @Test
  void greedyWithTrueErrors_onProcesses3_oneWorkerKilled_matchesTheSequentialPoolBitForBit() {
    check(false);
  }
}
