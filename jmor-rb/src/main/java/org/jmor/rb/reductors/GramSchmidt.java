package org.jmor.rb.reductors;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jmor.vectors.ProductOperator;
import org.jmor.vectors.VectorArray;

/**
 * pyMOR's modified Gram–Schmidt orthonormalization ({@code pymor.algorithms.gram_schmidt}) with its
 * default tolerances.
 *
 * <p>For each vector {@code a_i}, {@code i >= offset}, in order:
 *
 * <ol>
 *   <li>if {@code ||a_i||_P <= atol = 1e-13} it is removed;
 *   <li>otherwise, repeatedly: for every earlier kept vector {@code a_j} ({@code j} ascending)
 *       {@code a_i -= (a_j^T P a_i) a_j}; if the new norm is {@code <= rtol ||a_i||_P} with {@code
 *       rtol = 1e-13} (initial norm) the vector is removed as linearly dependent; if it is {@code <
 *       0.9} times the norm before this pass, the pass is repeated ("re-orthonormalization"); else
 *       {@code a_i} is scaled by {@code 1/norm}.
 * </ol>
 *
 * With {@code check}, the result must satisfy {@code |a_i^T P a_j - delta_ij| < 1e-3} for {@code i
 * >= offset}.
 */
public final class GramSchmidt {

  /** Vectors with a smaller initial norm are removed. */
  public static final double ATOL = ProductBasis.ATOL;

  /** Relative norm below which a vector is removed as linearly dependent. */
  public static final double RTOL = ProductBasis.RTOL;

  /** A pass is repeated when the norm fell below this fraction of the norm before the pass. */
  public static final double REITERATION_THRESHOLD = ProductBasis.REITERATION_THRESHOLD;

  /** Tolerance of the orthonormality check. */
  public static final double CHECK_TOL = ProductBasis.CHECK_TOL;

  private GramSchmidt() {}

  /**
   * Orthonormalizes {@code a} in place, assuming its first {@code offset} vectors are already
   * orthonormal. Removed vectors are deleted from {@code a}.
   *
   * <p>Modified: {@code a}.
   *
   * @param a the vectors
   * @param product the inner product, or null for the Euclidean one
   * @param offset number of leading vectors taken as orthonormal, {@code 0 <= offset <= len}
   * @param check whether to verify the result
   * @return the number of vectors removed
   * @throws IllegalArgumentException if {@code offset} is out of range or the dimensions differ
   * @throws ArithmeticException if {@code check} is set and the result is not orthonormal
   */
  public static int orthonormalize(
      VectorArray a, ProductOperator product, int offset, boolean check) {
    Objects.requireNonNull(a, "a");
    if (offset < 0 || offset > a.len()) {
      throw new IllegalArgumentException("offset must be in [0, " + a.len() + "], got " + offset);
    }
    int len = a.len();
    ProductBasis basis = new ProductBasis(a.dim(), product);
    for (int i = 0; i < offset; i++) {
      basis.appendRaw(a.row(i));
    }
    List<double[]> rest = new ArrayList<>();
    for (int i = offset; i < len; i++) {
      rest.add(a.row(i));
    }
    basis.appendOrthonormalized(rest, check);
    double[][] rows = new double[basis.len()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = basis.vector(i);
    }
    int[] all = new int[len];
    for (int i = 0; i < len; i++) {
      all[i] = i;
    }
    a.remove(all);
    if (rows.length > 0) {
      a.append(VectorArray.ofRows(rows));
    }
    return len - rows.length;
  }
}
