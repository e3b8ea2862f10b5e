package org.jmor.rb.reductors;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.jmor.base.Immutable;
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

  /**
   * Returns pyMOR's {@code reductor.reduce(dim)} for this model: the reduced model of the first
   * {@code dim} basis vectors, obtained by restricting the projected operators, the right-hand side
   * and the estimator's offline data (residual range: its first {@code residualRangeDims()[dim]}
   * vectors; Gram estimator: the components of {@code f} and of the first {@code dim} basis
   * vectors). Every entry is the number a reductor built from the first {@code dim} basis vectors
   * alone computes, so the result is bit-identical to that reductor's model. No solves.
   *
   * @param dim the reduced dimension, {@code 0 <= dim <= dim()}
   * @return this model if {@code dim == dim()}, else a new model
   * @throws IllegalArgumentException if {@code dim} is out of range
   */
  ReducedModel restrict(int dim) {
    if (dim < 0 || dim > k) {
      throw new IllegalArgumentException("dim must be in [0, " + k + "], got " + dim);
    }
    if (dim == k) {
      return this;
    }
    double[] ops = new double[(q + 1) * dim * dim];
    for (int t = 0; t <= q; t++) {
      for (int i = 0; i < dim; i++) {
        System.arraycopy(operators, t * k * k + i * k, ops, t * dim * dim + i * dim, dim);
      }
    }
    return new ReducedModel(
        dim, q, ops, Arrays.copyOf(rhs, dim), coercivityBound, estimator.restrict(dim));
  }

  /**
   * Returns every number that defines this model, for saving it (as {@code ModelFiles} of the
   * module {@code jmor-thermalblock} does) or inspecting it; {@link #fromData} rebuilds a
   * bit-identical model.
   *
   * @return new arrays (copies)
   * @throws IllegalArgumentException if the coercivity bound is not one of the named functionals of
   *     {@link ParameterFunctional} ({@link ParameterFunctional#nameOf})
   */
  public Data data() {
    String bound = ParameterFunctional.nameOf(coercivityBound);
    if (bound == null) {
      throw new IllegalArgumentException(
          "cannot save a reduced model whose coercivity bound is not a named functional ("
              + "ParameterFunctional.minComponent() or one()): "
              + coercivityBound);
    }
    if (estimator instanceof GramEstimator g) {
      return new Data(
          k,
          q,
          operators.clone(),
          rhs.clone(),
          bound,
          Data.GRAM,
          0,
          new double[0],
          new double[0],
          new int[0],
          g.gram());
    }
    ResidualBasisEstimator r = (ResidualBasisEstimator) estimator;
    return new Data(
        k,
        q,
        operators.clone(),
        rhs.clone(),
        bound,
        Data.RESIDUAL_BASIS,
        r.residualRangeDim(),
        r.residualOperators(),
        r.residualRhs(),
        r.residualRangeDims(),
        new double[0]);
  }

  /**
   * Rebuilds a reduced model from its {@link #data() data}; the result is bit-identical to the
   * model the data came from (same solutions, estimates and condition numbers, bit for bit).
   *
   * <p>Not modified: {@code data}'s arrays (they are copied).
   *
   * @param data the data
   * @return the model
   * @throws IllegalArgumentException if the data are inconsistent (an array of the wrong length, an
   *     unknown estimator or coercivity bound name, a negative dimension)
   */
  public static ReducedModel fromData(Data data) {
    int k = data.dim();
    int q = data.parameterDimension();
    if (k < 0 || q < 1) {
      throw new IllegalArgumentException(
          "need dim >= 0 and parameter dimension >= 1, got " + k + " and " + q);
    }
    checkLength("operators", data.operators().length, (long) (q + 1) * k * k);
    checkLength("rhs", data.rhs().length, k);
    ParameterFunctional bound = ParameterFunctional.byName(data.coercivityBound());
    ReducedErrorEstimator estimator;
    if (data.estimator().equals(Data.GRAM)) {
      long d = 1 + (long) (q + 1) * k;
      checkLength("gram", data.gram().length, d * d);
      estimator = new GramEstimator(k, q, data.gram().clone());
    } else if (data.estimator().equals(Data.RESIDUAL_BASIS)) {
      int r = data.residualRangeDim();
      if (r < 0) {
        throw new IllegalArgumentException("residual range dimension must be >= 0, got " + r);
      }
      checkLength("residualOperators", data.residualOperators().length, (long) (q + 1) * r * k);
      checkLength("residualRhs", data.residualRhs().length, r);
      checkLength("residualRangeDims", data.residualRangeDims().length, k + 1L);
      int[] dims = data.residualRangeDims().clone();
      for (int i = 0; i <= k; i++) {
        if (dims[i] < 0 || dims[i] > r || (i > 0 && dims[i] < dims[i - 1])) {
          throw new IllegalArgumentException(
              "residualRangeDims must be non-decreasing in [0, " + r + "]");
        }
      }
      if (k >= 0 && dims[k] != r) {
        throw new IllegalArgumentException(
            "residualRangeDims must end with the residual range dimension " + r);
      }
      estimator =
          new ResidualBasisEstimator(
              k, q, r, data.residualOperators().clone(), data.residualRhs().clone(), dims);
    } else {
      throw new IllegalArgumentException(
          "unknown error estimator '"
              + data.estimator()
              + "' (known: "
              + Data.RESIDUAL_BASIS
              + ", "
              + Data.GRAM
              + ")");
    }
    return new ReducedModel(k, q, data.operators().clone(), data.rhs().clone(), bound, estimator);
  }

  private static void checkLength(String what, int actual, long expected) {
    if (actual != expected) {
      throw new IllegalArgumentException(
          what + " must have " + expected + " entries, got " + actual);
    }
  }

  /**
   * Every number that defines a {@link ReducedModel} (see {@link ReducedModel#data()}). Arrays are
   * row-major; the arrays of the other estimator are empty.
   *
   * @param dim the reduced dimension {@code k}
   * @param parameterDimension {@code Q}
   * @param operators {@code (Q+1) k^2}: term 0 is {@code B_N}, term {@code 1+q} is {@code A_{N,q}}
   * @param rhs {@code f_N}, length {@code k}
   * @param coercivityBound the name of the coercivity bound ({@link ParameterFunctional#nameOf})
   * @param estimator {@link #RESIDUAL_BASIS} or {@link #GRAM}
   * @param residualRangeDim residual basis: {@code r}
   * @param residualOperators residual basis: {@code (Q+1) r k}, term 0 is {@code R_B}, term {@code
   *     1+q} is {@code R_q}
   * @param residualRhs residual basis: {@code r_f}, length {@code r}
   * @param residualRangeDims residual basis: pyMOR's {@code residual_range_dims}, length {@code
   *     k+1}
   * @param gram Gram estimator: the {@code D x D} Gram matrix, {@code D = 1 + (Q+1) k}, in pyMOR's
   *     order
   */
  public record Data(
      int dim,
      int parameterDimension,
      double[] operators,
      double[] rhs,
      String coercivityBound,
      String estimator,
      int residualRangeDim,
      double[] residualOperators,
      double[] residualRhs,
      int[] residualRangeDims,
      double[] gram) {

    /** Estimator name: the residual basis of {@link CoerciveRBReductor}. */
    public static final String RESIDUAL_BASIS = "residual_basis";

    /** Estimator name: the Gram matrix of {@link SimpleCoerciveRBReductor}. */
    public static final String GRAM = "gram";
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
