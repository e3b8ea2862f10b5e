package org.jmor.rb.algorithms;

import java.util.ArrayList;
import java.util.List;
import org.jmor.rb.reductors.ReducedBasis;
import org.jmor.rb.reductors.ReducedModel;

/**
 * The outcome of {@link RbGreedy.Builder#run()} (pyMOR's {@code rb_greedy} result dictionary).
 * Entry {@code k} of the three sequences belongs to the estimator sweep after {@code k} extensions.
 * Immutable; accessors return copies.
 */
public final class GreedyResult {

  private final double[] maxErrors;
  private final int[] maxErrorIndices;
  private final List<double[]> maxErrorParameters;
  private final int extensions;
  private final double seconds;
  private final double estimationSeconds;
  private final int trainingSetSize;
  private final ReducedModel reducedModel;
  private final ReducedBasis reducedBasis;

  GreedyResult(
      double[] maxErrors,
      int[] maxErrorIndices,
      List<double[]> maxErrorParameters,
      int extensions,
      double seconds,
      double estimationSeconds,
      int trainingSetSize,
      ReducedModel reducedModel,
      ReducedBasis reducedBasis) {
    this.maxErrors = maxErrors;
    this.maxErrorIndices = maxErrorIndices;
    this.maxErrorParameters = maxErrorParameters;
    this.extensions = extensions;
    this.seconds = seconds;
    this.estimationSeconds = estimationSeconds;
    this.trainingSetSize = trainingSetSize;
    this.reducedModel = reducedModel;
    this.reducedBasis = reducedBasis;
  }

  /**
   * @return the maximum estimated error of each sweep ({@code max_errs})
   */
  public double[] maxErrors() {
    return maxErrors.clone();
  }

  /**
   * @return the training-set index of the parameter selected in each sweep
   */
  public int[] maxErrorIndices() {
    return maxErrorIndices.clone();
  }

  /**
   * @return the parameter selected in each sweep ({@code max_err_mus}), copies
   */
  public List<double[]> maxErrorParameters() {
    List<double[]> out = new ArrayList<>();
    for (double[] mu : maxErrorParameters) {
      out.add(mu.clone());
    }
    return out;
  }

  /**
   * @return the number of basis extensions performed
   */
  public int extensions() {
    return extensions;
  }

  /**
   * @return the wall time of the greedy loop in seconds (as pyMOR's {@code time})
   */
  public double seconds() {
    return seconds;
  }

  /**
   * Returns the part of {@link #seconds()} spent in the estimator sweeps over the training set (the
   * part that a parallel pool distributes); the rest is the offline phase (full-order solves, basis
   * extension, residual range, projection).
   *
   * @return the sweep time in seconds
   */
  public double estimationSeconds() {
    return estimationSeconds;
  }

  /**
   * @return the size of the training set
   */
  public int trainingSetSize() {
    return trainingSetSize;
  }

  /**
   * @return the reduced model for the final basis ({@code rom})
   */
  public ReducedModel reducedModel() {
    return reducedModel;
  }

  /**
   * @return the final basis (for reconstruction)
   */
  public ReducedBasis reducedBasis() {
    return reducedBasis;
  }

  @Override
  public String toString() {
    return "GreedyResult("
        + extensions
        + " extensions, training set "
        + trainingSetSize
        + ", final basis "
        + reducedBasis.len()
        + ", "
        + seconds
        + " s)";
  }
}
