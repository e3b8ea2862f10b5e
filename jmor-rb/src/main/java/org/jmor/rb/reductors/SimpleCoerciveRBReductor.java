package org.jmor.rb.reductors;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jmor.discretizer.models.Product;
import org.jmor.discretizer.models.StationaryModel;
import org.jmor.parallel.WorkerPool;
import org.jspecify.annotations.Nullable;

/**
 * Reduced basis reductor for coercive affine {@link StationaryModel}s with the traditional error
 * estimator: pyMOR's {@code SimpleCoerciveRBReductor} ({@code --reductor traditional} in the
 * thermal-block demo).
 *
 * <p>The basis, its extension and the Galerkin projection are those of {@link CoerciveRBReductor}
 * (shared in {@link StationaryRBReductor}); only the error estimator differs. It is assembled from
 * the affine decomposition directly: the residual {@code f - sum_t theta_t(mu) T_t V u_N} ({@code
 * T_0 = B}, {@code T_{1+q} = A_q}, {@code theta = (1, mu_0, ..., mu_{Q-1})}) is a linear
 * combination of the {@code 1 + (Q+1) k} vectors {@code f} and {@code -T_t v_j}, and the reduced
 * model keeps the Gram matrix {@code G_ab = (P^{-1} r_a)^T r_b} of these vectors in their dual
 * product (see {@link GramEstimator}): {@code ||res(mu)||^2 = C^T G C}.
 *
 * <h2>Offline work</h2>
 *
 * Per new basis vector {@code v_j}: its images {@code T_t v_j} (cached, sparse), their Riesz
 * representatives {@code P^{-1} T_t v_j} (on the pool with a {@link WorkerPool#isParallel()
 * parallel} pool: one group of terms per worker; {@code B v_j = 0} needs no solve), and the new
 * entries of the Gram matrix, each the Riesz representative of the later vector against the
 * (sparse) earlier vector; nothing else of size {@code n} is kept: only the {@code O(((Q+1) k)^2)}
 * entries. pyMOR computes {@code G_ab} as {@code (P^{-1} r_a)^T r_b} for every pair and keeps the
 * vectors; the two agree up to round-off. The arithmetic is the same on every pool, so the reduced
 * model is bit-identical to the serial one.
 *
 * <p>pyMOR recommends the residual basis for numerical stability: {@code C^T G C} cancels once the
 * residual is small against {@code ||f||}, so the estimate's relative round-off grows like {@code
 * eps (||f|| / ||res||)^2}.
 *
 * <p>A reductor is mutable and not thread-safe; the reduced models and {@link #reducedBasis() basis
 * snapshots} it returns are immutable and serializable.
 */
public final class SimpleCoerciveRBReductor extends StationaryRBReductor {

  /**
   * Lower triangle of the Gram matrix in insertion order: component 0 is {@code f}, component
   * {@code 1 + j (Q+1) + t} is {@code -T_t v_j}; row {@code a} has {@code a + 1} entries.
   */
  private final List<double[]> gramRows = new ArrayList<>();

  /** Number of basis vectors whose components are in {@link #gramRows}. */
  private int processed;

  private SimpleCoerciveRBReductor(
      StationaryModel fom, Product product, ParameterFunctional coercivityBound) {
    super(fom, product, coercivityBound);
  }

  /**
   * Creates a reductor with an empty basis.
   *
   * @param fom the full-order model
   * @param product the RB product {@code P} (orthonormalization, Riesz representatives)
   * @param coercivityBound the coercivity lower bound {@code alpha(mu)}
   * @return the reductor
   * @throws IllegalArgumentException if {@code P} is singular (e.g. {@code H1_SEMI})
   */
  public static SimpleCoerciveRBReductor of(
      StationaryModel fom, Product product, ParameterFunctional coercivityBound) {
    Objects.requireNonNull(fom, "fom");
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(coercivityBound, "coercivityBound");
    return new SimpleCoerciveRBReductor(fom, product, coercivityBound);
  }

  /**
   * The reductor of pyMOR's thermalblock demo with {@code --reductor traditional}: product {@code
   * h1_0_semi}, coercivity bound {@code min_q mu_q}.
   *
   * @param fom the full-order model
   * @return the reductor
   */
  public static SimpleCoerciveRBReductor forThermalBlock(StationaryModel fom) {
    return of(fom, Product.H1_0_SEMI, ParameterFunctional.minComponent());
  }

  @Override
  ReducedErrorEstimator assembleErrorEstimator(@Nullable WorkerPool pool) {
    if (gramRows.isEmpty()) {
      gramRows.add(new double[] {ProductBasis.dot(riesz.solve(rhs), rhs)});
    }
    int k = basis.len();
    int terms = q + 1;
    for (; processed < k; processed++) {
      int j = processed;
      SparseVector[] img = images(j);
      List<SparseVector> nonzero = new ArrayList<>(terms);
      for (SparseVector w : img) {
        if (!w.isZero()) {
          nonzero.add(w);
        }
      }
      List<double[]> rr = rieszRepresentatives(nonzero, pool);
      for (int t = 0, c = 0; t < terms; t++) {
        int a = 1 + j * terms + t;
        double[] row = new double[a + 1];
        if (!img[t].isZero()) {
          // P^{-1}(-T v) against f; P^{-1}(-T v) against -T' v' = P^{-1}(T v) against T' v'
          double[] w = rr.get(c++);
          row[0] = -ProductBasis.dot(w, rhs);
          for (int b = 1; b < a; b++) {
            row[b] = images((b - 1) / terms)[(b - 1) % terms].dot(w);
          }
          row[a] = img[t].dot(w);
        } // else P^{-1} 0 = 0: the row is zero
        gramRows.add(row);
      }
    }
    // pyMOR's order: f, then term-major, basis-vector-minor
    int d = 1 + terms * k;
    double[] gram = new double[d * d];
    for (int a = 0; a < d; a++) {
      int pa = pymorIndex(a, k, terms);
      double[] row = gramRows.get(a);
      for (int b = 0; b <= a; b++) {
        int pb = pymorIndex(b, k, terms);
        gram[pa * d + pb] = row[b];
        gram[pb * d + pa] = row[b];
      }
    }
    return new GramEstimator(k, q, gram);
  }

  /** Insertion index ({@code 0} or {@code 1 + j (Q+1) + t}) to pyMOR's ({@code 1 + t k + j}). */
  private static int pymorIndex(int a, int k, int terms) {
    if (a == 0) {
      return 0;
    }
    int j = (a - 1) / terms;
    int t = (a - 1) % terms;
    return 1 + t * k + j;
  }

  @Override
  public String toString() {
    return "SimpleCoerciveRBReductor("
        + fom
        + ", product "
        + product.pymorName()
        + ", basis size "
        + basisSize()
        + ")";
  }
}
