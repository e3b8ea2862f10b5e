package org.jmor.cli.thermalblock;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jmor.cli.PoolOptions;
import org.jmor.discretizer.models.Product;
import org.jmor.parallel.WorkerPool;
import org.jmor.random.Pcg64;
import org.jmor.rb.algorithms.ParameterSpace;
import org.jmor.rb.algorithms.SampleAnalysis;
import org.jmor.rb.reductors.ReducedBasis;
import org.jmor.rb.reductors.ReducedModel;
import org.jmor.thermalblock.io.ModelFiles;
import org.jmor.thermalblock.io.SavedDetailedModel;
import org.jmor.thermalblock.io.SavedModelFormatException;
import org.jmor.thermalblock.io.SavedReducedModel;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * pyMOR 2022.2's {@code analyze_pickle} demo: {@code ./jmor analyze-pickle histogram|convergence
 * ...} on the files that {@code thermalblock --pickle PREFIX} writes. Prints pyMOR's lines, then
 * the numbers pyMOR only plots; the computations run on the chosen pool and give the same numbers
 * on every pool.
 */
@Command(
    name = "analyze-pickle",
    mixinStandardHelpOptions = true,
    description = {
      "pyMOR's analyze_pickle demo: loads a saved reduced model, solves for random parameters,"
          + " estimates the reduction errors and plots them; with the detailed model and the"
          + " reductor, against the true reduction errors. The files are written by"
          + " 'thermalblock --pickle PREFIX'."
    },
    subcommands = {
      AnalyzePickleCommand.Histogram.class,
      AnalyzePickleCommand.Convergence.class,
      CommandLine.HelpCommand.class
    })
public final class AnalyzePickleCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Creates the command (for picocli). */
  public AnalyzePickleCommand() {}

  /** Without histogram or convergence: the usage on standard error, exit code 2. */
  @Override
  public Integer call() {
    return org.jmor.cli.Main.missingCommand(spec);
  }

  /** The options both subcommands share. */
  abstract static class Base implements Callable<Integer> {
    @Option(
        names = "--error-norm",
        paramLabel = "NORM",
        description =
            "Name of norm in which to compute the errors: h1_0_semi, l2 or h1_semi (default: the"
                + " Euclidean norm of the coefficient vector, as pyMOR's err.norm()).")
    @Nullable String errorNorm;

    @Mixin PoolOptions poolOptions = new PoolOptions();

    @Mixin org.jmor.cli.RunObservation observation = new org.jmor.cli.RunObservation();

    @Option(
        names = "--seed",
        defaultValue = "42",
        description =
            "Seed of the random parameters, numpy's default_rng(SEED) (default: ${DEFAULT-VALUE},"
                + " pyMOR's fresh process).")
    long seed;

    @Mixin PlotOptions plots = new PlotOptions();

    PrintStream out = System.out;

    /** The norm's product, or null for the Euclidean norm. */
    @Nullable Product norm() {
      if (errorNorm == null) {
        return null;
      }
      for (Product p : List.of(Product.H1_0_SEMI, Product.L2, Product.H1_SEMI)) {
        if (p.pymorName().equals(errorNorm)) {
          return p;
        }
      }
      throw new IllegalArgumentException(
          "--error-norm "
              + org.jmor.cli.Shown.cut(errorNorm)
              + " is not supported: the model has the norms h1_0_semi, l2 and h1_semi");
    }

    /** A readable file whose header is that of a saved model of this kind. */
    static void checkSaved(String label, Path file, String kind) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(
            label + " " + file + ": " + (Files.exists(file) ? "not a file" : "no such file"));
      }
      if (!Files.isReadable(file)) {
        throw new IllegalArgumentException(label + " " + file + ": not readable");
      }
      try {
        ModelFiles.checkHeader(file, kind);
      } catch (IOException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }

    /**
     * The two files belong together (one {@code --pickle} run), from their headers: before any
     * work.
     */
    static void checkPair(Path reduced, Path detailed) {
      try {
        ModelFiles.checkPair(reduced, detailed);
      } catch (IOException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }

    void checkCommon(int samples) {
      if (samples < 1 || samples > 10_000_000) {
        throw new IllegalArgumentException("SAMPLES must be in [1, 10000000], got " + samples);
      }
      if (seed < 0) {
        throw new IllegalArgumentException("--seed must be >= 0, got " + seed);
      }
      norm();
      poolOptions.check();
      plots.check(plotNames());
    }

    /** The names of the plots this command writes in {@code --plot-dir}. */
    abstract List<String> plotNames();

    SavedReducedModel loadReduced(Path file) throws IOException {
      out.println("Loading reduced model ...");
      try {
        return ModelFiles.readReduced(file);
      } catch (SavedModelFormatException | NoSuchFileException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }

    SavedDetailedModel loadDetailed(Path file, ReducedModel rom) throws IOException {
      out.println("Loading high-dimensional data ...");
      return readDetailed(file, rom);
    }

    static SavedDetailedModel readDetailed(Path file, ReducedModel rom) throws IOException {
      SavedDetailedModel d;
      try {
        d = ModelFiles.readDetailed(file);
      } catch (SavedModelFormatException | NoSuchFileException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      if (d.fom().parameterDimension() != rom.parameterDimension()
          || d.reductor().basisSize() < rom.dim()) {
        throw new IllegalArgumentException(
            file
                + ": the detailed model ("
                + d.fom().parameterDimension()
                + " parameters, basis of "
                + d.reductor().basisSize()
                + ") does not belong to the reduced model ("
                + rom.parameterDimension()
                + " parameters, dimension "
                + rom.dim()
                + ")");
      }
      return d;
    }

    @Override
    public Integer call() throws IOException {
      validate();
      return PooledRun.run(observation, poolOptions::open, this::run);
    }

    abstract void validate();

    abstract int run(WorkerPool workers) throws IOException;

    String normName() {
      return errorNorm == null ? "euclidean" : errorNorm;
    }
  }

  /** pyMOR's {@code analyze_pickle histogram}. */
  @Command(
      name = "histogram",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Error estimates (and, with --detailed-data, true errors) over SAMPLES random"
            + " parameters: their values and histograms, and estimates against errors."
      })
  static final class Histogram extends Base {
    @Parameters(
        index = "0",
        paramLabel = "REDUCED_DATA",
        description = "File containing the saved reduced model.")
    Path reducedData;

    @Parameters(
        index = "1",
        paramLabel = "SAMPLES",
        description = "Number of parameter samples to test with.")
    int samples;

    @Option(
        names = "--detailed-data",
        paramLabel = "FILE",
        description = "File containing the high-dimensional model and the reductor.")
    @Nullable Path detailedData;

    @Override
    void validate() {
      checkSaved("REDUCED_DATA", reducedData, ModelFiles.KIND_REDUCED);
      if (detailedData != null) {
        checkSaved("--detailed-data", detailedData, ModelFiles.KIND_DETAILED);
        checkPair(reducedData, detailedData);
      }
      checkCommon(samples);
    }

    @Override
    List<String> plotNames() {
      List<String> names = new ArrayList<>();
      if (detailedData != null) {
        names.add("analyze-pickle-histogram-scatter.png");
        names.add("analyze-pickle-histogram-errors.png");
      }
      names.add("analyze-pickle-histogram-estimates.png");
      return names;
    }

    @Override
    int run(WorkerPool workers) throws IOException {
      SavedReducedModel saved = loadReduced(reducedData);
      ReducedModel rom = saved.rom();
      // read (and checked against its recorded identity) before any solve; pyMOR's line is
      // printed where pyMOR prints it
      SavedDetailedModel d = detailedData == null ? null : readDetailed(detailedData, rom);
      List<double[]> mus = saved.parameterSpace().sampleRandomly(samples, Pcg64.defaultRng(seed));
      String name = saved.parameterName();
      List<SampleAnalysis.Reduced> reduced = SampleAnalysis.solveAndEstimate(rom, mus, workers);
      for (double[] mu : mus) {
        out.println("Solving reduced for " + format(name, mu) + " ... done");
      }
      out.println();
      double[] ests = reduced.stream().mapToDouble(SampleAnalysis.Reduced::estimate).toArray();
      for (double[] mu : mus) {
        out.println("Estimating error for " + format(name, mu) + " ... done");
      }
      double[] errs = null;
      if (d != null) {
        out.println("Loading high-dimensional data ...");
        List<double[]> us = new ArrayList<>();
        for (SampleAnalysis.Reduced r : reduced) {
          us.add(r.solution());
        }
        errs =
            SampleAnalysis.errors(d.fom(), d.reductor().reducedBasis(), mus, us, norm(), workers);
        for (double[] mu : mus) {
          out.println("Calculating error for " + format(name, mu) + " ... ");
          out.println("done");
        }
        out.println();
      }
      // pyMOR plots these numbers; we print them too
      out.println("estimated errors: " + Arrays.toString(ests));
      List<Path> files = new ArrayList<>();
      if (errs != null) {
        out.println("errors (" + normName() + " norm): " + Arrays.toString(errs));
        double lo = Math.min(min(ests), min(errs)) * 0.9;
        double hi = Math.max(max(ests), max(errs)) * 1.1;
        double[] edges = logBins(lo, hi);
        int[] errCounts = histogram(errs, edges);
        int[] estCounts = histogram(ests, edges);
        out.println("histogram of the errors: " + describe(edges, errCounts));
        out.println("histogram of the estimated errors: " + describe(edges, estCounts));
        if (plots.enabled()) {
          files.add(
              Plots.scatter(
                  plots.file("analyze-pickle-histogram-scatter.png"),
                  "Estimated errors against errors (" + samples + " random parameters)",
                  "errors",
                  "estimates",
                  errs,
                  ests,
                  lo,
                  hi));
          files.add(
              Plots.histogram(
                  plots.file("analyze-pickle-histogram-errors.png"),
                  "Errors (" + normName() + " norm)",
                  "error",
                  edges,
                  errCounts));
          files.add(
              Plots.histogram(
                  plots.file("analyze-pickle-histogram-estimates.png"),
                  "Estimated errors",
                  "estimated error",
                  edges,
                  estCounts));
        }
      } else {
        double lo = min(ests) * 0.9;
        double hi = max(ests) * 1.1;
        double[] edges = logBins(lo, hi);
        int[] counts = histogram(ests, edges);
        out.println("histogram of the estimated errors: " + describe(edges, counts));
        if (plots.enabled()) {
          files.add(
              Plots.histogram(
                  plots.file("analyze-pickle-histogram-estimates.png"),
                  "Estimated errors (" + samples + " random parameters)",
                  "estimated error",
                  edges,
                  counts));
        }
      }
      for (Path p : files) {
        out.println("wrote " + p);
      }
      return 0;
    }
  }

  /** pyMOR's {@code analyze_pickle convergence}. */
  @Command(
      name = "convergence",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Maximum errors and estimates over SAMPLES random parameters, and the average times of"
            + " the reduced solves and estimates, for reduced bases of growing dimension."
      })
  static final class Convergence extends Base {
    @Parameters(
        index = "0",
        paramLabel = "REDUCED_DATA",
        description = "File containing the saved reduced model.")
    Path reducedData;

    @Parameters(
        index = "1",
        paramLabel = "DETAILED_DATA",
        description = "File containing the high-dimensional model and the reductor.")
    Path detailedData;

    @Parameters(
        index = "2",
        paramLabel = "SAMPLES",
        description = "Number of parameter samples to test with.")
    int samples;

    @Option(
        names = "--ndim",
        paramLabel = "N",
        description =
            "Number of reduced basis dimensions for which to estimate the error: numpy's"
                + " linspace(0, dim, N) rounded down (default: every dimension 0..dim).")
    @Nullable Integer ndim;

    @Override
    void validate() {
      checkSaved("REDUCED_DATA", reducedData, ModelFiles.KIND_REDUCED);
      checkSaved("DETAILED_DATA", detailedData, ModelFiles.KIND_DETAILED);
      checkPair(reducedData, detailedData);
      if (ndim != null && (ndim < 0 || ndim > 100_000)) {
        throw new IllegalArgumentException("--ndim must be in [0, 100000], got " + ndim);
      }
      checkCommon(samples);
    }

    @Override
    List<String> plotNames() {
      return List.of(
          "analyze-pickle-convergence-errors.png", "analyze-pickle-convergence-times.png");
    }

    @Override
    int run(WorkerPool workers) throws IOException {
      SavedReducedModel saved = loadReduced(reducedData);
      SavedDetailedModel d = loadDetailed(detailedData, saved.rom());
      int dim = saved.rom().dim();
      int[] dims;
      if (ndim != null && ndim != 0) { // pyMOR: 'if ndim:'
        double[] x = ParameterSpace.linspace(0, dim, ndim);
        dims = Arrays.stream(x).mapToInt(v -> (int) v).toArray();
      } else {
        dims = new int[dim + 1];
        for (int i = 0; i <= dim; i++) {
          dims[i] = i;
        }
      }
      List<double[]> mus = saved.parameterSpace().sampleRandomly(samples, Pcg64.defaultRng(seed));
      d.reductor().reduce(workers);
      List<ReducedModel> roms = new ArrayList<>();
      for (int n : dims) {
        roms.add(d.reductor().reduce(n));
      }
      ReducedBasis basis = d.reductor().reducedBasis();
      List<SampleAnalysis.Convergence> results =
          SampleAnalysis.convergence(d.fom(), basis, roms, mus, norm(), workers);
      int m = dims.length;
      double[] maxErrors = new double[m];
      double[] maxEstimates = new double[m];
      double[] solveMs = new double[m];
      double[] estimateMs = new double[m];
      for (int i = 0; i < m; i++) {
        out.println(String.format(Locale.ROOT, "N = %3d solve estimate errors", dims[i]));
        double e = Double.NEGATIVE_INFINITY;
        double est = Double.NEGATIVE_INFINITY;
        double ts = 0;
        double te = 0;
        for (SampleAnalysis.Convergence c : results) {
          e = Math.max(e, c.errors()[i]);
          est = Math.max(est, c.estimates()[i]);
          ts += c.solveNanos()[i];
          te += c.estimateNanos()[i];
        }
        maxErrors[i] = e;
        maxEstimates[i] = est;
        solveMs[i] = ts / 1e6 / mus.size();
        estimateMs[i] = te / 1e6 / mus.size();
      }
      out.println();
      double[] x = Arrays.stream(dims).asDoubleStream().toArray();
      out.println("dimensions: " + Arrays.toString(dims));
      out.println("maximum errors (" + normName() + " norm): " + Arrays.toString(maxErrors));
      out.println("maximum estimated errors: " + Arrays.toString(maxEstimates));
      out.println("average solve times (ms): " + Arrays.toString(solveMs));
      out.println("average estimate times (ms): " + Arrays.toString(estimateMs));
      if (plots.enabled()) {
        List<Path> files = new ArrayList<>();
        files.add(
            Plots.lines(
                plots.file("analyze-pickle-convergence-errors.png"),
                "Maximum over " + samples + " random parameters",
                "dimension",
                "error",
                true,
                List.of("max. estimate", "max. error"),
                x,
                List.of(maxEstimates, maxErrors)));
        files.add(
            Plots.lines(
                plots.file("analyze-pickle-convergence-times.png"),
                "Average times over " + samples + " random parameters",
                "dimension",
                "milliseconds",
                false,
                List.of("avg. solve time", "avg. estimate time"),
                x,
                List.of(solveMs, estimateMs)));
        for (Path p : files) {
          out.println("wrote " + p);
        }
      }
      return 0;
    }
  }

  // ------------------------------------------------------------------ helpers

  /** pyMOR's {@code Mu} string: {@code {diffusion: [0.1, 0.2]}}. */
  static String format(String name, double[] mu) {
    StringBuilder sb = new StringBuilder("{").append(name).append(": [");
    for (int i = 0; i < mu.length; i++) {
      sb.append(i > 0 ? ", " : "").append(mu[i]);
    }
    return sb.append("]}").toString();
  }

  private static double min(double[] a) {
    return Arrays.stream(a).min().orElse(Double.NaN);
  }

  private static double max(double[] a) {
    return Arrays.stream(a).max().orElse(Double.NaN);
  }

  /** pyMOR's {@code _bins}: numpy's {@code logspace(log10(start), log10(stop), 100)}. */
  static double[] logBins(double start, double stop) {
    double[] y = ParameterSpace.linspace(Math.log10(start), Math.log10(stop), 100);
    for (int i = 0; i < y.length; i++) {
      y[i] = Math.pow(10.0, y[i]);
    }
    return y;
  }

  /**
   * numpy's {@code histogram(a, bins=edges)[0]}: bin {@code i} counts {@code edges[i] <= x <
   * edges[i+1]}, the last bin includes its right edge, values outside are left out.
   */
  static int[] histogram(double[] a, double[] edges) {
    int bins = edges.length - 1;
    int[] counts = new int[bins];
    for (double x : a) {
      if (!(x >= edges[0] && x <= edges[bins])) {
        continue;
      }
      int i = 0;
      while (i < bins - 1 && x >= edges[i + 1]) {
        i++;
      }
      counts[i]++;
    }
    return counts;
  }

  /** The nonzero bins as {@code index:count}, with the range. */
  private static String describe(double[] edges, int[] counts) {
    StringBuilder sb =
        new StringBuilder()
            .append(counts.length)
            .append(" logarithmic bins from ")
            .append(edges[0])
            .append(" to ")
            .append(edges[edges.length - 1])
            .append(", nonzero bins (index:count):");
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] != 0) {
        sb.append(' ').append(i).append(':').append(counts[i]);
      }
    }
    return sb.toString();
  }
}
