package org.jmor.rb.algorithms;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The outcome of {@link ErrorAnalysis#run}: one {@link TestResult} per test parameter, in input
 * order. Immutable; accessors return copies.
 */
public final class ErrorAnalysisResult {

  private final List<double[]> parameters;
  private final List<TestResult> results;
  private final double seconds;

  ErrorAnalysisResult(List<double[]> parameters, List<TestResult> results, double seconds) {
    this.parameters = parameters;
    this.results = List.copyOf(results);
    this.seconds = seconds;
  }

  /**
   * @return the test parameters (copies), aligned with {@link #results()}
   */
  public List<double[]> parameters() {
    List<double[]> out = new ArrayList<>();
    for (double[] mu : parameters) {
      out.add(mu.clone());
    }
    return out;
  }

  /**
   * @return the per-parameter results, in input order (unmodifiable)
   */
  public List<TestResult> results() {
    return results;
  }

  /**
   * @return the wall time in seconds
   */
  public double seconds() {
    return seconds;
  }

  /**
   * Returns the index of the first largest value (numpy's {@code argmax}).
   *
   * @param quantity e.g. {@code TestResult::h1Error}
   * @return the index, or {@code -1} if there are no results
   */
  public int argmax(ToDoubleFunction<TestResult> quantity) {
    int best = -1;
    double value = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < results.size(); i++) {
      double v = quantity.applyAsDouble(results.get(i));
      if (best < 0 || v > value) {
        best = i;
        value = v;
      }
    }
    return best;
  }

  /**
   * Returns the index of the first smallest value (numpy's {@code argmin}).
   *
   * @param quantity e.g. {@code TestResult::effectivity}
   * @return the index, or {@code -1} if there are no results
   */
  public int argmin(ToDoubleFunction<TestResult> quantity) {
    return argmax(r -> -quantity.applyAsDouble(r));
  }

  @Override
  public String toString() {
    return "ErrorAnalysisResult(" + results.size() + " test parameters, " + seconds + " s)";
  }
}
