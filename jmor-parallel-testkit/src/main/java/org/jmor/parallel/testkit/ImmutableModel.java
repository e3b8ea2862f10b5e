package org.jmor.parallel.testkit;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.jmor.base.Immutable;

/**
 * A small deterministic "model" that is {@link Immutable} and {@link Serializable}: a power series
 * {@code output(mu) = sum_k c_k mu^k / (1 + mu)}, and a "reduced model" that keeps only the first
 * coefficients. Used to test the de-duplication of immutable objects and error-analysis-style maps.
 *
 * <p>Identity, not equality, is what pools use for de-duplication; this class does not override
 * {@code equals}.
 */
public final class ImmutableModel implements Immutable, Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final double[] coefficients;

  /**
   * Creates a model.
   *
   * @param name a label for messages
   * @param coefficients at least one coefficient; copied
   * @throws IllegalArgumentException if no coefficient is given
   */
  public ImmutableModel(String name, double... coefficients) {
    this.name = Objects.requireNonNull(name, "name");
    if (coefficients.length == 0) {
      throw new IllegalArgumentException("at least one coefficient is required");
    }
    this.coefficients = coefficients.clone();
  }

  /** Returns a new instance of the standard test model (coefficients 1, 1/2, 1/4, 1/8, 1/16). */
  public static ImmutableModel standard() {
    return new ImmutableModel("standard", 1.0, 0.5, 0.25, 0.125, 0.0625);
  }

  /** Returns the number of coefficients. */
  public int order() {
    return coefficients.length;
  }

  /**
   * Evaluates the full model.
   *
   * @param mu the parameter
   * @return {@code sum_k c_k mu^k / (1 + mu)}
   */
  public double output(double mu) {
    return reducedOutput(mu, coefficients.length);
  }

  /**
   * Evaluates the model truncated to its first {@code basisSize} coefficients.
   *
   * @param mu the parameter
   * @param basisSize how many coefficients to keep, {@code 1 <= basisSize <= order()}
   * @return the truncated output
   */
  public double reducedOutput(double mu, int basisSize) {
    if (basisSize < 1 || basisSize > coefficients.length) {
      throw new IllegalArgumentException(
          "basisSize must be in [1, " + coefficients.length + "], got " + basisSize);
    }
    double sum = 0;
    double power = 1;
    for (int k = 0; k < basisSize; k++) {
      sum += coefficients[k] * power;
      power *= mu;
    }
    return sum / (1 + mu);
  }

  /**
   * Compares the full model with the reduced model of size 2 at {@code mu}.
   *
   * @param mu the parameter
   * @return the analysis row
   */
  public AnalysisResult analyse(double mu) {
    double full = output(mu);
    double reduced = reducedOutput(mu, Math.min(2, coefficients.length));
    return new AnalysisResult(mu, full, reduced, Math.abs(full - reduced));
  }

  @Override
  public String toString() {
    return "ImmutableModel[" + name + ", " + Arrays.toString(coefficients) + "]";
  }
}
