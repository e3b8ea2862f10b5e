package org.jmor.cli.thermalblock;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jmor.discretizer.models.StationaryModel;
import org.jmor.parallel.WorkerPool;
import org.jmor.random.Pcg64;
import org.jmor.rb.algorithms.AdaptiveGreedy;
import org.jmor.rb.algorithms.AdaptiveGreedyResult;
import org.jmor.rb.algorithms.CartesianGrid;
import org.jmor.rb.algorithms.CheckpointFile;
import org.jmor.rb.algorithms.GreedyResult;
import org.jmor.rb.algorithms.ParameterSpace;
import org.jmor.rb.algorithms.Pod;
import org.jmor.rb.algorithms.RbGreedy;
import org.jmor.rb.algorithms.TieRule;
import org.jmor.rb.reductors.BasisExtension;
import org.jmor.rb.reductors.ReducedBasis;
import org.jmor.rb.reductors.ReducedModel;
import org.jmor.rb.reductors.StationaryRBReductor;
import org.jmor.vectors.VectorArray;
import org.jspecify.annotations.Nullable;

/**
 * {@code thermalblock}'s reduced basis generation by {@code --alg}: pyMOR's weak greedy search (its
 * estimates on the pool), the adaptive greedy search, the naive basis of random solutions, or POD
 * of the snapshots (solved on the pool); the greedy searches with their checkpoints.
 */
final class BasisGeneration {

  /**
   * The outcome.
   *
   * @param reductor the reductor, holding the basis
   * @param greedy the greedy search's result ({@code --alg greedy} only, else null)
   * @param summary pyMOR's summary lines of the algorithm
   * @param trainingSetSize the size of the (final) training set; 0 for naive
   * @param algorithmJson the JSON object of the algorithm other than greedy, else null
   */
  record Result(
      StationaryRBReductor reductor,
      ReducedModel rom,
      ReducedBasis basis,
      @Nullable GreedyResult greedy,
      String summary,
      int trainingSetSize,
      @Nullable Map<String, Object> algorithmJson) {}

  private final ThermalBlockCommand c;
  private final PrintStream out;

  /**
   * The basis generation of one run.
   *
   * @param c the run's options
   * @param out where the progress goes
   */
  BasisGeneration(ThermalBlockCommand c, PrintStream out) {
    this.c = c;
    this.out = out;
  }

  /**
   * Generates the basis in {@code reductor} and reduces.
   *
   * @param rng the run's random numbers (adaptive greedy and naive draw from it)
   * @param checkpoint the checkpoint file of the greedy searches, or null
   * @param modelDigest the detailed model's digest (with a checkpoint), or null
   */
  Result run(
      StationaryModel fom,
      StationaryRBReductor reductor,
      ParameterSpace space,
      Pcg64 rng,
      WorkerPool workers,
      @Nullable CheckpointFile checkpoint,
      @Nullable String modelDigest) {
    BasisExtension extension =
        c.extensionAlg == ThermalBlockCommand.Extension.gram_schmidt
            ? BasisExtension.GRAM_SCHMIDT
            : BasisExtension.TRIVIAL;
    switch (c.alg) {
      case greedy:
        return greedy(reductor, space, extension, workers, checkpoint, modelDigest);
      case adaptive_greedy:
        return adaptive(reductor, space, extension, rng, workers, checkpoint, modelDigest);
      case naive:
        return naive(fom, reductor, space, rng);
      default:
        return pod(fom, reductor, space, workers);
    }
  }

  private TieRule tieRule() {
    return c.tieRule == ThermalBlockCommand.TieChoice.tolerance
        ? TieRule.TOLERANCE
        : TieRule.FIRST_MAXIMUM;
  }

  private Result greedy(
      StationaryRBReductor reductor,
      ParameterSpace space,
      BasisExtension extension,
      WorkerPool workers,
      @Nullable CheckpointFile checkpoint,
      @Nullable String modelDigest) {
    // computed from indices on the workers: memory does not grow with the training set
    CartesianGrid training = space.uniformGrid(c.snapshots);
    int trainingSetSize = (int) training.size();
    GreedyResult greedy;
    try (Progress progress = Progress.start("Greedy", c.rbSize, out, false)) {
      greedy =
          RbGreedy.builder(reductor, training)
              .maxExtensions(c.rbSize)
              .extension(extension)
              .tieRule(tieRule())
              .useErrorEstimator(c.greedyWithErrorEstimator)
              .pool(workers)
              .progress(progress::stepTo)
              .checkpoint(checkpoint)
              .resume(c.resume)
              .modelDigest(modelDigest)
              .run();
    }
    ReducedModel rom = greedy.reducedModel();
    String summary =
        ResultsBlock.greedySummary(
            trainingSetSize,
            c.greedyWithErrorEstimator,
            c.extensionAlg,
            c.rbSize,
            rom.dim(),
            greedy.seconds());
    return new Result(reductor, rom, greedy.reducedBasis(), greedy, summary, trainingSetSize, null);
  }

  private Result adaptive(
      StationaryRBReductor reductor,
      ParameterSpace space,
      BasisExtension extension,
      Pcg64 rng,
      WorkerPool workers,
      @Nullable CheckpointFile checkpoint,
      @Nullable String modelDigest) {
    AdaptiveGreedyResult adaptive;
    try (Progress progress = Progress.start("Adaptive greedy", c.rbSize, out, false)) {
      // pyMOR's demo passes validation_mus=-SNAPSHOTS
      adaptive =
          AdaptiveGreedy.builder(reductor, space, rng)
              .validationMus(-c.snapshots)
              .rho(c.adaptiveGreedyRho)
              .gamma(c.adaptiveGreedyGamma)
              .theta(c.adaptiveGreedyTheta)
              .maxExtensions(c.rbSize)
              .extension(extension)
              .tieRule(tieRule())
              .useErrorEstimator(c.greedyWithErrorEstimator)
              .pool(workers)
              .progress(progress::stepTo)
              .checkpoint(checkpoint)
              .resume(c.resume)
              .modelDigest(modelDigest)
              .run();
    }
    ReducedModel rom = adaptive.reducedModel();
    int[] sizes = adaptive.trainingSetSizes();
    int trainingSetSize = sizes.length == 0 ? 0 : sizes[sizes.length - 1];
    String summary =
        ResultsBlock.adaptiveSummary(
            adaptive, c.snapshots, c.greedyWithErrorEstimator, c.extensionAlg, c.rbSize, rom.dim());
    return new Result(
        reductor,
        rom,
        adaptive.reducedBasis(),
        null,
        summary,
        trainingSetSize,
        ResultsJson.adaptive(adaptive));
  }

  private Result naive(
      StationaryModel fom, StationaryRBReductor reductor, ParameterSpace space, Pcg64 rng) {
    long t0 = System.nanoTime();
    List<double[]> drawn = space.sampleRandomly(c.rbSize, rng);
    for (double[] mu : drawn) {
      reductor.extendBasis(fom.solve(mu), BasisExtension.TRIVIAL);
    }
    ReducedModel rom = reductor.reduce();
    ReducedBasis basis = reductor.reducedBasis();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("random_training_parameters", drawn.size());
    json.put("time_s", (System.nanoTime() - t0) / 1e9);
    String summary = ResultsBlock.naiveSummary(c.rbSize, (System.nanoTime() - t0) / 1e9);
    return new Result(reductor, rom, basis, null, summary, 0, json);
  }

  private Result pod(
      StationaryModel fom,
      StationaryRBReductor reductor,
      ParameterSpace space,
      WorkerPool workers) {
    long t0 = System.nanoTime();
    List<double[]> training = space.sampleUniformly(c.snapshots);
    Pod.Result pod;
    try (Progress progress = Progress.start("Snapshots", training.size(), out, false)) {
      pod = Pod.compute(fom, training, c.rbSize, reductor.product(), workers, progress::stepTo);
    }
    VectorArray modes = pod.modes();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("time_s", (System.nanoTime() - t0) / 1e9);
    json.put("singular_values", pod.singularValues());
    for (int i = 0; i < modes.len(); i++) {
      reductor.extendBasis(modes.row(i), BasisExtension.TRIVIAL);
    }
    ReducedModel rom = reductor.reduce();
    ReducedBasis basis = reductor.reducedBasis();
    String summary =
        ResultsBlock.podSummary(
            training.size(), c.rbSize, rom.dim(), (System.nanoTime() - t0) / 1e9);
    return new Result(reductor, rom, basis, null, summary, training.size(), json);
  }
}
