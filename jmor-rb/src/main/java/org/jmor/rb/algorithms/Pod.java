package org.jmor.rb.algorithms;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.eig.SymmetricQRAlgorithmDecomposition_DDRM;
import org.jmor.discretizer.models.Product;
import org.jmor.discretizer.models.StationaryModel;
import org.jmor.parallel.RemoteObject;
import org.jmor.parallel.WorkerPool;
import org.jmor.rb.reductors.GramSchmidt;
import org.jmor.vectors.ProductOperator;
import org.jmor.vectors.VectorArray;

/**
 * POD basis generation (pyMOR's {@code reduce_pod} in the thermal-block demo): full-order solutions
 * for the training set, computed with {@link WorkerPool#map}, then the method of snapshots in the
 * RB product with pyMOR's default relative tolerance 1e-7 on the singular values, and a final
 * Gram–Schmidt pass.
 */
public final class Pod {
  private Pod() {}

  /** The relative tolerance on the singular values (pyMOR's default {@code rtol}). */
  public static final double RTOL = 1e-7;

  /**
   * Computes the snapshots for the training set on the pool and returns at most {@code modes} POD
   * modes, orthonormal in the {@code product}. The snapshots are mapped in batches of {@code 4 *
   * pool.size()}, and {@code progress} receives the number of snapshots done after each batch.
   *
   * @param fom the full-order model
   * @param training the training parameters (not modified)
   * @param modes the maximal number of modes
   * @param product the inner product of the modes
   * @param pool the pool that computes the snapshots
   * @param progress called on the caller's thread after each batch, or null for none
   * @return the POD modes, fewer than {@code modes} if the singular values drop below {@link #RTOL}
   *     times the largest
   * @throws org.jmor.parallel.RemoteExecutionException if a solve fails on a worker
   */
  public static VectorArray snapshotsAndModes(
      StationaryModel fom,
      List<double[]> training,
      int modes,
      Product product,
      WorkerPool pool,
      IntConsumer progress) {
    return compute(fom, training, modes, product, pool, progress).modes();
  }

  /** The POD modes and their singular values (pyMOR's {@code pod} returns both). */
  public static final class Result {
    private final VectorArray modes;
    private final double[] singularValues;

    Result(VectorArray modes, double[] singularValues) {
      this.modes = modes;
      this.singularValues = singularValues;
    }

    /** Returns the orthonormal POD modes. */
    public VectorArray modes() {
      return modes;
    }

    /** Returns the singular values of the kept modes, in decreasing order (a copy). */
    public double[] singularValues() {
      return singularValues.clone();
    }
  }

  /**
   * Same as {@link #snapshotsAndModes}, and also returns the singular values of the kept modes.
   *
   * @param fom the full-order model
   * @param training the training parameters (not modified)
   * @param modes the maximal number of modes
   * @param product the inner product of the modes
   * @param pool the pool that computes the snapshots
   * @param progress called on the caller's thread after each batch, or null for none
   * @return the modes and their singular values
   */
  public static Result compute(
      StationaryModel fom,
      List<double[]> training,
      int modes,
      Product product,
      WorkerPool pool,
      IntConsumer progress) {
    List<double[]> solutions = new ArrayList<>(training.size());
    int batch = 4 * pool.size();
    try (RemoteObject<StationaryModel> f = pool.push(fom)) {
      for (int from = 0; from < training.size(); from += batch) {
        int to = Math.min(training.size(), from + batch);
        solutions.addAll(
            pool.map(
                (ctx, mu, args) -> args.<StationaryModel>get(0).solve(mu),
                training.subList(from, to),
                f));
        if (progress != null) {
          progress.accept(to);
        }
      }
    }
    VectorArray u = VectorArray.empty(fom.dofs());
    for (double[] s : solutions) {
      u.append(VectorArray.ofRows(s), true);
    }
    ProductOperator p = fom.productOperator(product);
    double[][] g = u.gramian(p);
    int n = g.length;
    if (n == 0 || modes == 0) {
      return new Result(VectorArray.empty(fom.dofs()), new double[0]);
    }
    SymmetricQRAlgorithmDecomposition_DDRM eig = new SymmetricQRAlgorithmDecomposition_DDRM(true);
    if (!eig.decompose(new DMatrixRMaj(g))) {
      throw new IllegalStateException("eigenvalue decomposition of the snapshot Gramian failed");
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    order.sort((a, b) -> Double.compare(eig.getEigenvalue(b).real, eig.getEigenvalue(a).real));
    double largest = eig.getEigenvalue(order.get(0)).real;
    List<double[]> coefficients = new ArrayList<>();
    List<Double> singularValues = new ArrayList<>();
    for (int k = 0; k < Math.min(modes, n); k++) {
      double lambda = eig.getEigenvalue(order.get(k)).real;
      if (lambda <= 0 || lambda < RTOL * RTOL * largest) {
        break;
      }
      DMatrixRMaj v = eig.getEigenVector(order.get(k));
      double[] c = new double[n];
      for (int i = 0; i < n; i++) {
        c[i] = v.get(i) / Math.sqrt(lambda);
      }
      coefficients.add(c);
      singularValues.add(Math.sqrt(lambda));
    }
    VectorArray pod = u.lincomb(coefficients.toArray(new double[0][]));
    GramSchmidt.orthonormalize(pod, p, 0, false);
    return new Result(pod, singularValues.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
