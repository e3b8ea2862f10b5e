package org.jmor.rb.reductors;

import java.io.Serializable;
import java.util.Arrays;
import org.jmor.base.Immutable;
import org.jmor.vectors.VectorArray;

/**
 * An immutable snapshot of a reduced basis {@code V = [v_0, ..., v_{k-1}]} (vectors of length
 * {@code n}), used to reconstruct full-order vectors from reduced coefficients: {@code u = V u_N =
 * sum_j u_N[j] v_j}. Serializable and {@link Immutable}, so a pool ships it once.
 */
public final class ReducedBasis implements Immutable, Serializable {

  private static final long serialVersionUID = 1L;

  private final int len;
  private final int dim;
  private final double[] data;

  ReducedBasis(int len, int dim, double[] rowMajor) {
    this.len = len;
    this.dim = dim;
    this.data = rowMajor;
  }

  /**
   * @return the number of basis vectors {@code k}
   */
  public int len() {
    return len;
  }

  /**
   * @return the full-order dimension {@code n}
   */
  public int dim() {
    return dim;
  }

  /**
   * Returns {@code V u_N = sum_j u_N[j] v_j} (pyMOR's {@code reductor.reconstruct}).
   *
   * @param reducedCoefficients {@code u_N}, length {@code k}; not modified
   * @return a new vector of length {@code n}
   * @throws IllegalArgumentException if the length is wrong
   */
  public double[] reconstruct(double[] reducedCoefficients) {
    if (reducedCoefficients.length != len) {
      throw new IllegalArgumentException(
          "need " + len + " coefficients, got " + reducedCoefficients.length);
    }
    double[] u = new double[dim];
    for (int j = 0; j < len; j++) {
      double c = reducedCoefficients[j];
      int off = j * dim;
      for (int i = 0; i < dim; i++) {
        u[i] += c * data[off + i];
      }
    }
    return u;
  }

  /**
   * Returns {@code sum_{j < m} c[j] v_j} for {@code m = c.length <= k}: the reconstruction with the
   * first {@code m} basis vectors (pyMOR's {@code reconstruct} of the reductor reduced to {@code m}
   * vectors), summed exactly as {@link #reconstruct} of a basis of those vectors.
   *
   * @param coefficients {@code c}, length at most {@code k}; not modified
   * @return a new vector of length {@code n}
   * @throws IllegalArgumentException if there are more coefficients than basis vectors
   */
  public double[] reconstructPrefix(double[] coefficients) {
    if (coefficients.length > len) {
      throw new IllegalArgumentException(
          "at most " + len + " coefficients, got " + coefficients.length);
    }
    double[] u = new double[dim];
    for (int j = 0; j < coefficients.length; j++) {
      double c = coefficients[j];
      int off = j * dim;
      for (int i = 0; i < dim; i++) {
        u[i] += c * data[off + i];
      }
    }
    return u;
  }

  /**
   * Returns basis vector {@code j}.
   *
   * @param j index, {@code 0 <= j < k}
   * @return a copy
   */
  public double[] vector(int j) {
    if (j < 0 || j >= len) {
      throw new IndexOutOfBoundsException("basis index must be in [0, " + len + "), got " + j);
    }
    return Arrays.copyOfRange(data, j * dim, (j + 1) * dim);
  }

  /**
   * @return the basis as a new {@link VectorArray}
   */
  public VectorArray toVectorArray() {
    return VectorArray.fromRowMajor(len, dim, data);
  }

  @Override
  public String toString() {
    return "ReducedBasis(" + len + " vectors of dimension " + dim + ")";
  }
}
