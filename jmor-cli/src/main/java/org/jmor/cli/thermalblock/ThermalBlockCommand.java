package org.jmor.cli.thermalblock;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jmor.cache.CacheRegion;
import org.jmor.cache.CacheRegions;
import org.jmor.cache.RegionKind;
import org.jmor.cli.PoolOptions;
import org.jmor.discretizer.grid.TriaGrid;
import org.jmor.discretizer.models.Product;
import org.jmor.discretizer.models.StationaryModel;
import org.jmor.parallel.WorkerPool;
import org.jmor.random.Pcg64;
import org.jmor.rb.algorithms.CheckpointFile;
import org.jmor.rb.algorithms.ErrorAnalysis;
import org.jmor.rb.algorithms.ErrorAnalysisResult;
import org.jmor.rb.algorithms.GreedyCheckpoint;
import org.jmor.rb.algorithms.ParameterSpace;
import org.jmor.rb.reductors.ParameterFunctional;
import org.jmor.rb.reductors.ReductorKind;
import org.jmor.rb.reductors.StationaryRBReductor;
import org.jmor.thermalblock.ThermalBlockModel;
import org.jmor.thermalblock.ThermalBlockProblem;
import org.jmor.thermalblock.cache.CachedStationaryModel;
import org.jmor.thermalblock.io.ModelDigest;
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

  @Mixin PlotOptions plots = new PlotOptions();

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
    plots.check(new ThermalBlockPlots(this, out).names());
    if (pickle != null) {
      Pickles.check(pickle);
    }
    if (cacheDir != null) {
      Outputs.checkDirectory("--cache-dir", cacheDir);
    }
    observation.check();
  }

  /** The reductor of {@code --reductor}. */
  ReductorKind reductorKind() {
    return reductor == ReductorChoice.traditional
        ? ReductorKind.TRADITIONAL
        : ReductorKind.RESIDUAL_BASIS;
  }

  // ------------------------------------------------------------------ the run, step by step

  /**
   * The run: checks every option, sends the report to standard error with {@code --json -}, opens
   * the cache region, the observation and the pool, and runs {@link #run} on it.
   */
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
      CacheRegion region = openCache();
      try {
        return PooledRun.run(observation, this::openPool, workers -> run(workers, tic, region));
      } finally {
        if (region != null) {
          region.close();
        }
      }
    } finally {
      System.setOut(stdout);
    }
  }

  /** The detailed model of the run: the discretization, cached or not, and its parameters. */
  private record Detailed(
      ThermalBlockModel discretization, TriaGrid mesh, StationaryModel fom, ParameterSpace space) {}

  /** The pipeline on the open pool. */
  private int run(WorkerPool workers, long tic, @Nullable CacheRegion region) throws IOException {
    checkMemory(workers);
    Pcg64 rng = Pcg64.defaultRng(seed);
    Detailed d = discretize(region);
    ThermalBlockPlots plotter = new ThermalBlockPlots(this, out);
    List<Path> solutionPlots = showSolutions(d, rng, plotter);
    BasisGeneration.Result reduced = reduce(d, rng, workers);
    savePickle(d, reduced);
    Tested tested = analyzeErrors(d, reduced, rng, workers);
    printResults(reduced, tested.analysis());
    @Nullable IOException plotFailure =
        writePlots(plotter, d, reduced, tested, workers, solutionPlots);
    // after the plots: the error sequence and the error plot solve too
    @Nullable Map<String, Object> cacheJson = region == null ? null : reportCache(region, workers);
    writeJson(d, workers, reduced, tested.analysis(), cacheJson, (System.nanoTime() - tic) / 1e9);
    if (plotFailure != null) {
      throw new IOException(
          "cannot write the plots in "
              + plots.dir()
              + ": "
              + Outputs.reason(plotFailure)
              + (json != null ? " (the JSON was written)" : ""),
          plotFailure);
    }
    return 0;
  }

  /** The test parameters and the error analysis over them. */
  private record Tested(List<double[]> mus, ErrorAnalysisResult analysis) {}

  /** The cache region of {@code --cache-region}, or null for none. */
  private @Nullable CacheRegion openCache() {
    return cacheRegion == CacheChoice.none
        ? null
        : CacheRegions.open(RegionKind.ofPymorName(cacheRegion.name()), cacheDir);
  }

  private WorkerPool openPool(org.jmor.parallel.events.Recorder recorder) {
    // --pool, else the configuration; checked (one parser, bounds, backends) before any work
    return pymorFlags.open(poolOptions, recorder);
  }

  /** Refuses a run that would not fit in the heap, before any work. */
  private void checkMemory(WorkerPool workers) {
    MemoryEstimate.thermalBlock(
            xBlocks * yBlocks, snapshots, rbSize, grid, test, alg.name(), workers.size())
        .check();
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

  /** Discretizes the problem; with a cache region, the solves go through the cache. */
  private Detailed discretize(@Nullable CacheRegion region) {
    out.println("Discretize ...");
    ThermalBlockProblem problem = ThermalBlockProblem.of(xBlocks, yBlocks);
    ThermalBlockModel discretization = problem.discretize(grid);
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
    return new Detailed(discretization, discretization.grid(), fom, space);
  }

  /**
   * {@code --plot-solutions}: solves for two random parameters (drawn first, as pyMOR does) and
   * plots them unless {@code --no-plots}.
   *
   * @return the plots written
   */
  private List<Path> showSolutions(Detailed d, Pcg64 rng, ThermalBlockPlots plotter)
      throws IOException {
    if (!plotSolutions) {
      return List.of();
    }
    out.println("Showing some solutions");
    List<double[]> mus = d.space().sampleRandomly(2, rng);
    List<double[]> us = new ArrayList<>();
    List<String> titles = new ArrayList<>();
    for (double[] mu : mus) {
      out.println("Solving for diffusion = \n" + ResultsBlock.format(mu) + " ... ");
      us.add(d.fom().solve(mu));
      titles.add("solution, mu = " + ResultsBlock.shortFormat(mu));
    }
    return plots.enabled() ? plotter.solutions(d.mesh(), titles, us) : List.of();
  }

  /**
   * The basis generation of {@code --alg} in a new reductor, with its checkpoints, and the
   * checkpoint line.
   */
  private BasisGeneration.Result reduce(Detailed d, Pcg64 rng, WorkerPool workers) {
    out.println("RB generation ...");
    StationaryRBReductor rbReductor =
        reductorKind()
            .create(
                d.fom(),
                product == ProductChoice.h1 ? Product.H1_0_SEMI : Product.EUCLIDEAN,
                ParameterFunctional.minComponent());
    @Nullable CheckpointFile checkpointFile = null;
    @Nullable String modelDigest = null;
    Path ckptPath = checkpointFile();
    if (ckptPath != null) {
      // the detailed model's own digest: a cache region (--cache-region) is not part of the model
      modelDigest = ModelDigest.sha256Hex(d.discretization());
      checkpointFile = Checkpoints.open(ckptPath);
    }
    BasisGeneration.Result reduced =
        new BasisGeneration(this, out)
            .run(d.fom(), rbReductor, d.space(), rng, workers, checkpointFile, modelDigest);
    if (checkpointFile != null) {
      Checkpoints.report(out, checkpointFile);
    }
    return reduced;
  }

  /** {@code --pickle PREFIX}: the reduced and the detailed model's files. */
  private void savePickle(Detailed d, BasisGeneration.Result reduced) throws IOException {
    if (pickle != null) {
      Pickles.write(out, pickle, d.discretization(), reduced.reductor(), reduced.rom(), d.space());
    }
  }

  /** The error analysis over {@code --test} random parameters, on the pool. */
  private Tested analyzeErrors(
      Detailed d, BasisGeneration.Result reduced, Pcg64 rng, WorkerPool workers) {
    out.println();
    out.println("Searching for maximum error on random snapshots ...");
    List<double[]> testMus = d.space().sampleRandomly(test, rng);
    try (Progress progress = Progress.start("Error analysis", testMus.size(), out)) {
      return new Tested(
          testMus,
          ErrorAnalysis.run(
              d.fom(), reduced.rom(), reduced.basis(), testMus, workers, progress::stepTo));
    }
  }

  /** pyMOR's results block. */
  private void printResults(BasisGeneration.Result reduced, ErrorAnalysisResult analysis) {
    out.println();
    out.println("*** RESULTS ***");
    out.println();
    out.print(ResultsBlock.model(xBlocks, yBlocks, grid));
    out.println(reduced.summary());
    out.println(ResultsBlock.summary(analysis));
  }

  /**
   * Unless {@code --no-plots}: the plots after the analysis, then a line for every plot written
   * (first those of {@code --plot-solutions}, {@code earlier}).
   *
   * @return the error that stopped the plots, or null; it is reported after the JSON is written, so
   *     that a plot never loses the results
   */
  private @Nullable IOException writePlots(
      ThermalBlockPlots plotter,
      Detailed d,
      BasisGeneration.Result reduced,
      Tested tested,
      WorkerPool workers,
      List<Path> earlier) {
    if (!plots.enabled()) {
      return null;
    }
    List<Path> written = new ArrayList<>(earlier);
    @Nullable IOException failure = null;
    try {
      written.addAll(
          plotter.afterAnalysis(
              d.fom(),
              d.mesh(),
              reduced.reductor(),
              reduced.rom(),
              reduced.basis(),
              reduced.greedy(),
              tested.analysis(),
              tested.mus(),
              workers));
    } catch (IOException e) {
      failure = e;
    }
    for (Path p : written) {
      out.println("wrote " + p);
    }
    return failure;
  }

  /** The cache line; returns the JSON's cache object. */
  private Map<String, Object> reportCache(CacheRegion region, WorkerPool workers) {
    boolean inProcess =
        workers.backend().equals("sequential") || workers.backend().equals("threads");
    boolean persistent = cacheRegion == CacheChoice.persistent;
    out.println(ResultsBlock.cacheReport(region, cacheRegion.name(), persistent, inProcess));
    return ResultsJson.cache(
        region, cacheRegion.name(), persistent ? region.spec().directory() : null);
  }

  /** {@code --json}: the file, or standard output for {@code -}. */
  private void writeJson(
      Detailed d,
      WorkerPool workers,
      BasisGeneration.Result reduced,
      ErrorAnalysisResult analysis,
      @Nullable Map<String, Object> cacheJson,
      double total)
      throws IOException {
    if (json == null) {
      return;
    }
    ResultsJson.write(
        new ResultsJson.Results(
            reduced.trainingSetSize(),
            reduced.rom().dim(),
            reductorKind().pymorName(),
            reduced.greedy(),
            alg.name(),
            reduced.algorithmJson(),
            analysis,
            d.fom().dofs(),
            workers.backend(),
            workers.size(),
            cacheJson,
            total),
        jsonToStdout() ? null : json,
        jsonOut);
    if (!jsonToStdout()) {
      out.println("wrote " + json);
    }
  }
}
