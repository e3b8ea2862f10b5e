package org.jmor.discretizer.operators;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.ejml.data.DGrowArray;
import org.ejml.data.DMatrixSparseCSC;
import org.ejml.data.IGrowArray;
import org.ejml.sparse.csc.CommonOps_DSCC;
import org.jmor.vectors.ProductOperator;

/**
 * An immutable real sparse matrix in compressed sparse column (CSC) form, stored in an EJML {@link
 * DMatrixSparseCSC} with sorted row indices and without explicit zeros unless documented.
 *
 * <h2>How to get one</h2>
 *
 * {@link #fromTriplets} (coordinate form, duplicates summed), {@link #diagonal}, {@link #identity},
 * {@link #fromEjml}, or the combinators {@link #linearCombination}, {@link #submatrix}, {@link
 * #transpose}, {@link #filter}.
 *
 * <h2>Operations</h2>
 *
 * {@link #apply} ({@code y = A x}), {@link #applyTransposed} ({@code y = A^T x}), {@link #inner}
 * ({@code x^T A y}), {@link #frobeniusNorm}; {@link #asProductOperator()} views a symmetric matrix
 * as an inner product for {@code org.jmor.vectors}.
 *
 * <p>Instances are immutable and thread-safe; every accessor returning arrays returns copies. The
 * matrix is {@link Serializable} (EJML matrices are).
 */
public final class CscMatrix implements Serializable {

  private static final long serialVersionUID = 1L;

  private final DMatrixSparseCSC m;

  private CscMatrix(DMatrixSparseCSC m) {
    this.m = m;
  }

  /**
   * Builds an {@code rows x cols} matrix from coordinate triplets; entries with the same {@code
   * (row, col)} are summed in input order, and entries whose sum is exactly {@code 0.0} are dropped
   * from the sparsity pattern.
   *
   * <p>Not modified: {@code r}, {@code c}, {@code v}.
   *
   * @param rows number of rows
   * @param cols number of columns
   * @param r row index of each triplet
   * @param c column index of each triplet
   * @param v value of each triplet
   * @param count number of triplets used (a prefix of the arrays)
   * @return the matrix
   * @throws IllegalArgumentException if a size is negative or the arrays are shorter than {@code
   *     count}
   * @throws IndexOutOfBoundsException if an index is out of range
   */
  public static CscMatrix fromTriplets(
      int rows, int cols, int[] r, int[] c, double[] v, int count) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("sizes must be >= 0, got " + rows + " x " + cols);
    }
    if (count < 0 || r.length < count || c.length < count || v.length < count) {
      throw new IllegalArgumentException("count " + count + " exceeds a triplet array length");
    }
    // counting sort by column (stable, so input order is kept within a column)
    int[] colCount = new int[cols + 1];
    for (int k = 0; k < count; k++) {
      if (r[k] < 0 || r[k] >= rows || c[k] < 0 || c[k] >= cols) {
        throw new IndexOutOfBoundsException(
            "triplet " + k + " (" + r[k] + ", " + c[k] + ") outside " + rows + " x " + cols);
      }
      colCount[c[k] + 1]++;
    }
    for (int j = 0; j < cols; j++) {
      colCount[j + 1] += colCount[j];
    }
    int[] next = Arrays.copyOf(colCount, cols);
    int[] order = new int[count];
    for (int k = 0; k < count; k++) {
      order[next[c[k]]++] = k;
    }
    // per column: sum duplicates through a dense row marker, then sort rows
    int[] mark = new int[rows];
    Arrays.fill(mark, -1);
    double[] acc = new double[rows];
    int[] colIdx = new int[cols + 1];
    int[] outRows = new int[count];
    double[] outVals = new double[count];
    int[] touched = new int[rows];
    int nz = 0;
    for (int j = 0; j < cols; j++) {
      int nt = 0;
      for (int p = colCount[j]; p < colCount[j + 1]; p++) {
        int k = order[p];
        int i = r[k];
        if (mark[i] != j) {
          mark[i] = j;
          acc[i] = v[k];
          touched[nt++] = i;
        } else {
          acc[i] += v[k];
        }
      }
      Arrays.sort(touched, 0, nt);
      for (int t = 0; t < nt; t++) {
        int i = touched[t];
        if (acc[i] != 0.0) {
          outRows[nz] = i;
          outVals[nz] = acc[i];
          nz++;
        }
      }
      colIdx[j + 1] = nz;
    }
    return new CscMatrix(build(rows, cols, colIdx, outRows, outVals, nz));
  }

  /**
   * Returns the {@code n x n} matrix with {@code value} on the diagonal positions {@code dofs} and
   * zero elsewhere (e.g. pyMOR's {@code boundary_part} with value 1).
   *
   * <p>Not modified: {@code dofs}.
   *
   * @param n dimension
   * @param dofs diagonal positions (any order, no duplicates)
   * @param value the diagonal value
   * @return the matrix; {@code nnz = dofs.length} unless {@code value == 0}
   * @throws IndexOutOfBoundsException if a position is out of range
   * @throws IllegalArgumentException if a position is repeated
   */
  public static CscMatrix diagonal(int n, int[] dofs, double value) {
    int[] sorted = dofs.clone();
    Arrays.sort(sorted);
    for (int k = 0; k < sorted.length; k++) {
      if (sorted[k] < 0 || sorted[k] >= n) {
        throw new IndexOutOfBoundsException("dof " + sorted[k] + " outside [0, " + n + ")");
      }
      if (k > 0 && sorted[k] == sorted[k - 1]) {
        throw new IllegalArgumentException("dof " + sorted[k] + " repeated");
      }
    }
    int len = value == 0.0 ? 0 : sorted.length;
    double[] vals = new double[len];
    Arrays.fill(vals, value);
    return fromTriplets(n, n, sorted, sorted, vals, len);
  }

  /**
   * Returns the {@code n x n} identity.
   *
   * @param n dimension, {@code >= 0}
   * @return the identity matrix
   */
  public static CscMatrix identity(int n) {
    int[] all = new int[n];
    Arrays.setAll(all, i -> i);
    return diagonal(n, all, 1.0);
  }

  /**
   * Copies an EJML matrix; duplicates are summed and row indices sorted, explicit zeros are kept.
   *
   * <p>Not modified: {@code a}.
   *
   * @param a the matrix
   * @return an immutable copy
   */
  public static CscMatrix fromEjml(DMatrixSparseCSC a) {
    DMatrixSparseCSC c = a.copy();
    if (!c.indicesSorted) {
      c.sortIndices(null);
    }
    CommonOps_DSCC.duplicatesAdd(c, null);
    return new CscMatrix(c);
  }

  /**
   * Returns {@code sum_k coefficients[k] * matrices[k]}, summed in list order; the pattern is the
   * union of the patterns (entries that cancel are kept as explicit zeros).
   *
   * <p>Not modified: the arguments.
   *
   * @param coefficients one coefficient per matrix
   * @param matrices matrices of equal size, at least one
   * @return the linear combination
   * @throws IllegalArgumentException if the lengths differ, the list is empty or sizes differ
   */
  public static CscMatrix linearCombination(double[] coefficients, List<CscMatrix> matrices) {
    if (matrices.isEmpty() || coefficients.length != matrices.size()) {
      throw new IllegalArgumentException(
          "need one coefficient per matrix and at least one "
              + "matrix, got "
              + coefficients.length
              + " coefficients and "
              + matrices.size()
              + " matrices");
    }
    CscMatrix first = matrices.get(0);
    for (CscMatrix a : matrices) {
      if (a.rows() != first.rows() || a.cols() != first.cols()) {
        throw new IllegalArgumentException(
            "size mismatch: "
                + a.rows()
                + " x "
                + a.cols()
                + " vs "
                + first.rows()
                + " x "
                + first.cols());
      }
    }
    IGrowArray gw = new IGrowArray();
    DGrowArray gx = new DGrowArray();
    DMatrixSparseCSC sum = first.m.copy();
    CommonOps_DSCC.scale(coefficients[0], first.m, sum);
    for (int k = 1; k < matrices.size(); k++) {
      DMatrixSparseCSC out = new DMatrixSparseCSC(first.rows(), first.cols(), 0);
      CommonOps_DSCC.add(1.0, sum, coefficients[k], matrices.get(k).m, out, gw, gx);
      sum = out;
    }
    if (!sum.indicesSorted) {
      sum.sortIndices(null);
    }
    return new CscMatrix(sum);
  }

  /**
   * @return the number of rows
   */
  public int rows() {
    return m.numRows;
  }

  /**
   * @return the number of columns
   */
  public int cols() {
    return m.numCols;
  }

  /**
   * @return the number of stored entries
   */
  public int nnz() {
    return m.nz_length;
  }

  /**
   * Returns an entry.
   *
   * @param row row index
   * @param col column index
   * @return {@code A[row, col]}, 0 if not stored
   * @throws IndexOutOfBoundsException if an index is out of range
   */
  public double get(int row, int col) {
    if (row < 0 || row >= rows() || col < 0 || col >= cols()) {
      throw new IndexOutOfBoundsException(
          "(" + row + ", " + col + ") outside " + rows() + " x " + cols());
    }
    return m.get(row, col);
  }

  /**
   * @return a copy of the column pointers ({@code cols + 1} entries)
   */
  public int[] columnPointers() {
    return Arrays.copyOf(m.col_idx, cols() + 1);
  }

  /**
   * @return a copy of the row indices of the stored entries (sorted within each column)
   */
  public int[] rowIndices() {
    return Arrays.copyOf(m.nz_rows, nnz());
  }

  /**
   * @return a copy of the stored values, aligned with {@link #rowIndices()}
   */
  public double[] values() {
    return Arrays.copyOf(m.nz_values, nnz());
  }

  /**
   * @return a copy as an EJML matrix
   */
  public DMatrixSparseCSC toEjml() {
    return m.copy();
  }

  /**
   * Computes {@code y[yOff .. yOff+rows) = A x[xOff .. xOff+cols)}.
   *
   * <p>Modified: the range of {@code y} (overwritten). Not modified: {@code x}. The ranges must not
   * overlap.
   *
   * @param x input
   * @param xOff offset of the input vector
   * @param y output
   * @param yOff offset of the output vector
   */
  public void apply(double[] x, int xOff, double[] y, int yOff) {
    Arrays.fill(y, yOff, yOff + m.numRows, 0.0);
    final int[] cp = m.col_idx;
    final int[] ri = m.nz_rows;
    final double[] va = m.nz_values;
    for (int j = 0; j < m.numCols; j++) {
      double xj = x[xOff + j];
      if (xj == 0.0) {
        continue;
      }
      scatterColumn(va, ri, cp[j], cp[j + 1], xj, y, yOff);
    }
  }

  /** {@code y[yOff + ri[p]] += va[p] * xj} for {@code from <= p < to}. */
  private static void scatterColumn(
      double[] va, int[] ri, int from, int to, double xj, double[] y, int yOff) {
    for (int p = from; p < to; p++) {
      y[yOff + ri[p]] += va[p] * xj;
    }
  }

  /**
   * Returns {@code A x}.
   *
   * @param x input of length {@code cols}; not modified
   * @return a new vector of length {@code rows}
   * @throws IllegalArgumentException if the length is wrong
   */
  public double[] apply(double[] x) {
    checkLength(x, cols());
    double[] y = new double[rows()];
    apply(x, 0, y, 0);
    return y;
  }

  /**
   * Computes {@code y[yOff .. yOff+cols) = A^T x[xOff .. xOff+rows)}.
   *
   * <p>Modified: the range of {@code y} (overwritten). Not modified: {@code x}.
   *
   * @param x input
   * @param xOff offset of the input vector
   * @param y output
   * @param yOff offset of the output vector
   */
  public void applyTransposed(double[] x, int xOff, double[] y, int yOff) {
    final int[] cp = m.col_idx;
    final int[] ri = m.nz_rows;
    final double[] va = m.nz_values;
    for (int j = 0; j < m.numCols; j++) {
      y[yOff + j] = gatherColumn(va, ri, cp[j], cp[j + 1], x, xOff);
    }
  }

  /** {@code sum_p va[p] * x[xOff + ri[p]]}, {@code from <= p < to}, in order. */
  private static double gatherColumn(
      double[] va, int[] ri, int from, int to, double[] x, int xOff) {
    double s = 0.0;
    for (int p = from; p < to; p++) {
      s += va[p] * x[xOff + ri[p]];
    }
    return s;
  }

  /**
   * Returns {@code A^T x}.
   *
   * @param x input of length {@code rows}; not modified
   * @return a new vector of length {@code cols}
   * @throws IllegalArgumentException if the length is wrong
   */
  public double[] applyTransposed(double[] x) {
    checkLength(x, rows());
    double[] y = new double[cols()];
    applyTransposed(x, 0, y, 0);
    return y;
  }

  /**
   * Returns {@code x^T A y}, computed column by column ({@code sum_j y_j sum_p A[i_p,j] x[i_p]}).
   *
   * @param x left vector of length {@code rows}; not modified
   * @param y right vector of length {@code cols}; not modified
   * @return the bilinear form
   * @throws IllegalArgumentException if a length is wrong
   */
  public double inner(double[] x, double[] y) {
    checkLength(x, rows());
    checkLength(y, cols());
    final int[] cp = m.col_idx;
    final int[] ri = m.nz_rows;
    final double[] va = m.nz_values;
    double s = 0.0;
    for (int j = 0; j < m.numCols; j++) {
      double c = 0.0;
      for (int p = cp[j]; p < cp[j + 1]; p++) {
        c += va[p] * x[ri[p]];
      }
      s += c * y[j];
    }
    return s;
  }

  /**
   * @return {@code sqrt(sum_ij A_ij^2)}
   */
  public double frobeniusNorm() {
    double s = 0.0;
    for (int p = 0; p < m.nz_length; p++) {
      s += m.nz_values[p] * m.nz_values[p];
    }
    return Math.sqrt(s);
  }

  /**
   * Tells whether {@code A == A^T} exactly (value by value, an explicit zero equals a missing
   * entry).
   *
   * @return true if square and exactly symmetric
   */
  public boolean isSymmetric() {
    if (rows() != cols()) {
      return false;
    }
    CscMatrix t = transpose();
    for (int j = 0; j < cols(); j++) {
      for (int p = m.col_idx[j]; p < m.col_idx[j + 1]; p++) {
        if (t.m.get(m.nz_rows[p], j) != m.nz_values[p]) {
          return false;
        }
      }
      for (int p = t.m.col_idx[j]; p < t.m.col_idx[j + 1]; p++) {
        if (m.get(t.m.nz_rows[p], j) != t.m.nz_values[p]) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * @return {@code A^T} (a new matrix)
   */
  public CscMatrix transpose() {
    DMatrixSparseCSC t = new DMatrixSparseCSC(cols(), rows(), nnz());
    CommonOps_DSCC.transpose(m, t, null);
    return new CscMatrix(t);
  }

  /**
   * Returns {@code A[rowSel, colSel]}: entry {@code (a, b)} of the result is {@code A[rowSel[a],
   * colSel[b]]}.
   *
   * <p>Not modified: the arguments.
   *
   * @param rowSel selected rows, strictly ascending
   * @param colSel selected columns (any order, repeats allowed)
   * @return the submatrix, {@code rowSel.length x colSel.length}
   * @throws IllegalArgumentException if {@code rowSel} is not strictly ascending
   * @throws IndexOutOfBoundsException if an index is out of range
   */
  public CscMatrix submatrix(int[] rowSel, int[] colSel) {
    int[] rowMap = new int[rows()];
    Arrays.fill(rowMap, -1);
    for (int a = 0; a < rowSel.length; a++) {
      if (a > 0 && rowSel[a] <= rowSel[a - 1]) {
        throw new IllegalArgumentException("rowSel must be strictly ascending");
      }
      rowMap[rowSel[a]] = a;
    }
    int[] cp = new int[colSel.length + 1];
    int cap = 0;
    for (int b = 0; b < colSel.length; b++) {
      int j = colSel[b];
      if (j < 0 || j >= cols()) {
        throw new IndexOutOfBoundsException("column " + j + " outside [0, " + cols() + ")");
      }
      cap += m.col_idx[j + 1] - m.col_idx[j];
    }
    int[] ri = new int[cap];
    double[] va = new double[cap];
    int nz = 0;
    for (int b = 0; b < colSel.length; b++) {
      int j = colSel[b];
      for (int p = m.col_idx[j]; p < m.col_idx[j + 1]; p++) {
        int a = rowMap[m.nz_rows[p]];
        if (a >= 0) {
          ri[nz] = a;
          va[nz] = m.nz_values[p];
          nz++;
        }
      }
      cp[b + 1] = nz;
    }
    return new CscMatrix(build(rowSel.length, colSel.length, cp, ri, va, nz));
  }

  /**
   * Keeps the entries for which {@code keep.test(row, col, value)} holds; entries with value
   * exactly 0.0 are dropped if {@code dropZeros}.
   *
   * @param keep predicate on (row, column, value)
   * @param dropZeros whether explicit zeros are removed as well
   * @return the filtered matrix, same size
   */
  public CscMatrix filter(EntryPredicate keep, boolean dropZeros) {
    Objects.requireNonNull(keep, "keep");
    int[] cp = new int[cols() + 1];
    int[] ri = new int[nnz()];
    double[] va = new double[nnz()];
    int nz = 0;
    for (int j = 0; j < cols(); j++) {
      for (int p = m.col_idx[j]; p < m.col_idx[j + 1]; p++) {
        int i = m.nz_rows[p];
        double x = m.nz_values[p];
        if ((!dropZeros || x != 0.0) && keep.test(i, j, x)) {
          ri[nz] = i;
          va[nz] = x;
          nz++;
        }
      }
      cp[j + 1] = nz;
    }
    return new CscMatrix(build(rows(), cols(), cp, ri, va, nz));
  }

  /**
   * Views this matrix as the inner product {@code (x, y)_A = x^T A y} for {@code org.jmor.vectors};
   * {@code apply} is {@link #apply(double[], int, double[], int)}.
   *
   * @return a product operator backed by this matrix (no copy)
   * @throws IllegalStateException if the matrix is not square and exactly symmetric
   */
  public ProductOperator asProductOperator() {
    if (!isSymmetric()) {
      throw new IllegalStateException(
          "a product operator must be square and symmetric; this "
              + rows()
              + " x "
              + cols()
              + " matrix is not");
    }
    return new MatrixProduct(this);
  }

  /** A predicate on matrix entries, see {@link #filter}. */
  @FunctionalInterface
  public interface EntryPredicate {
    /**
     * @param row row index
     * @param col column index
     * @param value stored value
     * @return whether to keep the entry
     */
    boolean test(int row, int col, double value);
  }

  /** Package-private access to the EJML storage for the solvers; never modify it. */
  DMatrixSparseCSC storage() {
    return m;
  }

  @Override
  public String toString() {
    return "CscMatrix(" + rows() + " x " + cols() + ", nnz=" + nnz() + ")";
  }

  private static DMatrixSparseCSC build(
      int rows, int cols, int[] colIdx, int[] ri, double[] va, int nz) {
    DMatrixSparseCSC a = new DMatrixSparseCSC(rows, cols, 0);
    a.col_idx = colIdx;
    a.nz_rows = nz == ri.length ? ri : Arrays.copyOf(ri, nz);
    a.nz_values = nz == va.length ? va : Arrays.copyOf(va, nz);
    a.nz_length = nz;
    a.indicesSorted = true;
    return a;
  }

  private static void checkLength(double[] x, int n) {
    if (x.length != n) {
      throw new IllegalArgumentException("vector length must be " + n + ", got " + x.length);
    }
  }

  /** Inner product backed by a symmetric matrix. */
  private static final class MatrixProduct implements ProductOperator, Serializable {
    private static final long serialVersionUID = 1L;
    private final CscMatrix a;

    MatrixProduct(CscMatrix a) {
      this.a = a;
    }

    @Override
    public int dim() {
      return a.rows();
    }

    @Override
    public void apply(double[] x, int xOffset, double[] y, int yOffset) {
      // A symmetric: A x = A^T x; the row-wise (dot product) form has no scattered writes
      a.applyTransposed(x, xOffset, y, yOffset);
    }

    @Override
    public String toString() {
      return "ProductOperator(" + a + ")";
    }
  }
}
