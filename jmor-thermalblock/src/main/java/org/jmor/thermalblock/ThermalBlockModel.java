package org.jmor.thermalblock;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jmor.discretizer.fem.BlockPartition;
import org.jmor.discretizer.fem.Dirichlet;
import org.jmor.discretizer.fem.P1Assembly;
import org.jmor.discretizer.grid.TriaGrid;
import org.jmor.discretizer.models.Product;
import org.jmor.discretizer.models.StationaryModel;
import org.jmor.discretizer.operators.CscMatrix;
import org.jmor.discretizer.operators.LinearSolver;
import org.jmor.discretizer.operators.SparseCholesky;
import org.jmor.vectors.ProductOperator;
import org.jspecify.annotations.Nullable;

/**
 * The P1 discretization of a {@link ThermalBlockProblem} on a {@link TriaGrid} (pyMOR's {@code
 * discretize_stationary_cg} with the builtin discretizer, preassembled).
 *
 * <h2>Affine decomposition</h2>
 *
 * <ul>
 *   <li>{@code A_q} ({@code diffusion_q}): P1 stiffness of the triangles of block {@code q} (block
 *       membership of a triangle by the indicator at its centroid), with the rows of the Dirichlet
 *       DOFs zeroed (columns untouched) and explicit zeros dropped;
 *   <li>{@code B} ({@code boundary_part}): {@code 1.0} on the diagonal of each Dirichlet DOF;
 *   <li>{@code f} ({@code rhs}): {@code |T|/3} per vertex and triangle, zero on Dirichlet DOFs.
 * </ul>
 *
 * So {@code A(mu) = B + sum_q mu_q A_q} has identity rows on the Dirichlet DOFs and is not
 * symmetric (interior rows couple to Dirichlet columns).
 *
 * <h2>Solver</h2>
 *
 * Since {@code f} and hence {@code u} vanish on the Dirichlet DOFs {@code D} and their rows are
 * identity rows, {@code A(mu) u = f} is solved as {@code A_II(mu) u_I = f_I}, {@code u_D = 0}, with
 * the interior block {@code A_II(mu) = sum_q mu_q (A_q)_II}, which is symmetric positive definite
 * for {@code mu > 0}: a sparse Cholesky factorization with AMD ordering ({@link SparseCholesky}).
 * The pattern of {@code A_II(mu)} does not depend on {@code mu}, so the ordering and symbolic
 * analysis are computed once per model (lazily, in a transient cache that is rebuilt after
 * deserialization) and every {@link #solve} does only the numeric factorization, followed by one
 * step of iterative refinement ({@code u_I += A_II^{-1}(f_I - A_II u_I)}, which brings the relative
 * residual from about {@code 1e-12} down to round-off). The same analysis serves the interior block
 * of {@code h1_0_semi}.
 *
 * <p>Immutable, thread-safe and serializable.
 */
public final class ThermalBlockModel implements StationaryModel {

  private static final long serialVersionUID = 1L;

  private final ThermalBlockProblem problem;
  private final TriaGrid grid;
  private final BlockPartition partition;
  private final int[] dirichlet;
  private final CscMatrix boundaryPart;
  private final List<CscMatrix> operators;
  private final double[] rhs;
  private final CscMatrix h1Semi;
  private final CscMatrix h10Semi;
  private final CscMatrix l2;

  private transient volatile @Nullable InteriorSystem interior;
  private transient volatile @Nullable LinearSolver h10SemiSolver;
  private transient volatile @Nullable LinearSolver l2Solver;
  private transient volatile @Nullable ProductOperator h10SemiOperator;
  private transient volatile @Nullable ProductOperator l2Operator;

  private ThermalBlockModel(ThermalBlockProblem problem, TriaGrid grid) {
    this.problem = problem;
    this.grid = grid;
    this.partition = BlockPartition.of(grid, problem.xBlocks(), problem.yBlocks());
    this.dirichlet = grid.boundaryVertices();
    int n = grid.vertexCount();
    this.boundaryPart = Dirichlet.unitDiagonal(n, dirichlet);
    List<CscMatrix> ops = new ArrayList<>();
    for (int q = 0; q < partition.blocks(); q++) {
      ops.add(Dirichlet.zeroRows(P1Assembly.stiffness(grid, partition.elementsOf(q)), dirichlet));
    }
    this.operators = Collections.unmodifiableList(ops);
    this.rhs = Dirichlet.zeroEntries(P1Assembly.load(grid), dirichlet);
    this.h1Semi = P1Assembly.stiffness(grid);
    this.h10Semi = Dirichlet.zeroRowsAndColumnsWithUnitDiagonal(h1Semi, dirichlet);
    this.l2 = P1Assembly.mass(grid);
  }

  static ThermalBlockModel discretize(ThermalBlockProblem problem, int gridIntervals) {
    return new ThermalBlockModel(problem, TriaGrid.unitSquare(gridIntervals));
  }

  /**
   * @return the analytical problem
   */
  public ThermalBlockProblem problem() {
    return problem;
  }

  /**
   * @return the grid
   */
  public TriaGrid grid() {
    return grid;
  }

  /**
   * @return the assignment of triangles to blocks
   */
  public BlockPartition partition() {
    return partition;
  }

  /**
   * @return {@code N}, the number of grid cells per direction
   */
  public int gridIntervals() {
    return grid.intervals();
  }

  @Override
  public int dofs() {
    return grid.vertexCount();
  }

  @Override
  public int parameterDimension() {
    return partition.blocks();
  }

  @Override
  public CscMatrix boundaryPart() {
    return boundaryPart;
  }

  @Override
  public CscMatrix operator(int q) {
    return operators.get(q);
  }

  @Override
  public List<CscMatrix> operators() {
    return operators;
  }

  @Override
  public double[] rhs() {
    return rhs.clone();
  }

  @Override
  public int[] dirichletDofs() {
    return dirichlet.clone();
  }

  @Override
  public CscMatrix assembleOperator(double[] mu) {
    checkParameter(mu);
    double[] coefficients = new double[mu.length + 1];
    coefficients[0] = 1.0;
    System.arraycopy(mu, 0, coefficients, 1, mu.length);
    List<CscMatrix> terms = new ArrayList<>();
    terms.add(boundaryPart);
    terms.addAll(operators);
    return CscMatrix.linearCombination(coefficients, terms);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Numeric sparse Cholesky of {@code A_II(mu)} (see the class documentation); {@code u} is
   * exactly {@code 0.0} on the Dirichlet DOFs.
   *
   * @throws ArithmeticException if {@code A_II(mu)} is not positive definite (some {@code mu_q <=
   *     0})
   */
  @Override
  public double[] solve(double[] mu) {
    checkParameter(mu);
    InteriorSystem sys = interior();
    double[] values = sys.assemble(mu);
    SparseCholesky factor = sys.analysis.factorValues(values);
    double[] b = sys.gather(rhs);
    double[] x = factor.solve(b);
    // one step of iterative refinement: x += A_II^{-1} (b - A_II x)
    double[] r = sys.multiply(values, x);
    for (int k = 0; k < r.length; k++) {
      r[k] = b[k] - r[k];
    }
    factor.solve(r, 0, r, 0);
    for (int k = 0; k < r.length; k++) {
      x[k] += r[k];
    }
    return sys.scatter(x, null);
  }

  @Override
  public CscMatrix product(Product product) {
    return switch (product) {
      case H1_0_SEMI -> h10Semi;
      case L2 -> l2;
      case H1_SEMI -> h1Semi;
      case EUCLIDEAN -> CscMatrix.identity(dofs());
    };
  }

  /**
   * {@inheritDoc}
   *
   * <p>The operators of {@code H1_0_SEMI} and {@code L2} are cached (transient).
   */
  @Override
  public ProductOperator productOperator(Product product) {
    return switch (product) {
      case H1_0_SEMI -> {
        ProductOperator p = h10SemiOperator;
        if (p == null) {
          p = h10Semi.asProductOperator();
          h10SemiOperator = p;
        }
        yield p;
      }
      case L2 -> {
        ProductOperator p = l2Operator;
        if (p == null) {
          p = l2.asProductOperator();
          l2Operator = p;
        }
        yield p;
      }
      case EUCLIDEAN -> ProductOperator.identity(dofs());
      default -> product(product).asProductOperator();
    };
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code H1_0_SEMI}: interior Cholesky, {@code x_D = b_D} (its Dirichlet rows and columns are
   * unit vectors); {@code L2}: Cholesky of the mass matrix; {@code EUCLIDEAN}: identity.
   * Factorizations are computed on first use and cached (transient).
   */
  @Override
  public LinearSolver productSolver(Product product) {
    return switch (product) {
      case H1_0_SEMI -> {
        LinearSolver s = h10SemiSolver;
        if (s == null) {
          InteriorSystem sys = interior();
          s = new DirichletBlockSolver(sys, sys.analysis.factor(sys.stiffness));
          h10SemiSolver = s;
        }
        yield s;
      }
      case L2 -> {
        LinearSolver s = l2Solver;
        if (s == null) {
          s = SparseCholesky.factor(l2);
          l2Solver = s;
        }
        yield s;
      }
      case EUCLIDEAN -> new IdentitySolver(dofs());
      case H1_SEMI ->
          throw new IllegalArgumentException(
              "the h1_semi product is singular (constants are "
                  + "in its kernel); use H1_0_SEMI, L2 or EUCLIDEAN");
    };
  }

  @Override
  public double norm(double[] u, Product product) {
    if (u.length != dofs()) {
      throw new IllegalArgumentException("vector length must be " + dofs() + ", got " + u.length);
    }
    if (product == Product.EUCLIDEAN) {
      double s = 0.0;
      for (double x : u) {
        s += x * x;
      }
      return Math.sqrt(s);
    }
    return Math.sqrt(product(product).inner(u, u));
  }

  @Override
  public String toString() {
    return "ThermalBlockModel("
        + problem.xBlocks()
        + "x"
        + problem.yBlocks()
        + " blocks, grid "
        + grid.intervals()
        + "x"
        + grid.intervals()
        + ", "
        + dofs()
        + " DOFs)";
  }

  private void checkParameter(double[] mu) {
    if (mu.length != parameterDimension()) {
      throw new IllegalArgumentException(
          "parameter must have " + parameterDimension() + " components, got " + mu.length);
    }
  }

  private InteriorSystem interior() {
    InteriorSystem s = interior;
    if (s == null) {
      synchronized (this) {
        s = interior;
        if (s == null) {
          s = new InteriorSystem(dofs(), dirichlet, h10Semi, operators);
          interior = s;
        }
      }
    }
    return s;
  }

  /**
   * The interior blocks of the affine components and the symbolic Cholesky analysis of their common
   * pattern (that of the interior stiffness).
   */
  static final class InteriorSystem {
    final int n;
    final int[] interiorDofs;
    final CscMatrix stiffness;
    final SparseCholesky.Analysis analysis;
    final int[][] positions;
    final double[][] values;
    private final int[] colPtr;
    private final int[] rowIdx;

    InteriorSystem(int n, int[] dirichlet, CscMatrix h10Semi, List<CscMatrix> operators) {
      this.n = n;
      boolean[] isD = new boolean[n];
      for (int d : dirichlet) {
        isD[d] = true;
      }
      int[] in = new int[n - dirichlet.length];
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (!isD[i]) {
          in[k++] = i;
        }
      }
      this.interiorDofs = in;
      this.stiffness = h10Semi.submatrix(in, in);
      this.analysis = SparseCholesky.analyze(stiffness);
      this.positions = new int[operators.size()][];
      this.values = new double[operators.size()][];
      int[] cp = stiffness.columnPointers();
      int[] ri = stiffness.rowIndices();
      this.colPtr = cp;
      this.rowIdx = ri;
      for (int q = 0; q < operators.size(); q++) {
        CscMatrix aq = operators.get(q).submatrix(in, in);
        int[] qcp = aq.columnPointers();
        int[] qri = aq.rowIndices();
        int[] pos = new int[aq.nnz()];
        for (int j = 0; j < aq.cols(); j++) {
          int p = cp[j];
          for (int t = qcp[j]; t < qcp[j + 1]; t++) {
            while (p < cp[j + 1] && ri[p] < qri[t]) {
              p++;
            }
            if (p == cp[j + 1] || ri[p] != qri[t]) {
              throw new IllegalStateException(
                  "pattern of A_" + q + " is not contained in the stiffness pattern");
            }
            pos[t] = p;
          }
        }
        positions[q] = pos;
        values[q] = aq.values();
      }
    }

    /**
     * Values of {@code A_II(mu) = sum_q mu_q (A_q)_II} (summed in q order) on the pattern of the
     * interior stiffness.
     */
    double[] assemble(double[] mu) {
      double[] v = new double[stiffness.nnz()];
      for (int q = 0; q < positions.length; q++) {
        int[] pos = positions[q];
        double[] val = values[q];
        double m = mu[q];
        for (int t = 0; t < pos.length; t++) {
          v[pos[t]] += m * val[t];
        }
      }
      return v;
    }

    /** {@code A x} for the matrix with the interior stiffness pattern and the given values. */
    double[] multiply(double[] values, double[] x) {
      double[] y = new double[x.length];
      for (int j = 0; j < x.length; j++) {
        double xj = x[j];
        for (int p = colPtr[j]; p < colPtr[j + 1]; p++) {
          y[rowIdx[p]] += values[p] * xj;
        }
      }
      return y;
    }

    double[] gather(double[] full) {
      double[] x = new double[interiorDofs.length];
      for (int k = 0; k < x.length; k++) {
        x[k] = full[interiorDofs[k]];
      }
      return x;
    }

    /** Full vector with {@code x_I = interior} and {@code x_D = boundary_D} (0 if null). */
    double[] scatter(double[] interiorValues, double @Nullable [] boundary) {
      double[] x = boundary == null ? new double[n] : boundary.clone();
      if (boundary != null) {
        for (int i : interiorDofs) {
          x[i] = 0.0;
        }
      }
      for (int k = 0; k < interiorDofs.length; k++) {
        x[interiorDofs[k]] = interiorValues[k];
      }
      return x;
    }
  }

  /** {@code P^{-1}} for a matrix with unit Dirichlet rows and columns: interior solve. */
  private static final class DirichletBlockSolver implements LinearSolver {
    private final InteriorSystem sys;
    private final SparseCholesky interiorFactor;

    DirichletBlockSolver(InteriorSystem sys, SparseCholesky interiorFactor) {
      this.sys = sys;
      this.interiorFactor = interiorFactor;
    }

    @Override
    public int dim() {
      return sys.n;
    }

    @Override
    public void solve(double[] b, int bOff, double[] x, int xOff) {
      int[] in = sys.interiorDofs;
      double[] bi = new double[in.length];
      for (int k = 0; k < in.length; k++) {
        bi[k] = b[bOff + in[k]];
      }
      if (x != b || xOff != bOff) {
        System.arraycopy(b, bOff, x, xOff, sys.n);
      }
      interiorFactor.solve(bi, 0, bi, 0);
      for (int k = 0; k < in.length; k++) {
        x[xOff + in[k]] = bi[k];
      }
    }
  }

  private static final class IdentitySolver implements LinearSolver {
    private final int n;

    IdentitySolver(int n) {
      this.n = n;
    }

    @Override
    public int dim() {
      return n;
    }

    @Override
    public void solve(double[] b, int bOff, double[] x, int xOff) {
      System.arraycopy(b, bOff, x, xOff, n);
    }
  }
}
