package org.jmor.rb.reductors;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.jmor.parallel.Immutable;
import org.jspecify.annotations.Nullable;

/**
 * The reduced model built by a {@link StationaryRBReductor} ({@link CoerciveRBReductor} or {@link
 * SimpleCoerciveRBReductor}): Galerkin-projected affine operator and right-hand side plus the
 * offline data of the reductor's error estimator. Nothing here depends on the full-order dimension
 * {@code n}.
 *
 * <h2>Reduced solve</h2>
 *
 * {@code A_N(mu) = B_N + sum_q mu_q A_{N,q}} (summed in this order, {@code B_N} skipped when it is
 * exactly zero, which does not change the result), {@code A_N(mu) u_N = f_N} solved by dense LU
 * with partial pivoting (EJML), where {@code A_{N,q} = V^T A_q V}, {@code B_N = V^T B V} and {@code
 * f_N = V^T f}.
 *
 * <h2>Error estimator</h2>
 *
 * {@code Delta(mu) = ||f - A(mu) V u_N||_{P^{-1}} / alpha(mu)}, the dual norm of the residual over
 * the coercivity lower bound ({@code min_q mu_q} for the thermal block), evaluated online from the
 * reductor's offline data: a residual basis ({@link CoerciveRBReductor}, pyMOR's {@code
 * CoerciveRBEstimator}: {@code ||(R_B + sum_q mu_q R_q) u_N - r_f||_2}, {@code O((Q+1) r k)} per
 * parameter) or the Gram matrix of the residual's affine components ({@link
 * SimpleCoerciveRBReductor}, pyMOR's {@code SimpleCoerciveRBEstimator}: {@code sqrt(C^T G C)},
 * {@code O(((Q+1) k)^2)} per parameter), plus the {@code O(k^3)} LU. With an empty basis {@code
 * Delta(mu) = ||f||_{P^{-1}} / alpha(mu)}.
 *
 * <h2>Threads, allocation, shipping</h2>
 *
 * Immutable, thread-safe, {@link Serializable} and {@link Immutable} (a pool ships it once). The
 * convenience methods allocate; the {@link Workspace} variants do not: give each thread its own
 * {@link #newWorkspace() workspace}.
 */
public final class ReducedModel implements Immutable, Serializable {

  private static final long serialVersionUID = 1L;

  private final int k;
  private final int q;

  /** {@code (Q+1) k^2}: term 0 is {@code B_N}, term {@code 1+q} is {@code A_{N,q}}, row-major. */
  private final double[] operators;

  private final double[] rhs;

  private final boolean constantTermZero;
  private final ReducedErrorEstimator estimator;
  private final ParameterFunctional coercivityBound;

  ReducedModel(
      int k,
      int q,
      double[] operators,
      double[] rhs,
      ParameterFunctional coercivityBound,
      ReducedErrorEstimator estimator) {
    this.k = k;
    this.q = q;
    this.operators = operators;
    this.rhs = rhs;
    this.coercivityBound = coercivityBound;
    this.estimator = estimator;
    boolean zero = true;
    for (int i = 0; i < k * k && zero; i++) {
      zero = operators[i] == 0.0;
    }
    this.constantTermZero = zero;
  }

  /**
   * @return the reduced dimension {@code k} (number of basis vectors)
   */
  public int dim() {
    return k;
  }

  /**
   * @return the parameter dimension {@code Q}
   */
  public int parameterDimension() {
    return q;
  }

  /**
   * @return the dimension of the residual range basis {@code R}; 0 for the estimator of {@link
   *     SimpleCoerciveRBReductor}, which has none
   */
  public int residualRangeDim() {
    return estimator.residualRangeDim();
  }

  /**
   * @return true if the error estimator is pyMOR's {@code SimpleCoerciveRBEstimator} (Gram matrix
   *     of the affine components), false for the residual basis
   */
  public boolean hasGramEstimator() {
    return estimator instanceof GramEstimator;
  }

  /**
   * Returns pyMOR's {@code residual_range_dims}: entry {@code i} is the size of the residual range
   * after processing the right-hand side and the first {@code i} basis vectors.
   *
   * @return a copy, length {@code k + 1}; empty for the estimator of {@link
   *     SimpleCoerciveRBReductor}
   */
  public int[] residualRangeDims() {
    return estimator.residualRangeDims();
  }

  /**
   * @return the coercivity lower bound {@code alpha}
   */
  public ParameterFunctional coercivityBound() {
    return coercivityBound;
  }

  /**
   * @return a copy of {@code f_N}
   */
  public double[] rhs() {
    return rhs.clone();
  }

  /**
   * Assembles {@code A_N(mu) = B_N + sum_q mu_q A_{N,q}}.
   *
   * @param mu parameter of length {@code Q}; not modified
   * @return a new {@code k x k} matrix
   */
  public DMatrixRMaj assembleOperator(double[] mu) {
    checkParameter(mu);
    DMatrixRMaj a = new DMatrixRMaj(k, k);
    assemble(mu, a.data);
    return a;
  }

  /**
   * Solves {@code A_N(mu) u_N = f_N}.
   *
   * @param mu parameter of length {@code Q}; not modified
   * @return a new vector {@code u_N} of length {@code k}
   * @throws ArithmeticException if {@code A_N(mu)} is singular
   */
  public double[] solve(double[] mu) {
    Workspace ws = newWorkspace();
    solve(mu, ws);
    return ws.solution();
  }

  /**
   * Returns the estimated error {@code Delta(mu)} of the reduced solution at {@code mu} (solves the
   * reduced system first).
   *
   * @param mu parameter of length {@code Q}; not modified
   * @return {@code Delta(mu) >= 0}
   */
  public double estimateError(double[] mu) {
    return solveAndEstimate(mu, newWorkspace());
  }

  /**
   * Solves the reduced system into {@code ws} without allocating.
   *
   * <p>Modified: {@code ws} (its solution is {@code u_N(mu)} afterwards).
   *
   * @param mu parameter of length {@code Q}; not modified
   * @param ws a workspace of this model
   * @throws ArithmeticException if {@code A_N(mu)} is singular
   * @throws IllegalArgumentException if {@code ws} belongs to a model of other dimensions
   */
  public void solve(double[] mu, Workspace ws) {
    checkParameter(mu);
    checkWorkspace(ws);
    if (k == 0) {
      return;
    }
    assemble(mu, ws.a.data);
    if (!Objects.requireNonNull(ws.lu).setA(ws.a)) { // null only when k == 0
      throw new ArithmeticException(
          "reduced system matrix is singular at mu = " + Arrays.toString(mu));
    }
    ws.lu.solve(ws.b, ws.x);
  }

  /**
   * Solves the reduced system and returns {@code Delta(mu)}, without allocating; the reduced
   * solution stays in {@code ws}.
   *
   * <p>Modified: {@code ws}.
   *
   * @param mu parameter of length {@code Q}; not modified
   * @param ws a workspace of this model
   * @return {@code Delta(mu) = ||res(mu)|| / alpha(mu)}
   * @throws ArithmeticException if the Gram estimator's norm square is below {@code -1e-10}
   */
  public double solveAndEstimate(double[] mu, Workspace ws) {
    solve(mu, ws);
    return estimator.residualNorm(mu, ws.x.data, ws.res) / coercivityBound.evaluate(mu);
  }

  /**
   * Returns {@code Delta(mu)} for a given reduced solution.
   *
   * @param mu parameter of length {@code Q}; not modified
   * @param reducedSolution {@code u_N} of length {@code k}; not modified
   * @return {@code ||res(mu)|| / alpha(mu)}
   */
  public double estimateError(double[] mu, double[] reducedSolution) {
    checkParameter(mu);
    if (reducedSolution.length != k) {
      throw new IllegalArgumentException(
          "reduced solution must have length " + k + ", got " + reducedSolution.length);
    }
    return estimator.residualNorm(mu, reducedSolution, new double[estimator.scratchLength()])
        / coercivityBound.evaluate(mu);
  }

  /**
   * Returns the 2-norm condition number of {@code A_N(mu)}: the ratio of its largest to its
   * smallest singular value (EJML SVD), {@code 0} for {@code k = 0} (as pyMOR's error analysis),
   * {@code +Infinity} for a singular matrix.
   *
   * @param mu parameter of length {@code Q}; not modified
   * @return the condition number
   */
  public double conditionNumber(double[] mu) {
    if (k == 0) {
      checkParameter(mu);
      return 0.0;
    }
    DMatrixRMaj a = assembleOperator(mu);
    SingularValueDecomposition_F64<DMatrixRMaj> svd =
        DecompositionFactory_DDRM.svd(k, k, false, false, true);
    if (!svd.decompose(a)) {
      throw new ArithmeticException("SVD of the reduced system matrix did not converge");
    }
    double[] s = svd.getSingularValues();
    double max = 0.0;
    double min = Double.POSITIVE_INFINITY;
    for (int i = 0; i < svd.numberOfSingularValues(); i++) {
      max = Math.max(max, s[i]);
      min = Math.min(min, s[i]);
    }
    return max / min;
  }

  /**
   * @return a new workspace for the allocation-free methods (one per thread)
   */
  public Workspace newWorkspace() {
    return new Workspace(this);
  }

  private void assemble(double[] mu, double[] a) {
    int kk = k * k;
    if (constantTermZero) {
      Arrays.fill(a, 0, kk, 0.0);
    } else {
      System.arraycopy(operators, 0, a, 0, kk);
    }
    for (int t = 0; t < q; t++) {
      double c = mu[t];
      int off = (t + 1) * kk;
      for (int i = 0; i < kk; i++) {
        a[i] += c * operators[off + i];
      }
    }
  }

  private void checkParameter(double[] mu) {
    if (mu.length != q) {
      throw new IllegalArgumentException(
          "parameter must have " + q + " components, got " + mu.length);
    }
  }

  private void checkWorkspace(Workspace ws) {
    int r = estimator.scratchLength();
    if (ws.k != k || ws.r != r) {
      throw new IllegalArgumentException(
          "workspace was made for a model with k="
              + ws.k
              + ", r="
              + ws.r
              + "; this model has k="
              + k
              + ", r="
              + r);
    }
  }

  @Override
  public String toString() {
    return "ReducedModel(k="
        + k
        + ", Q="
        + q
        + (hasGramEstimator()
            ? ", Gram estimator"
            : ", residual range " + estimator.residualRangeDim())
        + ")";
  }

  /**
   * Scratch space for the allocation-free methods of one {@link ReducedModel}: the reduced system
   * matrix, its LU factorization, the reduced solution and the residual. Not thread-safe; not
   * serializable.
   */
  public static final class Workspace {
    private final int k;
    private final int r;
    private final DMatrixRMaj a;
    private final DMatrixRMaj b;
    private final DMatrixRMaj x;
    private final @Nullable LinearSolverDense<DMatrixRMaj> lu;
    private final double[] res;

    private Workspace(ReducedModel model) {
      this.k = model.k;
      this.r = model.estimator.scratchLength();
      this.a = new DMatrixRMaj(k, k);
      this.b = new DMatrixRMaj(k, 1);
      System.arraycopy(model.rhs, 0, b.data, 0, k);
      this.x = new DMatrixRMaj(k, 1);
      this.lu = k == 0 ? null : LinearSolverFactory_DDRM.lu(k);
      this.res = new double[r];
    }

    /**
     * @return a copy of the reduced solution of the last solve
     */
    public double[] solution() {
      return Arrays.copyOf(x.data, k);
    }

    /**
     * @return a copy of the scratch of the last estimate: the residual coefficients {@code res(mu)}
     *     (residual basis) or the coefficients {@code C} (Gram estimator)
     */
    public double[] residual() {
      return res.clone();
    }
  }
}
