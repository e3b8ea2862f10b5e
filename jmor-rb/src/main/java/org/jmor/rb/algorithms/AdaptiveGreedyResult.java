package org.jmor.rb.algorithms;

import java.util.ArrayList;
import java.util.List;
import org.jmor.rb.reductors.ReducedBasis;
import org.jmor.rb.reductors.ReducedModel;

/**
 * The outcome of {@link AdaptiveGreedy.Builder#run()} (pyMOR's {@code rb_adaptive_greedy} result
 * dictionary). Entry {@code k} of the sequences belongs to the accepted estimate after {@code k}
 * extensions, i.e. after the refinements of that step. Immutable; accessors return copies.
 */
public final class AdaptiveGreedyResult {

  private final double[] maxErrors;
  private final List<double[]> maxErrorParameters;
  private final double[] maxValidationErrors;
  private final List<double[]> maxValidationErrorParameters;
  private final int[] refinements;
  private final int[] trainingSetSizes;
  private final int[] validationSetSizes;
  private final int extensions;
  private final double seconds;
  private final ReducedModel reducedModel;
  private final ReducedBasis reducedBasis;

  AdaptiveGreedyResult(
      double[] maxErrors,
      List<double[]> maxErrorParameters,
      double[] maxValidationErrors,
      List<double[]> maxValidationErrorParameters,
      int[] refinements,
      int[] trainingSetSizes,
      int[] validationSetSizes,
      int extensions,
      double seconds,
      ReducedModel reducedModel,
      ReducedBasis reducedBasis) {
    this.maxErrors = maxErrors;
    this.maxErrorParameters = maxErrorParameters;
    this.maxValidationErrors = maxValidationErrors;
    this.maxValidationErrorParameters = maxValidationErrorParameters;
    this.refinements = refinements;
    this.trainingSetSizes = trainingSetSizes;
    this.validationSetSizes = validationSetSizes;
    this.extensions = extensions;
    this.seconds = seconds;
    this.reducedModel = reducedModel;
    this.reducedBasis = reducedBasis;
  }

  private static List<double[]> copy(List<double[]> mus) {
    List<double[]> out = new ArrayList<>(mus.size());
    for (double[] mu : mus) {
      out.add(mu.clone());
    }
    return out;
  }

  /**
   * @return the maximum estimated error on the training set of each step ({@code max_errs})
   */
  public double[] maxErrors() {
    return maxErrors.clone();
  }

  /**
   * @return the selected training parameter of each step ({@code max_err_mus})
   */
  public List<double[]> maxErrorParameters() {
    return copy(maxErrorParameters);
  }

  /**
   * @return the maximum estimated error on the validation set of each step ({@code max_val_errs})
   */
  public double[] maxValidationErrors() {
    return maxValidationErrors.clone();
  }

  /**
   * @return the validation parameter of each maximum ({@code max_val_err_mus})
   */
  public List<double[]> maxValidationErrorParameters() {
    return copy(maxValidationErrorParameters);
  }

  /**
   * @return the number of training-set refinements made in each step ({@code refinements})
   */
  public int[] refinements() {
    return refinements.clone();
  }

  /**
   * @return the training-set size after each step's refinements ({@code training_set_sizes})
   */
  public int[] trainingSetSizes() {
    return trainingSetSizes.clone();
  }

  /**
   * @return the validation-set size after each step's refinements (not in pyMOR's result)
   */
  public int[] validationSetSizes() {
    return validationSetSizes.clone();
  }

  /**
   * @return the number of basis extensions ({@code extensions})
   */
  public int extensions() {
    return extensions;
  }

  /**
   * @return the wall time of the algorithm in seconds ({@code time})
   */
  public double seconds() {
    return seconds;
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
    return "AdaptiveGreedyResult("
        + extensions
        + " extensions, final training set "
        + (trainingSetSizes.length == 0 ? 0 : trainingSetSizes[trainingSetSizes.length - 1])
        + ", final basis "
        + reducedBasis.len()
        + ", "
        + seconds
        + " s)";
  }
}
