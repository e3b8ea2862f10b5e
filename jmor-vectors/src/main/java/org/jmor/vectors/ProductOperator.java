package org.jmor.vectors;

import java.util.Objects;
import org.ejml.data.DMatrixRMaj;

/**
 * A symmetric linear operator {@code P} of size {@code dim x dim} that defines an inner product
 * {@code (x, y)_P = x^T P y} on vectors of dimension {@code dim}.
 *
 * <p>The operator is applied to a vector that lives somewhere inside a larger array (for example
 * the contiguous row-major storage of a {@link VectorArray}); the offset arguments of {@link
 * #apply(double[], int, double[], int)} let callers apply {@code P} to many vectors without copying
 * them out first. Implementations must be stateless with respect to {@code apply} or at least safe
 * for repeated calls; they need not be thread-safe unless documented.
 *
 * <p>Symmetry (and, for norms, positive semi-definiteness) is the responsibility of the
 * implementation and is not checked. If {@code P} is not symmetric, {@link
 * VectorArray#inner(VectorArray, ProductOperator)} still computes exactly {@code this^T P other}.
 *
 * <p>Example:
 *
 * <pre>{@code
 * DMatrixRMaj m = new DMatrixRMaj(new double[][] {{2, 1}, {1, 3}});
 * ProductOperator p = ProductOperator.ofDense(m);
 * VectorArray u = VectorArray.ofRows(new double[] {1, 1});
 * double[] n2 = u.norm2(p);   // {7.0}
 * }</pre>
 */
public interface ProductOperator {

  /**
   * Returns the dimension of the vectors this operator acts on ({@code P} is {@code dim x dim}).
   *
   * @return the dimension, {@code >= 0}
   */
  int dim();

  /**
   * Computes {@code y[yOffset .. yOffset+dim) = P * x[xOffset .. xOffset+dim)}.
   *
   * <p>Modified: {@code y[yOffset .. yOffset+dim)} (overwritten, previous contents ignored). Not
   * modified: {@code x}, and all other entries of {@code y}. The ranges of {@code x} and {@code y}
   * must not overlap (callers never pass aliased ranges).
   *
   * @param x input array
   * @param xOffset index of the first entry of the input vector in {@code x}
   * @param y output array
   * @param yOffset index of the first entry of the output vector in {@code y}
   * @throws IndexOutOfBoundsException if a range does not fit into its array (implementations may
   *     rely on the array bounds check of the JVM)
   */
  void apply(double[] x, int xOffset, double[] y, int yOffset);

  /**
   * Returns the identity operator, i.e. the Euclidean inner product.
   *
   * @param dim the dimension, {@code >= 0}
   * @return an operator with {@code P = I}
   * @throws IllegalArgumentException if {@code dim < 0}
   */
  static ProductOperator identity(int dim) {
    if (dim < 0) {
      throw new IllegalArgumentException("dim must be >= 0, got " + dim);
    }
    return new ProductOperator() {
      @Override
      public int dim() {
        return dim;
      }

      @Override
      public void apply(double[] x, int xOffset, double[] y, int yOffset) {
        System.arraycopy(x, xOffset, y, yOffset, dim);
      }

      @Override
      public String toString() {
        return "ProductOperator.identity(" + dim + ")";
      }
    };
  }

  /**
   * Returns an operator backed by a dense square matrix, {@code y = m * x}.
   *
   * <p>The matrix is copied, so later changes to {@code m} do not affect the operator. Symmetry of
   * {@code m} is not checked. Not modified: {@code m}.
   *
   * @param m a square matrix, {@code n x n}
   * @return an operator of dimension {@code n}
   * @throws NullPointerException if {@code m} is null
   * @throws IllegalArgumentException if {@code m} is not square
   */
  static ProductOperator ofDense(DMatrixRMaj m) {
    Objects.requireNonNull(m, "m");
    if (m.numRows != m.numCols) {
      throw new IllegalArgumentException(
          "product matrix must be square, got " + m.numRows + " x " + m.numCols);
    }
    final int n = m.numRows;
    final double[] a = new double[n * n];
    System.arraycopy(m.data, 0, a, 0, n * n);
    return new ProductOperator() {
      @Override
      public int dim() {
        return n;
      }

      @Override
      public void apply(double[] x, int xOffset, double[] y, int yOffset) {
        for (int r = 0; r < n; r++) {
          int ro = r * n;
          double s = 0.0;
          for (int c = 0; c < n; c++) {
            s += a[ro + c] * x[xOffset + c];
          }
          y[yOffset + r] = s;
        }
      }

      @Override
      public String toString() {
        return "ProductOperator.ofDense(" + n + " x " + n + ")";
      }
    };
  }
}
