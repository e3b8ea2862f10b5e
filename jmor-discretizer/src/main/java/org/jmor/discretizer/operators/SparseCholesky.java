package org.jmor.discretizer.operators;

import edu.emory.mathcs.csparsej.tdouble.Dcs_chol;
import edu.emory.mathcs.csparsej.tdouble.Dcs_common.Dcs;
import edu.emory.mathcs.csparsej.tdouble.Dcs_common.Dcsn;
import edu.emory.mathcs.csparsej.tdouble.Dcs_common.Dcss;
import edu.emory.mathcs.csparsej.tdouble.Dcs_lsolve;
import edu.emory.mathcs.csparsej.tdouble.Dcs_ltsolve;
import edu.emory.mathcs.csparsej.tdouble.Dcs_schol;
import java.util.Arrays;

/**
 * Sparse Cholesky factorization {@code P A P^T = L L^T} of a symmetric positive definite matrix,
 * computed by CSparse (the CSparseJ port): approximate minimum degree ordering {@code P} of {@code
 * A + A^T}, elimination tree and column counts ({@link #analyze}, once per sparsity pattern), then
 * the up-looking numeric factorization ({@link Analysis#factor}, once per matrix).
 *
 * <p>Only the upper triangle of {@code A} (row {@code <=} column) is read by the numeric
 * factorization; symmetry is not checked.
 *
 * <p>A factorization is immutable; {@link #solve(double[], int, double[], int)} is thread-safe.
 * Neither class is serializable: holders keep them in {@code transient} fields and rebuild them.
 *
 * <pre>{@code
 * SparseCholesky.Analysis analysis = SparseCholesky.analyze(a0);   // ordering, etree: once
 * for (CscMatrix a : sameSparsityPattern) {
 *     double[] x = analysis.factor(a).solve(b);                    // numeric only
 * }
 * }</pre>
 */
public final class SparseCholesky implements LinearSolver {

  /** CSparse order code: AMD on {@code A + A^T} (for Cholesky). */
  private static final int AMD_SYMMETRIC = 1;

  private final Analysis analysis;
  private final Dcs l;

  private SparseCholesky(Analysis analysis, Dcs l) {
    this.analysis = analysis;
    this.l = l;
  }

  /**
   * Symbolic analysis of the sparsity pattern of {@code a}: AMD ordering, elimination tree and
   * column counts of {@code L}. The values of {@code a} are ignored.
   *
   * @param a a square matrix whose pattern is symmetric and contains the diagonal; not modified
   * @return the analysis, reusable for every matrix with exactly the same pattern
   * @throws IllegalArgumentException if {@code a} is not square
   */
  public static Analysis analyze(CscMatrix a) {
    if (a.rows() != a.cols()) {
      throw new IllegalArgumentException(
          "Cholesky needs a square matrix, got " + a.rows() + " x " + a.cols());
    }
    return new Analysis(a);
  }

  /**
   * Shorthand for {@code analyze(a).factor(a)}.
   *
   * @param a symmetric positive definite matrix; not modified
   * @return the factorization
   * @throws ArithmeticException if {@code a} is not (numerically) positive definite
   */
  public static SparseCholesky factor(CscMatrix a) {
    return analyze(a).factor(a);
  }

  @Override
  public int dim() {
    return analysis.n;
  }

  /**
   * @return the number of stored entries of {@code L} (diagonal included)
   */
  public long nnzL() {
    return l.p[analysis.n];
  }

  /**
   * Computes {@code x = A^{-1} b = P^T L^{-T} L^{-1} P b}.
   *
   * <p>Modified: the range of {@code x}. Not modified: {@code b}; the ranges may coincide.
   */
  @Override
  public void solve(double[] b, int bOff, double[] x, int xOff) {
    int n = analysis.n;
    int[] pinv = analysis.symbolic.pinv;
    double[] w = new double[n];
    for (int k = 0; k < n; k++) {
      w[pinv[k]] = b[bOff + k];
    }
    Dcs_lsolve.cs_lsolve(l, w);
    Dcs_ltsolve.cs_ltsolve(l, w);
    for (int k = 0; k < n; k++) {
      x[xOff + k] = w[pinv[k]];
    }
  }

  @Override
  public String toString() {
    return "SparseCholesky(n=" + dim() + ", nnz(L)=" + nnzL() + ")";
  }

  /**
   * The symbolic part of a sparse Cholesky factorization (fill-reducing ordering, elimination tree,
   * column pointers of {@code L}) for one sparsity pattern. Immutable and thread-safe.
   */
  public static final class Analysis {
    private final int n;
    private final int[] colPtr;
    private final int[] rowIdx;
    private final Dcss symbolic;

    private Analysis(CscMatrix a) {
      this.n = a.rows();
      this.colPtr = a.columnPointers();
      this.rowIdx = a.rowIndices();
      this.symbolic =
          Dcs_schol.cs_schol(
              AMD_SYMMETRIC, toCs(a.rows(), colPtr, rowIdx, new double[rowIdx.length]));
      if (symbolic == null) {
        throw new IllegalStateException("symbolic Cholesky analysis failed for " + a);
      }
    }

    /**
     * @return the dimension {@code n}
     */
    public int dim() {
      return n;
    }

    /**
     * @return the predicted number of entries of {@code L}
     */
    public long nnzL() {
      return symbolic.cp[n];
    }

    /**
     * Returns the fill-reducing ordering: row {@code k} of {@code P A P^T} is row {@code
     * permutation()[k]} of {@code A}.
     *
     * @return a new array of length {@code n}
     */
    public int[] permutation() {
      int[] p = new int[n];
      for (int k = 0; k < n; k++) {
        p[symbolic.pinv[k]] = k;
      }
      return p;
    }

    /**
     * Numeric factorization of a matrix with the analysed pattern.
     *
     * @param a symmetric positive definite matrix with exactly the analysed sparsity pattern; not
     *     modified
     * @return the factorization
     * @throws IllegalArgumentException if the pattern differs
     * @throws ArithmeticException if {@code a} is not (numerically) positive definite
     */
    public SparseCholesky factor(CscMatrix a) {
      if (a.rows() != n
          || a.cols() != n
          || a.nnz() != rowIdx.length
          || !Arrays.equals(a.storage().col_idx, 0, n + 1, colPtr, 0, n + 1)
          || !Arrays.equals(a.storage().nz_rows, 0, rowIdx.length, rowIdx, 0, rowIdx.length)) {
        throw new IllegalArgumentException(
            "the sparsity pattern of " + a + " differs from the analysed one");
      }
      return factorValues(a.storage().nz_values);
    }

    /**
     * Numeric factorization of the matrix with the analysed pattern and the given values.
     *
     * @param values values aligned with the analysed pattern (column by column, rows ascending);
     *     not modified
     * @return the factorization
     * @throws IllegalArgumentException if the length is wrong
     * @throws ArithmeticException if the matrix is not (numerically) positive definite
     */
    public SparseCholesky factorValues(double[] values) {
      if (values.length < rowIdx.length) {
        throw new IllegalArgumentException(
            "need " + rowIdx.length + " values, got " + values.length);
      }
      Dcsn num = Dcs_chol.cs_chol(toCs(n, colPtr, rowIdx, values), symbolic);
      if (num == null) {
        throw new ArithmeticException("matrix is not positive definite (Cholesky failed)");
      }
      return new SparseCholesky(this, num.L);
    }

    @Override
    public String toString() {
      return "SparseCholesky.Analysis(n=" + n + ", nnz(L)=" + nnzL() + ", AMD)";
    }
  }

  private static Dcs toCs(int n, int[] colPtr, int[] rowIdx, double[] values) {
    Dcs c = new Dcs();
    c.m = n;
    c.n = n;
    c.p = colPtr;
    c.i = rowIdx;
    c.x = values;
    c.nzmax = rowIdx.length;
    c.nz = -1;
    return c;
  }
}
