package org.jmor.cli.thermalblock;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.jmor.cache.CacheRegion;
import org.jmor.cache.CacheStatistics;
import org.jmor.rb.algorithms.AdaptiveGreedyResult;
import org.jmor.rb.algorithms.ErrorAnalysisResult;
import org.jmor.rb.algorithms.TestResult;

/**
 * The text of {@code thermalblock}'s report as pyMOR prints it: the parameters, the summaries of
 * the basis generation and of the error analysis ({@code *** RESULTS ***}), and the cache line.
 */
final class ResultsBlock {
  private ResultsBlock() {}

  /** pyMOR's {@code Mu} string: {@code {diffusion: [0.1, 0.2]}}. */
  static String format(double[] mu) {
    StringBuilder sb = new StringBuilder("{diffusion: [");
    for (int i = 0; i < mu.length; i++) {
      sb.append(i > 0 ? ", " : "").append(mu[i]);
    }
    return sb.append("]}").toString();
  }

  /** The parameter with three decimals, for plot titles: {@code [0.100, 0.200]}. */
  static String shortFormat(double[] mu) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < mu.length; i++) {
      sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.3f", mu[i]));
    }
    return sb.append(']').toString();
  }

  /** pyMOR's description of the model, after {@code *** RESULTS ***}. */
  static String model(int xBlocks, int yBlocks, int grid) {
    return String.format(
        Locale.ROOT,
        "pyMOR model:%n   number of blocks: %dx%d%n   grid intervals:   %d%n"
            + "   ListVectorArray:  False%n%n",
        xBlocks,
        yBlocks,
        grid);
  }

  /** pyMOR's summary of {@code greedy}. */
  static String greedySummary(
      int trainingSetSize,
      boolean withEstimator,
      Object extension,
      int prescribed,
      int actual,
      double seconds) {
    return String.format(
        Locale.ROOT,
        "Greedy basis generation:%n"
            + "   size of training set:   %d%n"
            + "   error estimator used:   %s%n"
            + "   extension method:       %s%n"
            + "   prescribed basis size:  %d%n"
            + "   actual basis size:      %d%n"
            + "   elapsed time:           %s%n",
        trainingSetSize,
        withEstimator ? "True" : "False",
        extension,
        prescribed,
        actual,
        seconds);
  }

  /** pyMOR's summary of {@code reduce_adaptive_greedy}, with its "SNAPSHOTS + 1" quirk. */
  static String adaptiveSummary(
      AdaptiveGreedyResult r,
      int snapshots,
      boolean withEstimator,
      Object extension,
      int prescribed,
      int dim) {
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
        withEstimator ? "True" : "False",
        extension,
        prescribed,
        dim,
        r.seconds());
  }

  /** pyMOR's summary of the naive basis generation. */
  static String naiveSummary(int basisSize, double seconds) {
    return String.format(
        Locale.ROOT,
        "Naive basis generation:%n" + "   basis size set: %d%n   elapsed time:   %s%n",
        basisSize,
        seconds);
  }

  /** pyMOR's summary of the POD basis generation. */
  static String podSummary(int trainingSetSize, int prescribed, int actual, double seconds) {
    return String.format(
        Locale.ROOT,
        "POD basis generation:%n"
            + "   size of training set:   %d%n   prescribed basis size:  %d%n"
            + "   actual basis size:      %d%n   elapsed time:           %s%n",
        trainingSetSize,
        prescribed,
        actual,
        seconds);
  }

  /** pyMOR's "Stochastic error estimation" block of the error analysis. */
  static String summary(ErrorAnalysisResult a) {
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

  /**
   * The line after a run with a cache region: {@code cache (persistent, DIR): N full-order solves
   * saved, M computed}, with the rejected entries and storage errors when there were any.
   *
   * @param kind the {@code --cache-region} value
   * @param persistent whether it is {@code persistent} (the line names the directory)
   * @param inProcess whether every solve ran in this process (else the line says so)
   */
  static String cacheReport(
      CacheRegion region, String kind, boolean persistent, boolean inProcess) {
    CacheStatistics st = region.statistics();
    StringBuilder sb = new StringBuilder("cache (").append(kind);
    if (persistent) {
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
}
