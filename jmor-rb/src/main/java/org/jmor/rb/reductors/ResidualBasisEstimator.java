package org.jmor.rb.reductors;

/**
 * pyMOR's {@code CoerciveRBEstimator} with a residual basis (see {@link CoerciveRBReductor}): with
 * the {@code P}-orthonormal residual range basis {@code R}, {@code R_B = R^T B V}, {@code R_q = R^T
 * A_q V}, {@code r_f = R^T f},
 *
 * <pre>
 *   ||res(mu)|| = ||(R_B + sum_q mu_q R_q) u_N - r_f||_2
 * </pre>
 *
 * evaluated column by column as {@code [R_B, R_0, ..., R_{Q-1}] [u_N; mu_0 u_N; ...; mu_{Q-1} u_N]}
 * (pyMOR assembles the matrix first; the results agree up to round-off), at a cost of {@code
 * O((Q+1) r k)} per parameter; {@code R_B} is left out when it is exactly zero.
 */
final class ResidualBasisEstimator implements ReducedErrorEstimator {

  private static final long serialVersionUID = 1L;

  private final int k;
  private final int q;
  private final int r;
  private final double[] residualRhs;
  private final boolean constantTermZero;

  /**
   * The residual operators regrouped by column for the online phase, the matrix {@code [R_B, R_0,
   * ..., R_{Q-1}]} ({@code r x rowLength}, {@code R_B} left out when zero) stored column by column.
   */
  private final double[] residualColumns;

  private final int[] residualRangeDims;

  /**
   * @param residualOperators {@code (Q+1) r k}: term 0 is {@code R_B}, term {@code 1+q} is {@code
   *     R_q}, row-major
   */
  ResidualBasisEstimator(
      int k, int q, int r, double[] residualOperators, double[] residualRhs, int[] dims) {
    this.k = k;
    this.q = q;
    this.r = r;
    this.residualRhs = residualRhs;
    this.residualRangeDims = dims;
    boolean zero = true;
    for (int i = 0; i < r * k && zero; i++) {
      zero = residualOperators[i] == 0.0;
    }
    this.constantTermZero = zero;
    int first = zero ? 1 : 0;
    int rowLength = (q + 1 - first) * k;
    this.residualColumns = new double[r * rowLength];
    for (int t = first; t <= q; t++) {
      for (int i = 0; i < r; i++) {
        for (int j = 0; j < k; j++) {
          residualColumns[((t - first) * k + j) * r + i] = residualOperators[t * r * k + i * k + j];
        }
      }
    }
  }

  /** {@code (Q+1) r k}: term 0 is {@code R_B}, term {@code 1+q} is {@code R_q}, row-major. */
  double[] residualOperators() {
    double[] ops = new double[(q + 1) * r * k];
    int first = constantTermZero ? 1 : 0; // R_B left out: exactly zero
    for (int t = first; t <= q; t++) {
      for (int i = 0; i < r; i++) {
        for (int j = 0; j < k; j++) {
          ops[t * r * k + i * k + j] = residualColumns[((t - first) * k + j) * r + i];
        }
      }
    }
    return ops;
  }

  /** A copy of {@code r_f}. */
  double[] residualRhs() {
    return residualRhs.clone();
  }

  @Override
  public ReducedErrorEstimator restrict(int dim) {
    int rr = residualRangeDims[dim];
    double[] all = residualOperators();
    double[] ops = new double[(q + 1) * rr * dim];
    for (int t = 0; t <= q; t++) {
      for (int i = 0; i < rr; i++) {
        System.arraycopy(all, t * r * k + i * k, ops, t * rr * dim + i * dim, dim);
      }
    }
    return new ResidualBasisEstimator(
        dim,
        q,
        rr,
        ops,
        java.util.Arrays.copyOf(residualRhs, rr),
        java.util.Arrays.copyOf(residualRangeDims, dim + 1));
  }

  @Override
  public int scratchLength() {
    return r;
  }

  @Override
  public int residualRangeDim() {
    return r;
  }

  @Override
  public int[] residualRangeDims() {
    return residualRangeDims.clone();
  }

  @Override
  public double residualNorm(double[] mu, double[] u, double[] res) {
    java.util.Arrays.fill(res, 0, r, 0.0);
    int col = 0;
    if (!constantTermZero) {
      for (int j = 0; j < k; j++) {
        axpy(u[j], col++, res);
      }
    }
    for (int t = 0; t < q; t++) {
      double c = mu[t];
      for (int j = 0; j < k; j++) {
        axpy(c * u[j], col++, res);
      }
    }
    double s = 0.0;
    for (int i = 0; i < r; i++) {
      double v = res[i] - residualRhs[i];
      res[i] = v;
      s += v * v;
    }
    return Math.sqrt(s);
  }

  private void axpy(double a, int col, double[] res) {
    int off = col * r;
    for (int i = 0; i < r; i++) {
      res[i] += a * residualColumns[off + i];
    }
  }
}
