package org.jmor.rb.reductors;

/**
 * pyMOR's {@code SimpleCoerciveRBEstimator} (see {@link SimpleCoerciveRBReductor}): the residual
 * {@code f - sum_t theta_t(mu) sum_j u_j T_t v_j} is a linear combination of the {@code D = 1 +
 * (Q+1) k} vectors {@code [f, -T_0 v_0, ..., -T_0 v_{k-1}, -T_1 v_0, ...]} (the terms {@code T_0 =
 * B, T_{1+q} = A_q} with coefficients {@code theta = (1, mu_0, ..., mu_{Q-1})}), with coefficients
 * {@code C = [1, theta_0 u, theta_1 u, ...]}; with the Gram matrix {@code G_ab = (P^{-1} r_a)^T
 * r_b} of these vectors,
 *
 * <pre>
 *   ||res(mu)||^2 = C^T G C
 * </pre>
 *
 * at a cost of {@code O(D^2)} per parameter. As pyMOR's {@code induced_norm}: squares in {@code
 * (-1e-10, 0)} are clipped to 0, more negative squares are an error. The sum {@code C^T G C}
 * cancels: its relative round-off grows like {@code ||f||^2 / ||res||^2}, which is why pyMOR
 * recommends the residual basis.
 */
final class GramEstimator implements ReducedErrorEstimator {

  private static final long serialVersionUID = 1L;

  /** pyMOR's {@code induced_norm} tolerance. */
  static final double NEGATIVE_TOL = 1e-10;

  private final int k;
  private final int q;
  private final int d;

  /** {@code D x D}, row-major, in pyMOR's order. */
  private final double[] gram;

  GramEstimator(int k, int q, double[] gram) {
    this.k = k;
    this.q = q;
    this.d = 1 + (q + 1) * k;
    if (gram.length != d * d) {
      throw new IllegalArgumentException("Gram matrix must be " + d + "x" + d);
    }
    this.gram = gram;
  }

  /** A copy of the Gram matrix ({@code D x D}, row-major, pyMOR's order). */
  double[] gram() {
    return gram.clone();
  }

  @Override
  public ReducedErrorEstimator restrict(int dim) {
    int terms = q + 1;
    int dd = 1 + terms * dim;
    double[] g = new double[dd * dd];
    for (int a = 0; a < dd; a++) {
      int pa = index(a, dim, terms);
      for (int b = 0; b < dd; b++) {
        g[a * dd + b] = gram[pa * d + index(b, dim, terms)];
      }
    }
    return new GramEstimator(dim, q, g);
  }

  /** Component {@code a} of the restricted order ({@code 1 + t dim + j}) in this order. */
  private int index(int a, int dim, int terms) {
    if (a == 0) {
      return 0;
    }
    int t = (a - 1) / dim;
    int j = (a - 1) % dim;
    return 1 + t * k + j;
  }

  @Override
  public int scratchLength() {
    return d;
  }

  @Override
  public int residualRangeDim() {
    return 0;
  }

  @Override
  public int[] residualRangeDims() {
    return new int[0];
  }

  @Override
  public double residualNorm(double[] mu, double[] u, double[] c) {
    c[0] = 1.0;
    for (int t = 0; t <= q; t++) {
      double theta = t == 0 ? 1.0 : mu[t - 1];
      for (int j = 0; j < k; j++) {
        c[1 + t * k + j] = theta * u[j];
      }
    }
    double s = 0.0;
    for (int a = 0; a < d; a++) {
      double g = 0.0;
      int off = a * d;
      for (int b = 0; b < d; b++) {
        g += gram[off + b] * c[b];
      }
      s += c[a] * g;
    }
    if (s < 0.0) {
      if (s > -NEGATIVE_TOL) {
        s = 0.0;
      } else {
        throw new ArithmeticException("norm is negative (square = " + s + ")");
      }
    }
    return Math.sqrt(s);
  }
}
