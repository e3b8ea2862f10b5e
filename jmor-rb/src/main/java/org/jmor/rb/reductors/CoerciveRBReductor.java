package org.jmor.rb.reductors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jmor.discretizer.models.Product;
import org.jmor.discretizer.models.StationaryModel;
import org.jmor.discretizer.operators.LinearSolver;
import org.jmor.parallel.Args;
import org.jmor.parallel.MapTask;
import org.jmor.parallel.RemoteObject;
import org.jmor.parallel.Task;
import org.jmor.parallel.WorkerContext;
import org.jmor.parallel.WorkerPool;
import org.jmor.vectors.ProductOperator;
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
 * <p>The basis, its extension and the Galerkin projection are shared with {@link
 * SimpleCoerciveRBReductor} in {@link StationaryRBReductor}. A reductor is mutable and not
 * thread-safe; the reduced models and {@link #reducedBasis() basis snapshots} it returns are
 * immutable.
 */
public final class CoerciveRBReductor extends StationaryRBReductor {

  private final ProductBasis residualRange;
  private final List<Integer> residualRangeDims = new ArrayList<>();

  /** Per basis vector {@code j}, per term {@code t}: {@code r_i^T (T_t v_j)} for {@code i < r}. */
  private final List<double[][]> residualDots = new ArrayList<>();

  private double[] rhsResidualDots = new double[0];

  /**
   * The residual range basis on the workers of the pool last given to {@link #reduce(WorkerPool)}
   * (each worker holds its own copy), and how many of its vectors they have: the vectors travel
   * once, as they are added, instead of the whole basis with every batch (several MB by the end of
   * a greedy search, which a remote pool then sends and decodes again for each basis vector).
   */
  private @Nullable WorkerPool remotePool;

  private @Nullable RemoteObject<RangeReplica> remoteRange;
  private int remoteLen;

  private CoerciveRBReductor(
      StationaryModel fom, Product product, ParameterFunctional coercivityBound) {
    super(fom, product, coercivityBound);
    this.residualRange = new ProductBasis(n, productOperator);
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
   * Extends the residual range basis (the work that is independent for each term {@code T} of a new
   * basis vector {@code v}, i.e. the image {@code T v}, the Riesz representative {@code P^{-1} T
   * v}, its norm and its first Gram–Schmidt pass against the residual range basis built so far,
   * runs on the pool, {@link WorkerPool#map map} over the {@code Q+1} terms, and so does the
   * orthonormality check; the rest of the Gram–Schmidt algorithm runs on the caller) and projects
   * the images and the right-hand side onto it.
   */
  @Override
  ReducedErrorEstimator assembleErrorEstimator(@Nullable WorkerPool pool) {
    extendResidualRange(pool);
    int k = basis.len();
    int r = residualRange.len();
    int terms = q + 1;
    if (rhsResidualDots.length != r) {
      double[] out = Arrays.copyOf(rhsResidualDots, r);
      for (int i = rhsResidualDots.length; i < r; i++) {
        out[i] = ProductBasis.dot(residualRange.vector(i), rhs);
      }
      rhsResidualDots = out;
    }
    for (int j = 0; j < k; j++) {
      if (j == residualDots.size()) {
        residualDots.add(new double[terms][0]);
      }
      SparseVector[] img = images(j);
      double[][] rd = residualDots.get(j);
      for (int t = 0; t < terms; t++) {
        rd[t] = extend(rd[t], r, residualRange, img[t]);
      }
    }
    double[] resOps = new double[terms * r * k];
    for (int j = 0; j < k; j++) {
      double[][] rd = residualDots.get(j);
      for (int t = 0; t < terms; t++) {
        for (int i = 0; i < r; i++) {
          resOps[t * r * k + i * k + j] = rd[t][i];
        }
      }
    }
    double[] rf = Arrays.copyOf(rhsResidualDots, r);
    return new ResidualBasisEstimator(k, q, r, resOps, rf, residualRangeDims());
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
      SparseVector[] img = images(j);
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
        RemoteObject<RangeReplica> remote = syncRange(pool, range);
        for (List<ProductBasis.Candidate> part :
            pool.map(new RieszTask(), split, fom, product, remote, range.len)) {
          prepared.addAll(part);
        }
      } else {
        prepared = rieszCandidates(riesz, productOperator, nonzero, range);
      }
      List<ProductBasis.Candidate> candidates = new ArrayList<>(img.length);
      for (int t = 0, c = 0; t < img.length; t++) {
        candidates.add(img[t].isZero() ? ProductBasis.Candidate.DROPPED : prepared.get(c++));
      }
      int offset = residualRange.len();
      residualRange.appendPrepared(candidates);
      residualRange.check(offset);
      residualRangeDims.add(residualRange.len());
    }
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
   * Brings the residual range basis on the pool's workers up to {@code range}: pushes an empty
   * replica the first time (or for another pool), then sends the vectors added since the last call.
   * A failure drops the replica, so that the next call starts again from an empty one.
   */
  private RemoteObject<RangeReplica> syncRange(WorkerPool pool, ProductBasis.Snapshot range) {
    RemoteObject<RangeReplica> remote = remoteRange;
    if (remote == null || remotePool != pool) {
      releaseWorkers();
      remote = pool.push(new RangeReplica(n));
      remoteRange = remote;
      remotePool = pool;
      remoteLen = 0;
    }
    if (remoteLen < range.len) {
      try {
        pool.apply(
            new AppendRange(),
            remote,
            remoteLen,
            Arrays.copyOfRange(range.vectors, remoteLen, range.len),
            Arrays.copyOfRange(range.images, remoteLen, range.len));
      } catch (RuntimeException e) {
        releaseQuietly(e);
        throw e;
      }
      remoteLen = range.len;
    }
    return remote;
  }

  private void releaseQuietly(RuntimeException cause) {
    try {
      releaseWorkers();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  @Override
  public void releaseWorkers() {
    RemoteObject<RangeReplica> remote = remoteRange;
    remoteRange = null;
    remotePool = null;
    remoteLen = 0;
    if (remote != null) {
      remote.remove();
    }
  }

  /**
   * A worker's copy of the residual range basis: the vectors and their images under the product,
   * appended in order by {@link AppendRange} (mutable, so that each worker holds its own copy).
   */
  static final class RangeReplica implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final int n;
    final List<double[]> vectors = new ArrayList<>();
    final List<double[]> images = new ArrayList<>();

    RangeReplica(int n) {
      this.n = n;
    }

    /** The first {@code len} vectors, as the caller's snapshot of the same length. */
    ProductBasis.Snapshot snapshot(int len) {
      if (len < 0 || len > vectors.size()) {
        throw new IllegalStateException(
            "the worker's residual range basis has "
                + vectors.size()
                + " vectors, the caller expects "
                + len);
      }
      return new ProductBasis.Snapshot(
          n,
          len,
          vectors.subList(0, len).toArray(new double[0][]),
          images.subList(0, len).toArray(new double[0][]));
    }
  }

  /**
   * Worker task of {@link #syncRange}: appends vectors to the worker's {@link RangeReplica}.
   * Arguments: the replica, the number of vectors it must already hold, the new vectors, their
   * images.
   */
  static final class AppendRange implements Task<Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer run(WorkerContext context, Args args) {
      RangeReplica r = args.get(0, RangeReplica.class);
      int offset = args.get(1, Integer.class);
      double[][] v = args.get(2, double[][].class);
      double[][] w = args.get(3, double[][].class);
      if (r.vectors.size() != offset || v.length != w.length) {
        throw new IllegalStateException(
            "worker "
                + context.workerIndex()
                + ": the residual range basis has "
                + r.vectors.size()
                + " vectors, the caller appends at "
                + offset);
      }
      r.vectors.addAll(Arrays.asList(v));
      r.images.addAll(Arrays.asList(w));
      return r.vectors.size();
    }
  }

  /**
   * Worker task of {@link #reduce(WorkerPool)}: {@link #rieszCandidates} for a group of images.
   * Arguments: the full-order model, the RB product, the worker's {@link RangeReplica}, the number
   * of its vectors to prepare against.
   */
  static final class RieszTask implements MapTask<SparseVector[], List<ProductBasis.Candidate>> {
    private static final long serialVersionUID = 1L;

    @Override
    public List<ProductBasis.Candidate> run(
        WorkerContext context, SparseVector[] images, Args args) {
      StationaryModel fom = args.get(0, StationaryModel.class);
      Product product = args.get(1, Product.class);
      ProductBasis.Snapshot range =
          args.get(2, RangeReplica.class).snapshot(args.get(3, Integer.class));
      @Nullable ProductOperator p =
          product == Product.EUCLIDEAN ? null : fom.productOperator(product);
      return rieszCandidates(fom.productSolver(product), p, Arrays.asList(images), range);
    }
  }

  @Override
  public String toString() {
    return "CoerciveRBReductor("
        + fom
        + ", product "
        + product.pymorName()
        + ", basis size "
        + basisSize()
        + ", residual range "
        + residualRange.len()
        + ")";
  }
}
