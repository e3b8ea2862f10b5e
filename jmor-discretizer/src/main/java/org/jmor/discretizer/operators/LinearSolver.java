package org.jmor.discretizer.operators;

/**
 * A factorized square matrix {@code A}: solves {@code A x = b}.
 *
 * <p>Implementations in this library are immutable once built and their {@code solve} methods are
 * thread-safe (each call uses its own workspace).
 */
public interface LinearSolver {

  /**
   * @return the dimension {@code n} of {@code A} ({@code n x n})
   */
  int dim();

  /**
   * Computes {@code x[xOff .. xOff+n) = A^{-1} b[bOff .. bOff+n)}.
   *
   * <p>Modified: the range of {@code x}. Not modified: {@code b}. The ranges may be the same range
   * of the same array (in-place solve) but must not overlap otherwise.
   *
   * @param b right-hand side
   * @param bOff offset of the right-hand side
   * @param x solution
   * @param xOff offset of the solution
   */
  void solve(double[] b, int bOff, double[] x, int xOff);

  /**
   * Returns {@code A^{-1} b}.
   *
   * @param b right-hand side of length {@code n}; not modified
   * @return a new solution vector
   * @throws IllegalArgumentException if the length is wrong
   */
  default double[] solve(double[] b) {
    if (b.length != dim()) {
      throw new IllegalArgumentException(
          "right-hand side must have length " + dim() + ", got " + b.length);
    }
    double[] x = new double[dim()];
    solve(b, 0, x, 0);
    return x;
  }
}
