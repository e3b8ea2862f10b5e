package org.jmor.cli.thermalblock;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jmor.discretizer.grid.TriaGrid;
import org.jmor.discretizer.models.StationaryModel;
import org.jmor.parallel.WorkerPool;
import org.jmor.rb.algorithms.ErrorAnalysis;
import org.jmor.rb.algorithms.ErrorAnalysisResult;
import org.jmor.rb.algorithms.GreedyResult;
import org.jmor.rb.algorithms.TestResult;
import org.jmor.rb.reductors.BasisExtension;
import org.jmor.rb.reductors.ParameterFunctional;
import org.jmor.rb.reductors.ReducedBasis;
import org.jmor.rb.reductors.ReducedModel;
import org.jmor.rb.reductors.ReductorKind;
import org.jmor.rb.reductors.StationaryRBReductor;
import org.jspecify.annotations.Nullable;

/**
 * The PNG plots of {@code thermalblock} in {@code --plot-dir}: the two solutions of {@code
 * --plot-solutions}, the greedy's error decay, the error sequence over the basis sizes ({@code
 * --plot-error-sequence}) and the heat maps of the test parameter with the maximum error ({@code
 * --plot-err}).
 */
final class ThermalBlockPlots {
  private final ThermalBlockCommand c;
  private final PrintStream out;

  /**
   * The plots of one run.
   *
   * @param c the run's options
   * @param out where the progress and the error sequence are printed
   */
  ThermalBlockPlots(ThermalBlockCommand c, PrintStream out) {
    this.c = c;
    this.out = out;
  }

  /**
   * The names of the plots this run writes in {@code --plot-dir} (as {@link #solutions} and {@link
   * #afterAnalysis} name them).
   */
  List<String> names() {
    List<String> names = new ArrayList<>();
    if (c.plotSolutions) {
      names.addAll(List.of("thermalblock-solution-1.png", "thermalblock-solution-2.png"));
    }
    if (c.alg == ThermalBlockCommand.Algorithm.greedy) {
      names.add("thermalblock-greedy.png");
    }
    if (c.plotErrorSequence && c.test > 0) {
      names.add("thermalblock-error-sequence.png");
    }
    if (c.plotErr && c.test > 0) {
      for (int i = 1; i <= 3; i++) {
        names.add("thermalblock-max-error-" + i + ".png");
      }
    }
    return names;
  }

  /** The heat maps of {@code --plot-solutions}: the solutions {@code us} with their titles. */
  List<Path> solutions(TriaGrid mesh, List<String> titles, List<double[]> us) throws IOException {
    return Plots.heatMaps(c.plots.dir(), "thermalblock-solution", mesh, titles, us);
  }

  /**
   * The plots after the error analysis: the greedy's decay, the error sequence (which runs the
   * error analysis for every smaller basis on the pool) and the maximum error's heat maps.
   *
   * @return the files written, in this order
   * @throws IOException if a plot cannot be written
   */
  List<Path> afterAnalysis(
      StationaryModel fom,
      TriaGrid mesh,
      StationaryRBReductor reductor,
      ReducedModel rom,
      ReducedBasis basis,
      @Nullable GreedyResult greedy,
      ErrorAnalysisResult analysis,
      List<double[]> testMus,
      WorkerPool workers)
      throws IOException {
    List<Path> files = new ArrayList<>();
    String tag = c.xBlocks + "x" + c.yBlocks;
    if (greedy != null && greedy.maxErrors().length > 0) {
      files.add(greedyDecay(greedy, tag));
    }
    if (c.plotErrorSequence && !testMus.isEmpty()) {
      files.add(errorSequence(fom, reductor, basis, analysis, testMus, workers, tag));
    }
    if (c.plotErr && !testMus.isEmpty()) {
      files.addAll(maximumError(fom, mesh, rom, basis, analysis, testMus));
    }
    return files;
  }

  private Path greedyDecay(GreedyResult greedy, String tag) throws IOException {
    double[] x = new double[greedy.maxErrors().length];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    return Plots.decay(
        c.plots.file("thermalblock-greedy.png"),
        "Greedy: maximum "
            + (c.greedyWithErrorEstimator ? "estimated " : "")
            + "error over "
            + greedy.trainingSetSize()
            + " training parameters ("
            + tag
            + " blocks)",
        "basis size",
        List.of("maximum " + (c.greedyWithErrorEstimator ? "estimate" : "error")),
        x,
        List.of(greedy.maxErrors()));
  }

  private Path errorSequence(
      StationaryModel fom,
      StationaryRBReductor reductor,
      ReducedBasis basis,
      ErrorAnalysisResult analysis,
      List<double[]> testMus,
      WorkerPool workers,
      String tag)
      throws IOException {
    int n = basis.len();
    double[] x = new double[n + 1];
    double[] errs = new double[n + 1];
    double[] ests = new double[n + 1];
    ReductorKind kind = c.reductorKind();
    StationaryRBReductor partial =
        kind.create(fom, reductor.product(), ParameterFunctional.minComponent());
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
    return Plots.decay(
        c.plots.file("thermalblock-error-sequence.png"),
        "Maximum error over " + testMus.size() + " test parameters (" + tag + " blocks)",
        "basis size",
        List.of("maximum h1_0_semi error", "maximum estimated error"),
        x,
        List.of(errs, ests));
  }

  private List<Path> maximumError(
      StationaryModel fom,
      TriaGrid mesh,
      ReducedModel rom,
      ReducedBasis basis,
      ErrorAnalysisResult analysis,
      List<double[]> testMus)
      throws IOException {
    double[] mu = testMus.get(analysis.argmax(TestResult::h1Error));
    double[] u = fom.solve(mu);
    double[] urb = basis.reconstruct(rom.solve(mu));
    double[] err = new double[u.length];
    for (int i = 0; i < u.length; i++) {
      err[i] = u[i] - urb[i];
    }
    return Plots.heatMaps(
        c.plots.dir(),
        "thermalblock-max-error",
        mesh,
        List.of(
            "detailed solution, mu = " + ResultsBlock.shortFormat(mu), "reduced solution", "error"),
        List.of(u, urb, err));
  }
}
