package org.jmor.rb.reductors;

import java.io.Serializable;

/**
 * The nonzero entries of a vector (indices ascending). Used for the images {@code A_q v}, which
 * vanish outside block {@code q}, so that the projections {@code w^T A_q v} cost only the size of
 * the block. Serializable, as workers return them.
 */
final class SparseVector implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int[] index;
  private final double[] value;

  private SparseVector(int[] index, double[] value) {
    this.index = index;
    this.value = value;
  }

  /** Keeps the entries of {@code dense} that are not exactly {@code 0.0}. */
  static SparseVector of(double[] dense) {
    int nnz = 0;
    for (double x : dense) {
      if (x != 0.0) {
        nnz++;
      }
    }
    int[] idx = new int[nnz];
    double[] val = new double[nnz];
    int k = 0;
    for (int i = 0; i < dense.length; i++) {
      if (dense[i] != 0.0) {
        idx[k] = i;
        val[k] = dense[i];
        k++;
      }
    }
    return new SparseVector(idx, val);
  }

  boolean isZero() {
    return index.length == 0;
  }

  /** {@code w^T this}, summed in index order. */
  double dot(double[] w) {
    double s0 = 0.0;
    double s1 = 0.0;
    int n = index.length;
    int k = 0;
    for (; k + 1 < n; k += 2) {
      s0 += w[index[k]] * value[k];
      s1 += w[index[k + 1]] * value[k + 1];
    }
    if (k < n) {
      s0 += w[index[k]] * value[k];
    }
    return s0 + s1;
  }

  double[] toDense(int n) {
    double[] d = new double[n];
    for (int k = 0; k < index.length; k++) {
      d[index[k]] = value[k];
    }
    return d;
  }
}
