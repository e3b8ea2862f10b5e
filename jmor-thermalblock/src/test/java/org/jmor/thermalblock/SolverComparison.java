package org.jmor.thermalblock;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.DMatrixSparseCSC;
import org.ejml.interfaces.decomposition.CholeskySparseDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverSparse;
import org.ejml.sparse.FillReducing;
import org.ejml.sparse.csc.factory.LinearSolverFactory_DSCC;
import org.jmor.discretizer.operators.CscMatrix;
import org.jmor.discretizer.operators.SparseCholesky;

/**
 * Not a test: compares sparse direct solvers on the thermal-block system (the numbers in {@code
 * jmor-discretizer/SOLVER.md}). Run from the repository root:
 *
 * <pre>
 * mvn -q -o -pl jmor-thermalblock -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp jmor-thermalblock/target/classes:jmor-thermalblock/target/test-classes:$(cat \
 *     jmor-thermalblock/target/cp.txt) org.jmor.thermalblock.SolverComparison 100
 * </pre>
 */
public final class SolverComparison {

  private SolverComparison() {}

  /**
   * @param args grid intervals N (default 100)
   */
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    long t0 = System.nanoTime();
    ThermalBlockModel fom = ThermalBlockProblem.of(2, 2).discretize(n);
    System.out.printf(
        Locale.ROOT,
        "discretization (cold JVM): %.1f ms, %d DOFs%n",
        (System.nanoTime() - t0) / 1e6,
        fom.dofs());
    double[] mu = {0.1, 0.55, 1.0, 0.3};
    CscMatrix a = fom.assembleOperator(mu);
    boolean[] isD = new boolean[fom.dofs()];
    for (int d : fom.dirichletDofs()) {
      isD[d] = true;
    }
    int[] in = java.util.stream.IntStream.range(0, fom.dofs()).filter(i -> !isD[i]).toArray();
    CscMatrix aii = a.submatrix(in, in);
    double[] f = fom.rhs();
    double[] fi = new double[in.length];
    for (int k = 0; k < in.length; k++) {
      fi[k] = f[in[k]];
    }
    System.out.printf(
        Locale.ROOT, "interior block A_II: %d unknowns, nnz %d%n", aii.rows(), aii.nnz());
    DMatrixSparseCSC e = aii.toEjml();
    DMatrixRMaj b = new DMatrixRMaj(fi.length, 1);
    System.arraycopy(fi, 0, b.data, 0, fi.length);

    time(
        "EJML Cholesky, FillReducing.NONE, symbolic+numeric+solve",
        aii,
        fi,
        () -> {
          LinearSolverSparse<DMatrixSparseCSC, DMatrixRMaj> s =
              LinearSolverFactory_DSCC.cholesky(FillReducing.NONE);
          s.setA(e.copy());
          DMatrixRMaj x = new DMatrixRMaj(fi.length, 1);
          s.solve(b, x);
          return x.data;
        });
    LinearSolverSparse<DMatrixSparseCSC, DMatrixRMaj> locked =
        LinearSolverFactory_DSCC.cholesky(FillReducing.NONE);
    locked.setStructureLocked(true);
    locked.setA(e.copy());
    @SuppressWarnings("unchecked")
    long ejmlNnzL =
        ((CholeskySparseDecomposition_F64<DMatrixSparseCSC>) locked.getDecomposition())
            .getT(null)
            .nz_length;
    time(
        "EJML Cholesky, FillReducing.NONE, structure locked: numeric+solve",
        aii,
        fi,
        () -> {
          locked.setA(e.copy());
          DMatrixRMaj x = new DMatrixRMaj(fi.length, 1);
          locked.solve(b, x);
          return x.data;
        });
    time(
        "CSparseJ AMD + Cholesky: symbolic+numeric+solve",
        aii,
        fi,
        () -> SparseCholesky.factor(aii).solve(fi));
    long t1 = System.nanoTime();
    SparseCholesky.Analysis analysis = SparseCholesky.analyze(aii);
    System.out.printf(
        Locale.ROOT,
        "CSparseJ AMD symbolic analysis (first call): %.1f ms%n",
        (System.nanoTime() - t1) / 1e6);
    time(
        "CSparseJ AMD + Cholesky, symbolic reused: numeric+solve",
        aii,
        fi,
        () -> analysis.factor(aii).solve(fi));
    time(
        "ThermalBlockModel.solve (numeric + solve + 1 refinement step)", a, f, () -> fom.solve(mu));
    System.out.printf(
        Locale.ROOT,
        "nnz(L): natural order (EJML) %d, AMD (CSparseJ) %d%n",
        ejmlNnzL,
        analysis.nnzL());
  }

  private static void time(String name, CscMatrix a, double[] b, Supplier<double[]> solve) {
    List<Long> times = new ArrayList<>();
    double[] x = null;
    for (int rep = 0; rep < 20; rep++) {
      long t = System.nanoTime();
      x = solve.get();
      times.add(System.nanoTime() - t);
    }
    long first = times.get(0);
    List<Long> warm = new ArrayList<>(times.subList(5, times.size()));
    warm.sort(null);
    double[] r = a.apply(x);
    double s = 0;
    double t = 0;
    for (int i = 0; i < r.length; i++) {
      s += (r[i] - b[i]) * (r[i] - b[i]);
      t += b[i] * b[i];
    }
    System.out.printf(
        Locale.ROOT,
        "%-66s first %7.1f ms, median %7.1f ms, min %7.1f ms, " + "rel. residual %.1e%n",
        name,
        first / 1e6,
        warm.get(warm.size() / 2) / 1e6,
        warm.get(0) / 1e6,
        Math.sqrt(s / t));
  }
}
