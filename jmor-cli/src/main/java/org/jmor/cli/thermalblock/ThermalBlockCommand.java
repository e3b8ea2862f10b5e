package org.jmor.cli.thermalblock;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jmor.cache.CacheRegion;
import org.jmor.cache.CacheRegions;
import org.jmor.cache.CacheStatistics;
import org.jmor.cache.RegionKind;
import org.jmor.cli.Interrupts;
import org.jmor.cli.ParallelPoolScope;
import org.jmor.cli.PoolOptions;
import org.jmor.discretizer.grid.TriaGrid;
import org.jmor.discretizer.models.Product;
import org.jmor.discretizer.models.StationaryModel;
import org.jmor.parallel.WorkerPool;
import org.jmor.random.Pcg64;
import org.jmor.rb.algorithms.AdaptiveGreedy;
import org.jmor.rb.algorithms.AdaptiveGreedyResult;
import org.jmor.rb.algorithms.CartesianGrid;
import org.jmor.rb.algorithms.CheckpointFile;
import org.jmor.rb.algorithms.ErrorAnalysis;
import org.jmor.rb.algorithms.ErrorAnalysisResult;
import org.jmor.rb.algorithms.GreedyCheckpoint;
import org.jmor.rb.algorithms.GreedyResult;
import org.jmor.rb.algorithms.ParameterSpace;
import org.jmor.rb.algorithms.Pod;
import org.jmor.rb.algorithms.RbGreedy;
import org.jmor.rb.algorithms.TestResult;
import org.jmor.rb.algorithms.TieRule;
import org.jmor.rb.reductors.BasisExtension;
import org.jmor.rb.reductors.ParameterFunctional;
import org.jmor.rb.reductors.ReducedBasis;
import org.jmor.rb.reductors.ReducedModel;
import org.jmor.rb.reductors.ReductorKind;
import org.jmor.rb.reductors.StationaryRBReductor;
import org.jmor.thermalblock.ThermalBlockModel;
import org.jmor.thermalblock.ThermalBlockProblem;
import org.jmor.thermalblock.cache.CachedStationaryModel;
import org.jmor.thermalblock.io.ModelDigest;
import org.jmor.vectors.VectorArray;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * pyMOR 2022.2's {@code thermalblock} demo: {@code ./jmor thermalblock [options] XBLOCKS YBLOCKS
 * SNAPSHOTS RBSIZE}. Prints pyMOR's log lines and results block; the greedy search and the error
 * analysis run on the chosen pool and give the same numbers on every pool.
 */
@Command(
    name = "thermalblock",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "pyMOR's thermal-block reduced-basis demo: a weak greedy search over "
          + "SNAPSHOTS^(XBLOCKS*YBLOCKS) training parameters whose error estimation runs on a worker "
          + "pool, then an error analysis over random test parameters."
    })
public final class ThermalBlockCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "XBLOCKS", description = "Number of blocks in x direction.")
  int xBlocks;

  @Parameters(index = "1", paramLabel = "YBLOCKS", description = "Number of blocks in y direction.")
  int yBlocks;

  @Parameters(
      index = "2",
      paramLabel = "SNAPSHOTS",
      description =
          "greedy/pod: training parameters "
              + "per block (SNAPSHOTS^(XBLOCKS*YBLOCKS) in total); adaptive_greedy: size of the "
              + "validation set (SNAPSHOTS >= 0: the cell centres plus SNAPSHOTS random "
              + "parameters, drawn anew at each refinement; SNAPSHOTS < 0: -SNAPSHOTS random "
              + "parameters, fixed); naive: ignored.")
  int snapshots;

  @Parameters(index = "3", paramLabel = "RBSIZE", description = "Size of the reduced basis.")
  int rbSize;

  @Option(
      names = "--grid",
      defaultValue = "100",
      paramLabel = "N",
      description = "Use a grid with 4*N*N triangles (default: ${DEFAULT-VALUE}).")
  int grid;

  @Option(
      names = "--test",
      defaultValue = "10",
      paramLabel = "COUNT",
      description =
          "Use COUNT random parameters for the error analysis (default: ${DEFAULT-VALUE}).")
  int test;

  @Option(
      names = "--alg",
      defaultValue = "greedy",
      description =
          "Model reduction algorithm: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Algorithm alg;

  @Option(
      names = "--extension-alg",
      defaultValue = "gram_schmidt",
      description = "Basis extension: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Extension extensionAlg;

  @Option(
      names = "--product",
      defaultValue = "h1",
      description =
          "Product for orthonormalization and Riesz representatives: "
              + "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  ProductChoice product;

  @Option(
      names = "--greedy-with-error-estimator",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Use the error estimator in the greedy search (default: on); "
              + "--no-greedy-with-error-estimator computes true errors with full-order solves.")
  boolean greedyWithErrorEstimator;

  @Option(
      names = "--reductor",
      defaultValue = "residual_basis",
      description =
          "Reductor (error estimator): residual_basis (pyMOR's CoerciveRBReductor) or traditional"
              + " (SimpleCoerciveRBReductor, from the affine decomposition) (default:"
              + " ${DEFAULT-VALUE}).")
  ReductorChoice reductor;

  @Option(
      names = "--adaptive-greedy-rho",
      defaultValue = "1.1",
      paramLabel = "RHO",
      description =
          "adaptive_greedy: refine the training set when the maximum validation error is at "
              + "least RHO times the maximum training error (default: ${DEFAULT-VALUE}).")
  double adaptiveGreedyRho;

  @Option(
      names = "--adaptive-greedy-gamma",
      defaultValue = "0.2",
      paramLabel = "GAMMA",
      description =
          "adaptive_greedy: weight of the age penalty in the refinement indicators "
              + "(default: ${DEFAULT-VALUE}).")
  double adaptiveGreedyGamma;

  @Option(
      names = "--adaptive-greedy-theta",
      defaultValue = "0.0",
      paramLabel = "THETA",
      description =
          "adaptive_greedy: fraction of the cells refined at a time; one cell at least "
              + "(default: ${DEFAULT-VALUE}).")
  double adaptiveGreedyTheta;

  @Option(
      names = "--cache-region",
      defaultValue = "none",
      description =
          "Cache the full-order solutions (snapshots) by parameter: ${COMPLETION-CANDIDATES}"
              + " (default: ${DEFAULT-VALUE}). memory: in this run; disk: in a temporary SQLite"
              + " file of this run; persistent: in an SQLite file under the user's cache home,"
              + " kept between runs and shared by concurrent runs.")
  CacheChoice cacheRegion;

  @Option(
      names = "--cache-dir",
      paramLabel = "DIR",
      description =
          "Directory of the persistent cache (default: the system property jmor.cache.dir, else"
              + " $XDG_CACHE_HOME/jmor, else ~/.cache/jmor).")
  @Nullable Path cacheDir;

  @Mixin PoolOptions poolOptions = new PoolOptions();

  @Mixin org.jmor.cli.RunObservation observation = new org.jmor.cli.RunObservation();

  @Mixin PymorFlags pymorFlags = new PymorFlags();

  @Option(
      names = "--seed",
      defaultValue = "42",
      description =
          "Seed of the random test parameters, numpy's default_rng(SEED) "
              + "(default: ${DEFAULT-VALUE}, pyMOR's).")
  long seed;

  @Option(
      names = "--tie-rule",
      defaultValue = "tolerance",
      description =
          "Greedy tie-break: tolerance (first parameter within 1e-10 of the maximum; "
              + "reproduces pyMOR patched to the same rule) or first_maximum (pyMOR's argmax: "
              + "which of several near-equal estimates is largest depends on round-off, so "
              + "pyMOR's choices are not reproduced exactly) (default: ${DEFAULT-VALUE}).")
  TieChoice tieRule;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description =
          "Write every result to FILE as JSON; - writes it to standard output "
              + "(and the report to standard error).")
  @Nullable Path json;

  @Option(
      names = "--plot-err",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Plot the solution, reduced solution and error (heat maps) for the test "
              + "parameter with the maximum error (default: on).")
  boolean plotErr;

  @Option(
      names = "--plot-error-sequence",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Plot the maximum test error and estimate against "
              + "the basis size; runs the error analysis for every basis size (default: on).")
  boolean plotErrorSequence;

  @Option(
      names = "--plot-solutions",
      description = "Plot the solutions for two random parameters (drawn first, as pyMOR does).")
  boolean plotSolutions;

  @Option(
      names = "--plot-dir",
      defaultValue = "jmor-output",
      paramLabel = "DIR",
      description = "Directory for the PNG plots (default: ${DEFAULT-VALUE}).")
  Path plotDir;

  @Option(names = "--no-plots", description = "Write no PNG files at all.")
  boolean noPlots;

  @Option(
      names = "--pickle",
      paramLabel = "PREFIX",
      description =
          "Save the reduced model with its parameter space to PREFIX_reduced, and the detailed "
              + "model with the reductor to PREFIX_detailed (read by analyze-pickle).")
  @Nullable String pickle;

  @Option(
      names = "--checkpoint",
      paramLabel = "FILE",
      description =
          "greedy, adaptive_greedy: write the search's state to FILE at the start and after every"
              + " extension (atomically), so that a stopped run can continue with --resume FILE."
              + " SIGTERM ends the run after the checkpoint being written.")
  @Nullable Path checkpoint;

  @Option(
      names = "--resume",
      paramLabel = "FILE",
      description =
          "greedy, adaptive_greedy: continue the search saved in FILE (same arguments; any pool);"
              + " the results equal those of a run never stopped. Further checkpoints go to FILE"
              + " unless --checkpoint names another.")
  @Nullable Path resume;

  PrintStream out = System.out;

  /** Where {@code --json -} writes: standard output as it was before the run. */
  PrintStream jsonOut = System.out;

  enum Algorithm {
    greedy,
    adaptive_greedy,
    naive,
    pod
  }

  enum CacheChoice {
    none,
    memory,
    disk,
    persistent
  }

  enum ReductorChoice {
    traditional,
    residual_basis
  }

  enum Extension {
    gram_schmidt,
    trivial
  }

  enum ProductChoice {
    h1,
    euclidean
  }

  enum TieChoice {
    tolerance,
    first_maximum
  }

  private void validate() {
    if (xBlocks < 1 || yBlocks < 1) {
      throw new IllegalArgumentException(
          "XBLOCKS and YBLOCKS must be >= 1, got " + xBlocks + " and " + yBlocks);
    }
    if (snapshots < 1 && alg != Algorithm.naive && alg != Algorithm.adaptive_greedy) {
      throw new IllegalArgumentException("SNAPSHOTS must be >= 1, got " + snapshots);
    }
    if (rbSize < 1) {
      // for every algorithm alike (pyMOR's greedy would still extend once with 0)
      throw new IllegalArgumentException("RBSIZE must be >= 1, got " + rbSize);
    }
    if (test < 0) {
      throw new IllegalArgumentException("--test must be >= 0, got " + test);
    }
    if (grid < Math.max(xBlocks, yBlocks)) {
      throw new IllegalArgumentException(
          "--grid "
              + grid
              + " is too small for "
              + xBlocks
              + "x"
              + yBlocks
              + " blocks: every block needs a cell, so use --grid >= "
              + Math.max(xBlocks, yBlocks));
    }
    if (grid > 2000) {
      throw new IllegalArgumentException("--grid must be <= 2000, got " + grid);
    }
    if (seed < 0) {
      throw new IllegalArgumentException("--seed must be >= 0, got " + seed);
    }
    if ((alg == Algorithm.greedy || alg == Algorithm.pod)
        && Math.pow(snapshots, xBlocks * yBlocks) > 20_000_000) {
      throw new IllegalArgumentException(
          "the training set SNAPSHOTS^(XBLOCKS*YBLOCKS) = "
              + snapshots
              + "^"
              + (xBlocks * yBlocks)
              + " is too large (at most 20,000,000)");
    }
    pymorFlags.validate();
    if (cacheDir != null && cacheRegion != CacheChoice.persistent) {
      throw new IllegalArgumentException(
          "--cache-dir is the directory of the persistent cache: give it with --cache-region"
              + " persistent (got --cache-region "
              + cacheRegion
              + ")");
    }
    if (alg == Algorithm.adaptive_greedy) {
      validateAdaptive();
    }
    checkOutputs();
    checkCheckpoint();
  }

  /** Where the checkpoints go: {@code --checkpoint}, else the {@code --resume} file. */
  private @Nullable Path checkpointFile() {
    return checkpoint != null ? checkpoint : resume;
  }

  /** {@code --checkpoint} and {@code --resume}, before any work. */
  private void checkCheckpoint() {
    if (checkpoint == null && resume == null) {
      return;
    }
    if (alg != Algorithm.greedy && alg != Algorithm.adaptive_greedy) {
      throw new IllegalArgumentException(
          (checkpoint != null ? "--checkpoint" : "--resume")
              + " applies to --alg greedy and adaptive_greedy only (--alg "
              + alg
              + " has no extensions to resume)");
    }
    if (resume != null) {
      try {
        GreedyCheckpoint.checkHeader(resume);
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException("--resume " + resume + ": no such file", e);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "--resume " + resume + ": cannot be read (" + Outputs.reason(e) + ")", e);
      }
    }
    Path file = checkpointFile();
    if (file != null) {
      Outputs.checkFile(checkpoint != null ? "--checkpoint" : "--resume", file);
    }
  }

  private void validateAdaptive() {
    if (snapshots == Integer.MIN_VALUE || Math.abs(snapshots) > 10_000_000) {
      throw new IllegalArgumentException(
          "adaptive_greedy: |SNAPSHOTS| (the validation set) must be <= 10,000,000, got "
              + snapshots);
    }
    if (xBlocks * yBlocks > 16) {
      throw new IllegalArgumentException(
          "adaptive_greedy: at most 16 blocks (a cell of the training set has 2^(XBLOCKS*YBLOCKS)"
              + " corners), got "
              + xBlocks * yBlocks);
    }
    if (!(adaptiveGreedyRho > 0) || Double.isInfinite(adaptiveGreedyRho)) {
      throw new IllegalArgumentException(
          "--adaptive-greedy-rho must be a finite number > 0, got " + adaptiveGreedyRho);
    }
    if (!(adaptiveGreedyGamma >= 0) || Double.isInfinite(adaptiveGreedyGamma)) {
      throw new IllegalArgumentException(
          "--adaptive-greedy-gamma must be a finite number >= 0, got " + adaptiveGreedyGamma);
    }
    if (!(adaptiveGreedyTheta >= 0 && adaptiveGreedyTheta <= 1)) {
      throw new IllegalArgumentException(
          "--adaptive-greedy-theta must be in [0, 1], got " + adaptiveGreedyTheta);
    }
  }

  /** Whether {@code --json -}: the JSON goes to standard output, the report to standard error. */
  private boolean jsonToStdout() {
    return json != null && json.toString().equals("-");
  }

  /** The places of the result files, before any work. */
  private void checkOutputs() {
    if (json != null && !jsonToStdout()) {
      Outputs.checkFile("--json", json);
    }
    if (!noPlots) {
      Outputs.checkFilesIn("--plot-dir", plotDir, plotNames());
    }
    if (pickle != null) {
      Pickles.check(pickle);
    }
    if (cacheDir != null) {
      Outputs.checkDirectory("--cache-dir", cacheDir);
    }
    observation.check();
  }

  /**
   * The names of the plots this run writes in {@code --plot-dir} (as {@link #plots} names them).
   */
  private List<String> plotNames() {
    List<String> names = new ArrayList<>();
    if (plotSolutions) {
      names.addAll(List.of("thermalblock-solution-1.png", "thermalblock-solution-2.png"));
    }
    if (alg == Algorithm.greedy) {
      names.add("thermalblock-greedy.png");
    }
    if (plotErrorSequence && test > 0) {
      names.add("thermalblock-error-sequence.png");
    }
    if (plotErr && test > 0) {
      for (int i = 1; i <= 3; i++) {
        names.add("thermalblock-max-error-" + i + ".png");
      }
    }
    return names;
  }

  @Override
  public Integer call() throws IOException {
    validate();
    PrintStream stdout = System.out;
    if (jsonToStdout()) {
      // standard output gets the JSON only: the report and the log lines go to standard error
      jsonOut = stdout;
      out = System.err;
      System.setOut(System.err);
    }
    try {
      long tic = System.nanoTime();
      CacheRegion region =
          cacheRegion == CacheChoice.none
              ? null
              : CacheRegions.open(RegionKind.ofPymorName(cacheRegion.name()), cacheDir);
      try (org.jmor.cli.RunObservation.Run observed = observation.start()) {
        WorkerPool workers = openPool();
        try (ParallelPoolScope reset = new ParallelPoolScope()) {
          return run(workers, tic, region);
        }
      } finally {
        if (region != null) {
          region.close();
        }
      }
    } finally {
      System.setOut(stdout);
    }
  }

  private WorkerPool openPool() {
    // --pool, else the configuration; checked (one parser, bounds, backends) before any work
    return pymorFlags.open(poolOptions, observation.recorder());
  }

  /**
   * pyMOR's {@code cache_id}: names the problem and its solver; the discretization itself (grid,
   * blocks, matrices) enters the key through {@link CachedStationaryModel#digest}.
   */
  private String cacheId() {
    return "jmor thermalblock P1 "
        + xBlocks
        + " "
        + yBlocks
        + " "
        + grid
        + "; solver: sparse Cholesky (AMD), one refinement step";
  }

  private int run(WorkerPool workers, long tic, @Nullable CacheRegion region) throws IOException {
    MemoryEstimate.thermalBlock(
            xBlocks * yBlocks, snapshots, rbSize, grid, test, alg.name(), workers.size())
        .check();
    Pcg64 rng = Pcg64.defaultRng(seed);
    out.println("Discretize ...");
    ThermalBlockProblem problem = ThermalBlockProblem.of(xBlocks, yBlocks);
    ThermalBlockModel discretization = problem.discretize(grid);
    TriaGrid mesh = discretization.grid();
    // pyMOR's fom.enable_caching(cache_region, cache_id): the solves of every algorithm, on every
    // worker, go through the cache
    StationaryModel fom =
        region == null
            ? discretization
            : CachedStationaryModel.of(discretization, region, cacheId());
    ParameterSpace space =
        ParameterSpace.of(
            problem.parameterDimension(),
            ThermalBlockProblem.MIN_DIFFUSION,
            ThermalBlockProblem.MAX_DIFFUSION);
    List<Path> plots = new ArrayList<>();

    if (plotSolutions) {
      out.println("Showing some solutions");
      List<double[]> mus = space.sampleRandomly(2, rng);
      List<double[]> us = new ArrayList<>();
      List<String> titles = new ArrayList<>();
      for (double[] mu : mus) {
        out.println("Solving for diffusion = \n" + format(mu) + " ... ");
        us.add(fom.solve(mu));
        titles.add("solution, mu = " + shortFormat(mu));
      }
      if (!noPlots) {
        plots.addAll(Plots.heatMaps(plotDir, "thermalblock-solution", mesh, titles, us));
      }
    }

    out.println("RB generation ...");
    StationaryRBReductor reductor =
        reductorKind()
            .create(
                fom,
                product == ProductChoice.h1 ? Product.H1_0_SEMI : Product.EUCLIDEAN,
                ParameterFunctional.minComponent());
    BasisExtension extension =
        extensionAlg == Extension.gram_schmidt
            ? BasisExtension.GRAM_SCHMIDT
            : BasisExtension.TRIVIAL;
    @Nullable CheckpointFile checkpointFile = null;
    @Nullable String modelDigest = null;
    Path ckptPath = checkpointFile();
    if (ckptPath != null) {
      // the detailed model's own digest: a cache region (--cache-region) is not part of the model
      modelDigest = ModelDigest.sha256Hex(discretization);
      checkpointFile = CheckpointFile.at(ckptPath);
      CheckpointFile f = checkpointFile;
      Interrupts.onTerminate(() -> terminated(f));
    }
    GreedyResult greedy = null;
    ReducedModel rom;
    ReducedBasis basis;
    String reductionSummary;
    int trainingSetSize = 0;
    Map<String, Object> algorithmJson = null;
    switch (alg) {
      case greedy:
        {
          // computed from indices on the workers: memory does not grow with the training set
          CartesianGrid training = space.uniformGrid(snapshots);
          trainingSetSize = (int) training.size();
          try (Progress progress = Progress.start("Greedy", rbSize, out, false)) {
            greedy =
                RbGreedy.builder(reductor, training)
                    .maxExtensions(rbSize)
                    .extension(extension)
                    .tieRule(
                        tieRule == TieChoice.tolerance ? TieRule.TOLERANCE : TieRule.FIRST_MAXIMUM)
                    .useErrorEstimator(greedyWithErrorEstimator)
                    .pool(workers)
                    .progress(progress::stepTo)
                    .checkpoint(checkpointFile)
                    .resume(resume)
                    .modelDigest(modelDigest)
                    .run();
          }
          rom = greedy.reducedModel();
          basis = greedy.reducedBasis();
          reductionSummary =
              String.format(
                  Locale.ROOT,
                  "Greedy basis generation:%n"
                      + "   size of training set:   %d%n"
                      + "   error estimator used:   %s%n"
                      + "   extension method:       %s%n"
                      + "   prescribed basis size:  %d%n"
                      + "   actual basis size:      %d%n"
                      + "   elapsed time:           %s%n",
                  trainingSetSize,
                  greedyWithErrorEstimator ? "True" : "False",
                  extensionAlg,
                  rbSize,
                  rom.dim(),
                  greedy.seconds());
          break;
        }
      case adaptive_greedy:
        {
          AdaptiveGreedyResult adaptive;
          try (Progress progress = Progress.start("Adaptive greedy", rbSize, out, false)) {
            // pyMOR's demo passes validation_mus=-SNAPSHOTS
            adaptive =
                AdaptiveGreedy.builder(reductor, space, rng)
                    .validationMus(-snapshots)
                    .rho(adaptiveGreedyRho)
                    .gamma(adaptiveGreedyGamma)
                    .theta(adaptiveGreedyTheta)
                    .maxExtensions(rbSize)
                    .extension(extension)
                    .tieRule(
                        tieRule == TieChoice.tolerance ? TieRule.TOLERANCE : TieRule.FIRST_MAXIMUM)
                    .useErrorEstimator(greedyWithErrorEstimator)
                    .pool(workers)
                    .progress(progress::stepTo)
                    .checkpoint(checkpointFile)
                    .resume(resume)
                    .modelDigest(modelDigest)
                    .run();
          }
          rom = adaptive.reducedModel();
          basis = adaptive.reducedBasis();
          int[] sizes = adaptive.trainingSetSizes();
          trainingSetSize = sizes.length == 0 ? 0 : sizes[sizes.length - 1];
          algorithmJson = adaptiveJson(adaptive);
          reductionSummary = adaptiveSummary(adaptive, rom.dim());
          break;
        }
      case naive:
        {
          long t0 = System.nanoTime();
          List<double[]> drawn = space.sampleRandomly(rbSize, rng);
          for (double[] mu : drawn) {
            reductor.extendBasis(fom.solve(mu), BasisExtension.TRIVIAL);
          }
          rom = reductor.reduce();
          basis = reductor.reducedBasis();
          algorithmJson = new LinkedHashMap<>();
          algorithmJson.put("random_training_parameters", drawn.size());
          algorithmJson.put("time_s", (System.nanoTime() - t0) / 1e9);
          reductionSummary =
              String.format(
                  Locale.ROOT,
                  "Naive basis generation:%n" + "   basis size set: %d%n   elapsed time:   %s%n",
                  rbSize,
                  (System.nanoTime() - t0) / 1e9);
          break;
        }
      default:
        {
          long t0 = System.nanoTime();
          List<double[]> training = space.sampleUniformly(snapshots);
          trainingSetSize = training.size();
          Pod.Result pod;
          try (Progress progress = Progress.start("Snapshots", training.size(), out, false)) {
            pod = Pod.compute(fom, training, rbSize, reductor.product(), workers, progress::stepTo);
          }
          VectorArray modes = pod.modes();
          algorithmJson = new LinkedHashMap<>();
          algorithmJson.put("time_s", (System.nanoTime() - t0) / 1e9);
          algorithmJson.put("singular_values", pod.singularValues());
          for (int i = 0; i < modes.len(); i++) {
            reductor.extendBasis(modes.row(i), BasisExtension.TRIVIAL);
          }
          rom = reductor.reduce();
          basis = reductor.reducedBasis();
          reductionSummary =
              String.format(
                  Locale.ROOT,
                  "POD basis generation:%n"
                      + "   size of training set:   %d%n   prescribed basis size:  %d%n"
                      + "   actual basis size:      %d%n   elapsed time:           %s%n",
                  training.size(),
                  rbSize,
                  rom.dim(),
                  (System.nanoTime() - t0) / 1e9);
        }
    }

    if (checkpointFile != null) {
      out.printf(
          Locale.ROOT,
          "checkpoint %s: %d written, %d bytes, %.3f s spent checkpointing%n",
          checkpointFile.file(),
          checkpointFile.writes(),
          checkpointFile.lastBytes(),
          checkpointFile.seconds());
    }
    if (pickle != null) {
      Pickles.write(out, pickle, discretization, reductor, rom, space);
    }
    out.println();
    out.println("Searching for maximum error on random snapshots ...");
    List<double[]> testMus = space.sampleRandomly(test, rng);
    ErrorAnalysisResult analysis;
    try (Progress progress = Progress.start("Error analysis", testMus.size(), out)) {
      analysis = ErrorAnalysis.run(fom, rom, basis, testMus, workers, progress::stepTo);
    }

    out.println();
    out.println("*** RESULTS ***");
    out.println();
    out.printf(
        Locale.ROOT,
        "pyMOR model:%n   number of blocks: %dx%d%n   grid intervals:   %d%n"
            + "   ListVectorArray:  False%n%n",
        xBlocks,
        yBlocks,
        grid);
    out.println(reductionSummary);
    out.println(summary(analysis));

    IOException plotFailure = null;
    if (!noPlots) {
      try {
        plots.addAll(plots(fom, mesh, reductor, rom, basis, greedy, analysis, testMus, workers));
      } catch (IOException e) {
        plotFailure = e; // reported after the JSON is written: a plot never loses the results
      }
      for (Path p : plots) {
        out.println("wrote " + p);
      }
    }
    Map<String, Object> cacheJson = null;
    if (region != null) {
      // after the plots: the error sequence and the error plot solve too
      CacheStatistics st = region.statistics();
      boolean inProcess =
          workers.backend().equals("sequential") || workers.backend().equals("threads");
      out.println(cacheReport(region, inProcess));
      cacheJson = new LinkedHashMap<>();
      cacheJson.put("region", cacheRegion.name());
      cacheJson.put(
          "directory", cacheRegion == CacheChoice.persistent ? region.spec().directory() : null);
      cacheJson.put("saved_solves", st.hits());
      cacheJson.put("computed_solves", st.computedCount());
      cacheJson.put("rejected_entries", st.rejectedCount());
      cacheJson.put("storage_errors", st.errorCount());
    }
    double total = (System.nanoTime() - tic) / 1e9;
    if (json != null) {
      writeJson(
          fom, workers, greedy, algorithmJson, trainingSetSize, rom, analysis, cacheJson, total);
      if (!jsonToStdout()) {
        out.println("wrote " + json);
      }
    }
    if (plotFailure != null) {
      throw new IOException(
          "cannot write the plots in "
              + plotDir
              + ": "
              + Outputs.reason(plotFailure)
              + (json != null ? " (the JSON was written)" : ""),
          plotFailure);
    }
    return 0;
  }

  /**
   * SIGTERM with {@code --checkpoint}: lets a checkpoint being written finish (at most 20 s; Slurm
   * sends SIGKILL 30 s after SIGTERM by default), stops further writes, and says in one line how
   * far the file goes.
   */
  private static void terminated(CheckpointFile file) {
    boolean complete;
    try {
      complete = file.close(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      complete = false;
    }
    int k = file.extensions();
    String line;
    if (!complete) {
      line = "a checkpoint was still being written; " + file.file() + " holds the one before it";
    } else if (k < 0) {
      line = "before the first checkpoint; " + file.file() + " was not written";
    } else {
      line =
          "after "
              + k
              + " extensions; checkpoint "
              + file.file()
              + " holds them (continue with --resume "
              + file.file()
              + ")";
    }
    System.err.println("thermalblock: terminated (SIGTERM) " + line);
    System.err.flush();
  }

  // ------------------------------------------------------------------ results block

  /** pyMOR's summary of {@code reduce_adaptive_greedy}, with its "SNAPSHOTS + 1" quirk. */
  private String adaptiveSummary(AdaptiveGreedyResult r, int dim) {
    return String.format(
        Locale.ROOT,
        "Adaptive greedy basis generation:%n"
            + "   initial size of validation set:  %d%n"
            + "   error estimator used:            %s%n"
            + "   extension method:                %s%n"
            + "   prescribed basis size:           %d%n"
            + "   actual basis size:               %d%n"
            + "   elapsed time:                    %s%n",
        snapshots + 1L,
        greedyWithErrorEstimator ? "True" : "False",
        extensionAlg,
        rbSize,
        dim,
        r.seconds());
  }

  private static Map<String, Object> adaptiveJson(AdaptiveGreedyResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("extensions", r.extensions());
    m.put("max_errs", r.maxErrors());
    m.put("max_err_mus", r.maxErrorParameters());
    m.put("max_val_errs", r.maxValidationErrors());
    m.put("max_val_err_mus", r.maxValidationErrorParameters());
    m.put("refinements", r.refinements());
    m.put("training_set_sizes", r.trainingSetSizes());
    m.put("validation_set_sizes", r.validationSetSizes());
    m.put("time_s", r.seconds());
    return m;
  }

  static String format(double[] mu) {
    StringBuilder sb = new StringBuilder("{diffusion: [");
    for (int i = 0; i < mu.length; i++) {
      sb.append(i > 0 ? ", " : "").append(mu[i]);
    }
    return sb.append("]}").toString();
  }

  static String shortFormat(double[] mu) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < mu.length; i++) {
      sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.3f", mu[i]));
    }
    return sb.append(']').toString();
  }

  private static String summary(ErrorAnalysisResult a) {
    List<String[]> rows = new ArrayList<>();
    List<double[]> mus = a.parameters();
    rows.add(new String[] {"number of samples", Integer.toString(mus.size())});
    if (!mus.isEmpty()) {
      int h1 = a.argmax(TestResult::h1Error);
      int l2 = a.argmax(TestResult::l2Error);
      // pyMOR's quirk: the norm lines show the mu of the maximum error
      rows.add(
          row("maximum h1_0_semi-norm", a, TestResult::h1Norm, a.argmax(TestResult::h1Norm), h1));
      rows.add(row("maximum h1_0_semi-error", a, TestResult::h1Error, h1, h1));
      rows.add(row("maximum l2-norm", a, TestResult::l2Norm, a.argmax(TestResult::l2Norm), l2));
      rows.add(row("maximum l2-error", a, TestResult::l2Error, l2, l2));
      int est = a.argmax(TestResult::estimate);
      rows.add(row("maximum estimated error", a, TestResult::estimate, est, est));
      int minEff = a.argmin(TestResult::effectivity);
      int maxEff = a.argmax(TestResult::effectivity);
      rows.add(
          row("minimum error estimator effectivity", a, TestResult::effectivity, minEff, minEff));
      rows.add(
          row("maximum error estimator effectivity", a, TestResult::effectivity, maxEff, maxEff));
      int cond = a.argmax(TestResult::condition);
      rows.add(row("maximum system matrix condition", a, TestResult::condition, cond, cond));
    }
    rows.add(new String[] {"elapsed time", Double.toString(a.seconds())});
    int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0) + 2;
    StringBuilder sb = new StringBuilder("Stochastic error estimation:");
    for (String[] r : rows) {
      sb.append(String.format(Locale.ROOT, "%n    %-" + width + "s %s", r[0] + ":", r[1]));
    }
    return sb.toString();
  }

  private static String[] row(
      String name,
      ErrorAnalysisResult a,
      ToDoubleFunction<TestResult> q,
      int valueIndex,
      int muIndex) {
    double v = q.applyAsDouble(a.results().get(valueIndex));
    return new String[] {
      name, String.format(Locale.ROOT, "%.7e (mu = %s)", v, format(a.parameters().get(muIndex)))
    };
  }

  // ------------------------------------------------------------------ JSON and plots

  /**
   * The line after a run with a cache region: {@code cache (persistent, DIR): N full-order solves
   * saved, M computed}, with the rejected entries and storage errors when there were any.
   */
  private String cacheReport(CacheRegion region, boolean inProcess) {
    CacheStatistics st = region.statistics();
    StringBuilder sb = new StringBuilder("cache (").append(cacheRegion.name());
    if (cacheRegion == CacheChoice.persistent) {
      sb.append(", ").append(region.spec().directory());
    }
    if (!region.stores()) {
      return sb.append("): off (the database could not be used, see the warning); ")
          .append(st.computedCount())
          .append(" full-order solves computed")
          .toString();
    }
    sb.append("): ")
        .append(st.hits())
        .append(" full-order solves saved, ")
        .append(st.computedCount())
        .append(" computed");
    if (st.rejectedCount() > 0) {
      sb.append(", ").append(st.rejectedCount()).append(" bad entries ignored and recomputed");
    }
    if (st.errorCount() > 0) {
      sb.append(", ").append(st.errorCount()).append(" storage errors (see the warnings)");
    }
    if (!inProcess) {
      sb.append(" (counted in this process; remote workers count their own)");
    }
    return sb.toString();
  }

  private void writeJson(
      StationaryModel fom,
      WorkerPool workers,
      GreedyResult greedy,
      Map<String, Object> algorithmJson,
      int trainingSetSize,
      ReducedModel rom,
      ErrorAnalysisResult a,
      @Nullable Map<String, Object> cacheJson,
      double total)
      throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("training_set_size", trainingSetSize);
    root.put("basis_size", rom.dim());
    root.put("reductor", reductorKind().pymorName());
    if (greedy != null) {
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("max_errs", greedy.maxErrors());
      g.put("max_err_mus", greedy.maxErrorParameters());
      g.put("max_err_indices", greedy.maxErrorIndices());
      g.put("time_s", greedy.seconds());
      g.put("sweep_time_s", greedy.estimationSeconds());
      root.put("greedy", g);
    } else {
      root.put("greedy", null);
    }
    if (alg != Algorithm.greedy) {
      root.put(alg.name(), algorithmJson);
    }
    Map<String, Object> t = new LinkedHashMap<>();
    List<TestResult> r = a.results();
    t.put("mus", a.parameters());
    t.put("h1_0_semi_errs", column(r, TestResult::h1Error));
    t.put("l2_errs", column(r, TestResult::l2Error));
    t.put("estimates", column(r, TestResult::estimate));
    t.put("effectivities", column(r, TestResult::effectivity));
    t.put("conditions", column(r, TestResult::condition));
    t.put("h1_0_semi_norms", column(r, TestResult::h1Norm));
    t.put("l2_norms", column(r, TestResult::l2Norm));
    t.put("max_h1_0_semi_err", max(r, TestResult::h1Error));
    t.put("max_l2_err", max(r, TestResult::l2Error));
    t.put("max_estimate", max(r, TestResult::estimate));
    t.put(
        "min_effectivity",
        r.isEmpty() ? null : r.stream().mapToDouble(TestResult::effectivity).min().getAsDouble());
    t.put("max_effectivity", max(r, TestResult::effectivity));
    t.put("max_condition", max(r, TestResult::condition));
    t.put("time_s", a.seconds());
    root.put("test", t);
    root.put("dofs", fom.dofs());
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("kind", workers.backend());
    p.put("size", workers.size());
    root.put("pool", p);
    root.put("cache", cacheJson);
    root.put("total_time_s", total);
    ObjectMapper mapper = new ObjectMapper();
    mapper.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
    if (jsonToStdout()) {
      mapper.writerWithDefaultPrettyPrinter().writeValue(jsonOut, root);
      jsonOut.println();
      jsonOut.flush();
    } else {
      Outputs.writeAtomically(
          json, o -> mapper.writerWithDefaultPrettyPrinter().writeValue(o, root));
    }
  }

  private static double[] column(List<TestResult> r, ToDoubleFunction<TestResult> q) {
    return r.stream().mapToDouble(q).toArray();
  }

  private static Double max(List<TestResult> r, ToDoubleFunction<TestResult> q) {
    return r.isEmpty() ? null : r.stream().mapToDouble(q).max().getAsDouble();
  }

  private ReductorKind reductorKind() {
    return reductor == ReductorChoice.traditional
        ? ReductorKind.TRADITIONAL
        : ReductorKind.RESIDUAL_BASIS;
  }

  private List<Path> plots(
      StationaryModel fom,
      TriaGrid mesh,
      StationaryRBReductor reductor,
      ReducedModel rom,
      ReducedBasis basis,
      GreedyResult greedy,
      ErrorAnalysisResult analysis,
      List<double[]> testMus,
      WorkerPool workers)
      throws IOException {
    List<Path> files = new ArrayList<>();
    String tag = xBlocks + "x" + yBlocks;
    if (greedy != null && greedy.maxErrors().length > 0) {
      double[] x = new double[greedy.maxErrors().length];
      for (int i = 0; i < x.length; i++) {
        x[i] = i;
      }
      files.add(
          Plots.decay(
              plotDir.resolve("thermalblock-greedy.png"),
              "Greedy: maximum "
                  + (greedyWithErrorEstimator ? "estimated " : "")
                  + "error over "
                  + greedy.trainingSetSize()
                  + " training parameters ("
                  + tag
                  + " blocks)",
              "basis size",
              List.of("maximum " + (greedyWithErrorEstimator ? "estimate" : "error")),
              x,
              List.of(greedy.maxErrors())));
    }
    if (plotErrorSequence && !testMus.isEmpty()) {
      int n = basis.len();
      double[] x = new double[n + 1];
      double[] errs = new double[n + 1];
      double[] ests = new double[n + 1];
      StationaryRBReductor partial =
          reductorKind().create(fom, reductor.product(), ParameterFunctional.minComponent());
      out.println("Error analysis for basis sizes 0.." + n + " ...");
      try (Progress progress = Progress.start("Error sequence", (long) n * testMus.size(), out)) {
        for (int k = 0; k <= n; k++) {
          if (k > 0) {
            partial.extendBasis(basis.vector(k - 1), BasisExtension.TRIVIAL);
          }
          long before = (long) k * testMus.size();
          ErrorAnalysisResult a =
              k == n
                  ? analysis
                  : ErrorAnalysis.run(
                      fom,
                      partial.reduce(),
                      partial.reducedBasis(),
                      testMus,
                      workers,
                      done -> progress.stepTo(before + done));
          x[k] = k;
          errs[k] = a.results().get(a.argmax(TestResult::h1Error)).h1Error();
          ests[k] = a.results().get(a.argmax(TestResult::estimate)).estimate();
        }
      }
      out.println(
          "maximum h1_0_semi-error over basis sizes 0.."
              + n
              + ": "
              + java.util.Arrays.toString(errs));
      out.println(
          "maximum estimated error over basis sizes 0.."
              + n
              + ": "
              + java.util.Arrays.toString(ests));
      files.add(
          Plots.decay(
              plotDir.resolve("thermalblock-error-sequence.png"),
              "Maximum error over " + testMus.size() + " test parameters (" + tag + " blocks)",
              "basis size",
              List.of("maximum h1_0_semi error", "maximum estimated error"),
              x,
              List.of(errs, ests)));
    }
    if (plotErr && !testMus.isEmpty()) {
      double[] mu = testMus.get(analysis.argmax(TestResult::h1Error));
      double[] u = fom.solve(mu);
      double[] urb = basis.reconstruct(rom.solve(mu));
      double[] err = new double[u.length];
      for (int i = 0; i < u.length; i++) {
        err[i] = u[i] - urb[i];
      }
      files.addAll(
          Plots.heatMaps(
              plotDir,
              "thermalblock-max-error",
              mesh,
              List.of("detailed solution, mu = " + shortFormat(mu), "reduced solution", "error"),
              List.of(u, urb, err)));
    }
    return files;
  }
}
