package org.jmor.discretizer.fem;

import java.util.Arrays;
import java.util.List;
import org.jmor.discretizer.operators.CscMatrix;

/**
 * pyMOR's homogeneous Dirichlet treatments of assembled P1 matrices and vectors. {@code D} is the
 * set of Dirichlet DOFs; all methods return new objects and do not modify their arguments.
 */
public final class Dirichlet {

  private Dirichlet() {}

  /**
   * Zeroes the rows of the Dirichlet DOFs (diagonal included) and drops explicit zeros; columns are
   * not touched: {@code A'[i,j] = 0} for {@code i in D}, else {@code A[i,j]}. Used for the block
   * operators {@code A_q}.
   *
   * @param a the matrix, {@code n x n}
   * @param dofs the Dirichlet DOFs
   * @return the treated matrix
   */
  public static CscMatrix zeroRows(CscMatrix a, int[] dofs) {
    boolean[] d = mask(a.rows(), dofs);
    return a.filter((i, j, x) -> !d[i], true);
  }

  /**
   * Returns the boundary part {@code B}: {@code 1.0} on the diagonal of each Dirichlet DOF and zero
   * elsewhere, so that {@code B + sum_q mu_q A_q} has identity rows on {@code D}.
   *
   * @param n dimension
   * @param dofs the Dirichlet DOFs
   * @return the {@code n x n} matrix with {@code nnz = |D|}
   */
  public static CscMatrix unitDiagonal(int n, int[] dofs) {
    return CscMatrix.diagonal(n, dofs, 1.0);
  }

  /**
   * Zeroes the rows and the columns of the Dirichlet DOFs and puts {@code 1.0} on their diagonal
   * (pyMOR's treatment of the {@code h1_0_semi} and {@code l2_0} products); explicit zeros are
   * dropped. Keeps a symmetric matrix symmetric.
   *
   * @param a the matrix, {@code n x n}
   * @param dofs the Dirichlet DOFs
   * @return the treated matrix
   */
  public static CscMatrix zeroRowsAndColumnsWithUnitDiagonal(CscMatrix a, int[] dofs) {
    boolean[] d = mask(a.rows(), dofs);
    CscMatrix inner = a.filter((i, j, x) -> !d[i] && !d[j], true);
    return CscMatrix.linearCombination(
        new double[] {1.0, 1.0}, List.of(inner, unitDiagonal(a.rows(), dofs)));
  }

  /**
   * Sets the entries of the Dirichlet DOFs to zero.
   *
   * @param f the vector
   * @param dofs the Dirichlet DOFs
   * @return a new vector equal to {@code f} except {@code 0.0} on {@code D}
   */
  public static double[] zeroEntries(double[] f, int[] dofs) {
    double[] g = Arrays.copyOf(f, f.length);
    for (int i : dofs) {
      g[i] = 0.0;
    }
    return g;
  }

  private static boolean[] mask(int n, int[] dofs) {
    boolean[] d = new boolean[n];
    for (int i : dofs) {
      if (i < 0 || i >= n) {
        throw new IndexOutOfBoundsException("Dirichlet DOF " + i + " outside [0, " + n + ")");
      }
      d[i] = true;
    }
    return d;
  }
}
