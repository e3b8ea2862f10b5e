package org.jmor.rb.reductors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jmor.discretizer.models.Product;
import org.jmor.discretizer.models.StationaryModel;
import org.jmor.discretizer.operators.CscMatrix;
import org.jmor.discretizer.operators.LinearSolver;
import org.jmor.parallel.Args;
import org.jmor.parallel.MapTask;
import org.jmor.parallel.WorkerContext;
import org.jmor.parallel.WorkerPool;
import org.jmor.vectors.ProductOperator;
import org.jmor.vectors.VectorArray;
import org.jspecify.annotations.Nullable;

/**
 * Reduced basis reductor for coercive affine {@link StationaryModel}s with the residual-basis error
 * estimator: pyMOR's {@code CoerciveRBReductor} with {@code ResidualReductor} and {@code
 * estimate_image_hierarchical} ({@code riesz_representatives=True}).
 *
 * <h2>Basis</h2>
 *
 * The reduced basis {@code V = [v_0, ..., v_{k-1}]} is extended by {@link #extendBasis} with
 * Gram–Schmidt in the RB product {@code P} (so {@code V^T P V = I}) or trivially.
 *
 * <h2>Residual range</h2>
 *
 * A {@code P}-orthonormal basis {@code R} of the range of the Riesz representative of the residual,
 * built incrementally by {@link #reduce()}: first {@code P^{-1} f}, then for every basis vector
 * {@code v_i} not yet processed, in order, {@code P^{-1} B v_i, P^{-1} A_0 v_i, ..., P^{-1} A_{Q-1}
 * v_i}, each batch appended and orthonormalized by {@link GramSchmidt} in {@code P} with the
 * orthonormality check. Vectors that are zero ({@code P^{-1} B v_i}, as {@code v_i} vanishes on the
 * Dirichlet boundary) or linearly dependent are dropped. The Riesz representatives of a batch and
 * their first Gram–Schmidt pass against the vectors kept before the batch can be computed on a
 * worker pool ({@link #reduce(WorkerPool)}); the results are bit-identical to the serial
 * computation.
 *
 * <h2>Reduced model</h2>
 *
 * {@link #reduce()} returns a {@link ReducedModel} with {@code A_{N,q} = V^T A_q V}, {@code B_N =
 * V^T B V}, {@code f_N = V^T f} and {@code R_B = R^T B V}, {@code R_q = R^T A_q V}, {@code r_f =
 * R^T f} (Euclidean transposes; the product cancels). The images {@code B v_j} and {@code A_q v_j}
 * are computed once per basis vector (by the next {@code reduce}) and cached; the reduced model is
 * cached until the next extension.
 *
 * <p>A reductor is mutable and not thread-safe; the reduced models and {@link #reducedBasis() basis
 * snapshots} it returns are immutable.
 */
public final class CoerciveRBReductor {

  private static final double ALMOST_EQUAL_TOL = 1e-14;

  private final StationaryModel fom;
  private final Product product;
  private final LinearSolver riesz;
  private final @Nullable ProductOperator productOperator;
  private final ParameterFunctional coercivityBound;
  private final int n;
  private final int q;
  private final double[] rhs;
  private final ProductBasis basis;
  private final ProductBasis residualRange;
  private final List<Integer> residualRangeDims = new ArrayList<>();

  /**
   * Per basis vector {@code j}: {@code [B v_j, A_0 v_j, ..., A_{Q-1} v_j]}, stored sparsely (each
   * {@code A_q v_j} lives on block {@code q} only, {@code B v_j} is zero).
   */
  private final List<SparseVector[]> operatorImages = new ArrayList<>();

  /** Per basis vector {@code j}, per term {@code t}: {@code v_i^T (T_t v_j)} for {@code i < k}. */
  private final List<double[][]> basisDots = new ArrayList<>();

  /** Per basis vector {@code j}, per term {@code t}: {@code r_i^T (T_t v_j)} for {@code i < r}. */
  private final List<double[][]> residualDots = new ArrayList<>();

  private double[] rhsBasisDots = new double[0];
  private double[] rhsResidualDots = new double[0];
  private @Nullable ReducedModel lastRom;
  private @Nullable ReducedBasis lastBasis;

  private CoerciveRBReductor(
      StationaryModel fom, Product product, ParameterFunctional coercivityBound) {
    this.fom = fom;
    this.product = product;
    this.coercivityBound = coercivityBound;
    this.n = fom.dofs();
    this.q = fom.parameterDimension();
    this.rhs = fom.rhs();
    @Nullable ProductOperator p =
        product == Product.EUCLIDEAN ? null : fom.productOperator(product);
    this.riesz = fom.productSolver(product);
    this.productOperator = p;
    this.basis = new ProductBasis(n, p);
    this.residualRange = new ProductBasis(n, p);
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
  public static CoerciveRBReductor of(
      StationaryModel fom, Product product, ParameterFunctional coercivityBound) {
    Objects.requireNonNull(fom, "fom");
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(coercivityBound, "coercivityBound");
    return new CoerciveRBReductor(fom, product, coercivityBound);
  }

  /**
   * The reductor of pyMOR's thermalblock demo: product {@code h1_0_semi}, coercivity bound {@code
   * min_q mu_q}.
   *
   * @param fom the full-order model
   * @return the reductor
   */
  public static CoerciveRBReductor forThermalBlock(StationaryModel fom) {
    return of(fom, Product.H1_0_SEMI, ParameterFunctional.minComponent());
  }

  /**
   * @return the full-order model
   */
  public StationaryModel fom() {
    return fom;
  }

  /**
   * @return the RB product
   */
  public Product product() {
    return product;
  }

  /**
   * @return the number of basis vectors {@code k}
   */
  public int basisSize() {
    return basis.len();
  }

  /**
   * @return a copy of the basis as a {@link VectorArray}
   */
  public VectorArray basis() {
    return reducedBasis().toVectorArray();
  }

  /**
   * @return an immutable snapshot of the current basis, for reconstruction
   */
  public ReducedBasis reducedBasis() {
    ReducedBasis b = lastBasis;
    if (b == null || b.len() != basis.len()) {
      double[] data = new double[basis.len() * n];
      for (int j = 0; j < basis.len(); j++) {
        System.arraycopy(basis.vector(j), 0, data, j * n, n);
      }
      b = new ReducedBasis(basis.len(), n, data);
      lastBasis = b;
    }
    return b;
  }

  /**
   * Returns {@code V u_N}.
   *
   * @param reducedCoefficients {@code u_N}, length {@code k}; not modified
   * @return a new full-order vector
   */
  public double[] reconstruct(double[] reducedCoefficients) {
    return reducedBasis().reconstruct(reducedCoefficients);
  }

  /**
   * Adds a snapshot to the basis (pyMOR's {@code extend_basis} with one vector).
   *
   * <p>Not modified: {@code u} (it is copied).
   *
   * @param u the snapshot, length {@code n}
   * @param method {@link BasisExtension#GRAM_SCHMIDT} or {@link BasisExtension#TRIVIAL}
   * @throws ExtensionException if no vector was added (the basis is unchanged)
   * @throws IllegalArgumentException if the length is wrong
   */
  public void extendBasis(double[] u, BasisExtension method) {
    Objects.requireNonNull(method, "method");
    if (u.length != n) {
      throw new IllegalArgumentException("snapshot must have length " + n + ", got " + u.length);
    }
    int before = basis.len();
    switch (method) {
      case GRAM_SCHMIDT:
        basis.appendOrthonormalized(List.of(u.clone()), false);
        break;
      case TRIVIAL:
        if (!almostEqualToABasisVector(u)) {
          basis.appendRaw(u.clone());
        }
        break;
      default:
        throw new AssertionError(method);
    }
    if (basis.len() == before) {
      throw new ExtensionException(
          "snapshot was not added to the basis of size "
              + before
              + " ("
              + (method == BasisExtension.TRIVIAL
                  ? "equal to a basis vector"
                  : "linearly dependent")
              + ")");
    }
    lastRom = null;
  }

  /**
   * Builds (or returns the cached) reduced model for the current basis, extending the residual
   * range basis first; serial. Same as {@code reduce(null)}.
   *
   * @return the reduced model
   * @throws ArithmeticException if the residual range basis fails the orthonormality check
   */
  public ReducedModel reduce() {
    return reduce(null);
  }

  /**
   * Builds (or returns the cached) reduced model for the current basis, extending the residual
   * range basis first. With a {@link WorkerPool#isParallel() parallel} pool, the work that is
   * independent for each term {@code T} of a new basis vector {@code v}, i.e. the image {@code T
   * v}, the Riesz representative {@code P^{-1} T v}, its norm and its first Gram–Schmidt pass
   * against the residual range basis built so far, runs on the pool ({@link WorkerPool#map map}
   * over the {@code Q+1} terms), and so does the orthonormality check; the rest of the Gram–Schmidt
   * algorithm runs on the caller. The arithmetic is the same on every pool, so the reduced model is
   * bit-identical to the serial one.
   *
   * <p>The full-order model is passed to the pool as an argument: push it first ({@link
   * WorkerPool#push}) so that remote pools receive it once.
   *
   * @param pool the pool, or null (or a sequential pool) for the serial computation
   * @return the reduced model
   * @throws ArithmeticException if the residual range basis fails the orthonormality check
   * @throws org.jmor.parallel.RemoteExecutionException if a task fails on a worker
   */
  public ReducedModel reduce(@Nullable WorkerPool pool) {
    if (lastRom != null) {
      return lastRom;
    }
    extendResidualRange(pool != null && pool.isParallel() ? pool : null);
    int k = basis.len();
    int r = residualRange.len();
    int terms = q + 1;
    updateProjections();
    double[] ops = new double[terms * k * k];
    double[] resOps = new double[terms * r * k];
    for (int j = 0; j < k; j++) {
      double[][] vd = basisDots.get(j);
      double[][] rd = residualDots.get(j);
      for (int t = 0; t < terms; t++) {
        for (int i = 0; i < k; i++) {
          ops[t * k * k + i * k + j] = vd[t][i];
        }
        for (int i = 0; i < r; i++) {
          resOps[t * r * k + i * k + j] = rd[t][i];
        }
      }
    }
    double[] fN = Arrays.copyOf(rhsBasisDots, k);
    double[] rf = Arrays.copyOf(rhsResidualDots, r);
    int[] dims = residualRangeDims.stream().mapToInt(Integer::intValue).toArray();
    lastRom = new ReducedModel(k, q, r, ops, fN, resOps, rf, coercivityBound, dims);
    return lastRom;
  }

  /**
   * Brings the cached Euclidean projections up to date: {@code v_i^T (T v_j)} and {@code r_i^T (T
   * v_j)} for every term {@code T} in {@code B, A_0, ...}, and {@code v_i^T f}, {@code r_i^T f};
   * only entries involving new vectors are computed.
   */
  private void updateProjections() {
    int k = basis.len();
    int r = residualRange.len();
    rhsBasisDots = extend(rhsBasisDots, k, basis);
    rhsResidualDots = extend(rhsResidualDots, r, residualRange);
    for (int j = 0; j < k; j++) {
      if (j == basisDots.size()) {
        basisDots.add(new double[q + 1][0]);
        residualDots.add(new double[q + 1][0]);
      }
      SparseVector[] img = operatorImages.get(j);
      double[][] vd = basisDots.get(j);
      double[][] rd = residualDots.get(j);
      for (int t = 0; t <= q; t++) {
        vd[t] = extend(vd[t], k, basis, img[t]);
        rd[t] = extend(rd[t], r, residualRange, img[t]);
      }
    }
  }

  /** {@code dots} extended to {@code [vectors_i^T f for i < len]}. */
  private double[] extend(double[] dots, int len, ProductBasis vectors) {
    if (dots.length == len) {
      return dots;
    }
    double[] out = Arrays.copyOf(dots, len);
    for (int i = dots.length; i < len; i++) {
      out[i] = ProductBasis.dot(vectors.vector(i), rhs);
    }
    return out;
  }

  /** {@code dots} extended to {@code [vectors_i^T w for i < len]}. */
  private static double[] extend(double[] dots, int len, ProductBasis vectors, SparseVector w) {
    if (dots.length == len) {
      return dots;
    }
    double[] out = Arrays.copyOf(dots, len);
    for (int i = dots.length; i < len; i++) {
      out[i] = w.dot(vectors.vector(i));
    }
    return out;
  }

  /**
   * @return the sizes of the residual range after the rhs and after each basis vector
   */
  public int[] residualRangeDims() {
    return residualRangeDims.stream().mapToInt(Integer::intValue).toArray();
  }

  private void extendResidualRange(@Nullable WorkerPool pool) {
    if (residualRangeDims.isEmpty()) {
      residualRange.appendOrthonormalized(List.of(riesz.solve(rhs)), true);
      residualRangeDims.add(residualRange.len());
    }
    for (int j = residualRangeDims.size() - 1; j < basis.len(); j++) {
      ProductBasis.Snapshot range = residualRange.snapshot();
      SparseVector[] img = images(basis.vector(j));
      // P^{-1} 0 = 0 exactly (B v_j vanishes): no solve, the vector is dropped
      List<SparseVector> nonzero = new ArrayList<>(img.length);
      for (SparseVector w : img) {
        if (!w.isZero()) {
          nonzero.add(w);
        }
      }
      List<ProductBasis.Candidate> prepared;
      if (pool != null && nonzero.size() > 1) {
        // one group of consecutive images per worker
        int groups = Math.min(pool.size(), nonzero.size());
        List<SparseVector[]> split = new ArrayList<>(groups);
        for (int g = 0; g < groups; g++) {
          split.add(
              nonzero
                  .subList(g * nonzero.size() / groups, (g + 1) * nonzero.size() / groups)
                  .toArray(new SparseVector[0]));
        }
        prepared = new ArrayList<>(nonzero.size());
        for (List<ProductBasis.Candidate> part :
            pool.map(new RieszTask(), split, fom, product, range)) {
          prepared.addAll(part);
        }
      } else {
        prepared = rieszCandidates(riesz, productOperator, nonzero, range);
      }
      List<ProductBasis.Candidate> candidates = new ArrayList<>(img.length);
      for (int t = 0, c = 0; t < img.length; t++) {
        candidates.add(img[t].isZero() ? ProductBasis.Candidate.DROPPED : prepared.get(c++));
      }
      if (operatorImages.size() != j) {
        throw new IllegalStateException("images of basis vector " + j + " out of order");
      }
      operatorImages.add(img);
      int offset = residualRange.len();
      residualRange.appendPrepared(candidates);
      residualRange.check(offset);
      residualRangeDims.add(residualRange.len());
    }
  }

  /** {@code [B v, A_0 v, ..., A_{Q-1} v]}, sparse. */
  private SparseVector[] images(double[] v) {
    SparseVector[] img = new SparseVector[q + 1];
    img[0] = SparseVector.of(fom.boundaryPart().apply(v));
    for (int t = 0; t < q; t++) {
      CscMatrix a = fom.operator(t);
      img[t + 1] = SparseVector.of(a.apply(v));
    }
    return img;
  }

  /**
   * The Riesz representatives {@code P^{-1} w} of the images, prepared for Gram–Schmidt against
   * {@code range} ({@link ProductBasis#prepare}). Each result is the same whichever images are
   * computed together.
   */
  static List<ProductBasis.Candidate> rieszCandidates(
      LinearSolver solver,
      @Nullable ProductOperator p,
      List<SparseVector> images,
      ProductBasis.Snapshot range) {
    List<double[]> riesz = new ArrayList<>(images.size());
    for (SparseVector w : images) {
      riesz.add(solver.solve(w.toDense(range.n)));
    }
    return ProductBasis.prepare(riesz, p, range);
  }

  /**
   * Worker task of {@link #reduce(WorkerPool)}: {@link #rieszCandidates} for a group of images.
   * Arguments: the full-order model, the RB product, the residual range snapshot.
   */
  static final class RieszTask implements MapTask<SparseVector[], List<ProductBasis.Candidate>> {
    private static final long serialVersionUID = 1L;

    @Override
    public List<ProductBasis.Candidate> run(
        WorkerContext context, SparseVector[] images, Args args) {
      StationaryModel fom = args.get(0, StationaryModel.class);
      Product product = args.get(1, Product.class);
      ProductBasis.Snapshot range = args.get(2, ProductBasis.Snapshot.class);
      @Nullable ProductOperator p =
          product == Product.EUCLIDEAN ? null : fom.productOperator(product);
      return rieszCandidates(fom.productSolver(product), p, Arrays.asList(images), range);
    }
  }

  /** pyMOR's {@code almost_equal(u, basis)}: {@code ||u - v||_2 <= atol + ||v||_2 rtol}. */
  private boolean almostEqualToABasisVector(double[] u) {
    for (int j = 0; j < basis.len(); j++) {
      double[] v = basis.vector(j);
      double vv = 0.0;
      double dd = 0.0;
      for (int i = 0; i < n; i++) {
        vv += v[i] * v[i];
        double d = v[i] - u[i];
        dd += d * d;
      }
      if (Math.sqrt(dd) <= ALMOST_EQUAL_TOL + Math.sqrt(vv) * ALMOST_EQUAL_TOL) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "CoerciveRBReductor("
        + fom
        + ", product "
        + product.pymorName()
        + ", basis size "
        + basis.len()
        + ", residual range "
        + residualRange.len()
        + ")";
  }
}
