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
 * What the reduced-basis reductors for coercive affine {@link StationaryModel}s share (pyMOR's
 * {@code StationaryRBReductor}): the basis and its extension, the Galerkin projection {@code
 * A_{N,q} = V^T A_q V}, {@code B_N = V^T B V}, {@code f_N = V^T f}, the cached images {@code B
 * v_j}, {@code A_q v_j} of the basis vectors and the cached reduced model. The subclasses add the
 * offline data of the error estimator: {@link CoerciveRBReductor} (residual basis, pyMOR's {@code
 * CoerciveRBReductor}) and {@link SimpleCoerciveRBReductor} (Gram matrix of the affine components,
 * pyMOR's {@code SimpleCoerciveRBReductor}). {@link org.jmor.rb.algorithms.RbGreedy} and the
 * thermal-block demo work with either.
 *
 * <p>A reductor is mutable and not thread-safe; the reduced models and {@link #reducedBasis() basis
 * snapshots} it returns are immutable and serializable (they are what travels to workers).
 */
public abstract sealed class StationaryRBReductor
    permits CoerciveRBReductor, SimpleCoerciveRBReductor {

  private static final double ALMOST_EQUAL_TOL = 1e-14;

  final StationaryModel fom;
  final Product product;
  final LinearSolver riesz;
  final @Nullable ProductOperator productOperator;
  final ParameterFunctional coercivityBound;
  final int n;
  final int q;
  final double[] rhs;
  final ProductBasis basis;

  /**
   * Per basis vector {@code j}: {@code [B v_j, A_0 v_j, ..., A_{Q-1} v_j]}, stored sparsely (each
   * {@code A_q v_j} lives on block {@code q} only, {@code B v_j} is zero).
   */
  private final List<SparseVector[]> operatorImages = new ArrayList<>();

  /** Per basis vector {@code j}, per term {@code t}: {@code v_i^T (T_t v_j)} for {@code i < k}. */
  private final List<double[][]> basisDots = new ArrayList<>();

  private double[] rhsBasisDots = new double[0];
  private @Nullable ReducedModel lastRom;
  private @Nullable ReducedBasis lastBasis;

  StationaryRBReductor(StationaryModel fom, Product product, ParameterFunctional coercivityBound) {
    this.fom = Objects.requireNonNull(fom, "fom");
    this.product = Objects.requireNonNull(product, "product");
    this.coercivityBound = Objects.requireNonNull(coercivityBound, "coercivityBound");
    this.n = fom.dofs();
    this.q = fom.parameterDimension();
    this.rhs = fom.rhs();
    @Nullable ProductOperator p =
        product == Product.EUCLIDEAN ? null : fom.productOperator(product);
    this.riesz = fom.productSolver(product);
    this.productOperator = p;
    this.basis = new ProductBasis(n, p);
  }

  /**
   * @return the full-order model
   */
  public final StationaryModel fom() {
    return fom;
  }

  /**
   * @return the RB product
   */
  public final Product product() {
    return product;
  }

  /**
   * @return the coercivity lower bound {@code alpha(mu)}
   */
  public final ParameterFunctional coercivityBound() {
    return coercivityBound;
  }

  /**
   * @return the number of basis vectors {@code k}
   */
  public final int basisSize() {
    return basis.len();
  }

  /**
   * @return a copy of the basis as a {@link VectorArray}
   */
  public final VectorArray basis() {
    return reducedBasis().toVectorArray();
  }

  /**
   * @return an immutable snapshot of the current basis, for reconstruction
   */
  public final ReducedBasis reducedBasis() {
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
  public final double[] reconstruct(double[] reducedCoefficients) {
    return reducedBasis().reconstruct(reducedCoefficients);
  }

  /**
   * The Gram–Schmidt state of the basis (the vectors and their images under the RB product), for a
   * checkpoint: {@link #restoreBasis} on a new reductor of the same kind, model, product and
   * coercivity bound continues bit for bit. The offline data of the error estimator are not part of
   * it: the next {@link #reduce} recomputes them from the basis with the same arithmetic.
   *
   * @return a copy of the state
   */
  public final BasisState basisState() {
    double[][] v = new double[basis.len()][];
    double[][] w = new double[basis.len()][];
    for (int j = 0; j < v.length; j++) {
      v[j] = basis.vector(j);
      w[j] = basis.image(j);
    }
    return new BasisState(n, v, w);
  }

  /**
   * Sets the basis of a reductor that has none to a saved {@link #basisState() state}, as it is (no
   * orthonormalization, no check). The next {@link #reduce} computes the offline data.
   *
   * <p>Not modified: {@code state} (copied).
   *
   * @param state the saved state
   * @throws IllegalStateException if this reductor already has basis vectors
   * @throws IllegalArgumentException if the vectors do not have the model's length
   */
  public final void restoreBasis(BasisState state) {
    Objects.requireNonNull(state, "state");
    if (basis.len() != 0) {
      throw new IllegalStateException(
          "restoreBasis needs an empty basis; this reductor has " + basis.len() + " vectors");
    }
    if (state.dim() != n) {
      throw new IllegalArgumentException(
          "the saved basis has vectors of length " + state.dim() + ", the model " + n);
    }
    for (int j = 0; j < state.len(); j++) {
      basis.appendWithImage(state.vector(j), state.image(j));
    }
    lastRom = null;
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
  public final void extendBasis(double[] u, BasisExtension method) {
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
   * Builds (or returns the cached) reduced model for the current basis; serial. Same as {@code
   * reduce(null)}.
   *
   * @return the reduced model
   * @throws ArithmeticException if the offline data of the error estimator cannot be built (e.g. a
   *     residual range basis that fails the orthonormality check)
   */
  public final ReducedModel reduce() {
    return reduce(null);
  }

  /**
   * Builds (or returns the cached) reduced model for the current basis, bringing the offline data
   * of the error estimator up to date first. With a {@link WorkerPool#isParallel() parallel} pool,
   * the Riesz representatives of the images of a new basis vector are computed on the pool; the
   * arithmetic is the same on every pool, so the reduced model is bit-identical to the serial one.
   *
   * <p>The full-order model is passed to the pool as an argument: push it first ({@link
   * WorkerPool#push}) so that remote pools receive it once. A {@link CoerciveRBReductor} keeps its
   * residual range basis on the pool's workers between calls, sending only the vectors added since
   * the last call; {@link #releaseWorkers()} removes it.
   *
   * @param pool the pool, or null (or a sequential pool) for the serial computation
   * @return the reduced model
   * @throws ArithmeticException if the offline data of the error estimator cannot be built
   * @throws org.jmor.parallel.RemoteExecutionException if a task fails on a worker
   */
  public final ReducedModel reduce(@Nullable WorkerPool pool) {
    if (lastRom != null) {
      return lastRom;
    }
    ReducedErrorEstimator estimator =
        assembleErrorEstimator(pool != null && pool.isParallel() ? pool : null);
    int k = basis.len();
    int terms = q + 1;
    updateProjections();
    double[] ops = new double[terms * k * k];
    for (int j = 0; j < k; j++) {
      double[][] vd = basisDots.get(j);
      for (int t = 0; t < terms; t++) {
        for (int i = 0; i < k; i++) {
          ops[t * k * k + i * k + j] = vd[t][i];
        }
      }
    }
    double[] fN = Arrays.copyOf(rhsBasisDots, k);
    lastRom = new ReducedModel(k, q, ops, fN, coercivityBound, estimator);
    return lastRom;
  }

  /**
   * Removes what {@link #reduce(WorkerPool)} keeps on a pool's workers between calls (the {@link
   * CoerciveRBReductor}'s residual range basis, sent once as it grows); the next {@code
   * reduce(pool)} sends it again. Call it when the pool is no longer used for this reductor;
   * closing the pool removes it too. Idempotent; a no-op if nothing is kept.
   *
   * @throws org.jmor.parallel.WorkerLostException if a worker is lost while removing
   */
  public void releaseWorkers() {}

  /**
   * pyMOR's {@code reductor.reduce(dims)}: the reduced model of the first {@code dim} basis
   * vectors, restricted from the model of the whole basis ({@link #reduce()} first, serial).
   * Bit-identical to the model of a reductor given only those vectors, and cheap: no solves once
   * the whole basis is reduced.
   *
   * @param dim the reduced dimension, {@code 0 <= dim <= basisSize()}
   * @return the reduced model of dimension {@code dim}
   * @throws IllegalArgumentException if {@code dim} is out of range
   * @throws ArithmeticException if the offline data of the error estimator cannot be built
   */
  public final ReducedModel reduce(int dim) {
    if (dim < 0 || dim > basis.len()) {
      throw new IllegalArgumentException(
          "dim must be in [0, " + basis.len() + "] (the basis size), got " + dim);
    }
    return reduce().restrict(dim);
  }

  /**
   * @return the kind of this reductor ({@link CoerciveRBReductor} or {@link
   *     SimpleCoerciveRBReductor})
   */
  public final ReductorKind kind() {
    return this instanceof CoerciveRBReductor
        ? ReductorKind.RESIDUAL_BASIS
        : ReductorKind.TRADITIONAL;
  }

  /**
   * Brings the offline data of the error estimator up to date with the basis and returns it.
   *
   * @param pool a parallel pool, or null for the serial computation
   * @return the estimator's data for the current basis
   */
  abstract ReducedErrorEstimator assembleErrorEstimator(@Nullable WorkerPool pool);

  /**
   * The images {@code [B v_j, A_0 v_j, ..., A_{Q-1} v_j]} of basis vector {@code j}, computed once
   * (in order of {@code j}) and cached.
   */
  final SparseVector[] images(int j) {
    if (j < operatorImages.size()) {
      return operatorImages.get(j);
    }
    if (j != operatorImages.size() || j >= basis.len()) {
      throw new IllegalStateException("images of basis vector " + j + " out of order");
    }
    double[] v = basis.vector(j);
    SparseVector[] img = new SparseVector[q + 1];
    img[0] = SparseVector.of(fom.boundaryPart().apply(v));
    for (int t = 0; t < q; t++) {
      CscMatrix a = fom.operator(t);
      img[t + 1] = SparseVector.of(a.apply(v));
    }
    operatorImages.add(img);
    return img;
  }

  /**
   * Brings the cached Euclidean projections up to date: {@code v_i^T (T v_j)} for every term {@code
   * T} in {@code B, A_0, ...}, and {@code v_i^T f}; only entries involving new vectors are
   * computed.
   */
  private void updateProjections() {
    int k = basis.len();
    if (rhsBasisDots.length != k) {
      double[] out = Arrays.copyOf(rhsBasisDots, k);
      for (int i = rhsBasisDots.length; i < k; i++) {
        out[i] = ProductBasis.dot(basis.vector(i), rhs);
      }
      rhsBasisDots = out;
    }
    for (int j = 0; j < k; j++) {
      if (j == basisDots.size()) {
        basisDots.add(new double[q + 1][0]);
      }
      SparseVector[] img = images(j);
      double[][] vd = basisDots.get(j);
      for (int t = 0; t <= q; t++) {
        vd[t] = extend(vd[t], k, basis, img[t]);
      }
    }
  }

  /** {@code dots} extended to {@code [vectors_i^T w for i < len]}. */
  static double[] extend(double[] dots, int len, ProductBasis vectors, SparseVector w) {
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
   * The Riesz representatives {@code P^{-1} w} of nonzero images, on the pool (one group of
   * consecutive images per worker) or serially; each result is the same either way.
   */
  final List<double[]> rieszRepresentatives(List<SparseVector> images, @Nullable WorkerPool pool) {
    List<double[]> out = new ArrayList<>(images.size());
    if (pool != null && images.size() > 1) {
      int groups = Math.min(pool.size(), images.size());
      List<SparseVector[]> split = new ArrayList<>(groups);
      for (int g = 0; g < groups; g++) {
        split.add(
            images
                .subList(g * images.size() / groups, (g + 1) * images.size() / groups)
                .toArray(new SparseVector[0]));
      }
      for (double[][] part : pool.map(new RieszSolveTask(), split, fom, product)) {
        out.addAll(Arrays.asList(part));
      }
    } else {
      for (SparseVector w : images) {
        out.add(riesz.solve(w.toDense(n)));
      }
    }
    return out;
  }

  /**
   * Worker task of {@link #rieszRepresentatives}: {@code P^{-1} w} for a group of images.
   * Arguments: the full-order model, the RB product.
   */
  static final class RieszSolveTask implements MapTask<SparseVector[], double[][]> {
    private static final long serialVersionUID = 1L;

    @Override
    public double[][] run(WorkerContext context, SparseVector[] images, Args args) {
      StationaryModel fom = args.get(0, StationaryModel.class);
      Product product = args.get(1, Product.class);
      LinearSolver solver = fom.productSolver(product);
      double[][] out = new double[images.length][];
      for (int i = 0; i < images.length; i++) {
        out[i] = solver.solve(images[i].toDense(fom.dofs()));
      }
      return out;
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
}
