package org.jmor.thermalblock.rb.reductors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.jmor.base.Immutable;
import org.jmor.discretizer.models.Product;
import org.jmor.discretizer.models.StationaryModel;
import org.jmor.discretizer.operators.CscMatrix;
import org.jmor.parallel.RemoteObject;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.rb.reductors.BasisExtension;
import org.jmor.rb.reductors.CoerciveRBReductor;
import org.jmor.rb.reductors.ExtensionException;
import org.jmor.rb.reductors.ParameterFunctional;
import org.jmor.rb.reductors.ReducedBasis;
import org.jmor.rb.reductors.ReducedModel;
import org.jmor.thermalblock.ThermalBlockModel;
import org.jmor.thermalblock.ThermalBlockProblem;
import org.jmor.vectors.VectorArray;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CoerciveRBReductorTest {

  private static final ThermalBlockModel FOM = ThermalBlockProblem.of(2, 2).discretize(10);
  private static final double[][] SNAPSHOTS = {
    {0.1, 0.1, 0.1, 0.1}, {0.1, 0.1, 0.1, 1.0}, {0.1, 1.0, 0.55, 0.1}, {1.0, 0.3, 0.2, 0.7}
  };

  private CoerciveRBReductor reductor;

  @BeforeEach
  void setUp() {
    reductor = CoerciveRBReductor.forThermalBlock(FOM);
  }

  private void extendWithSnapshots() {
    for (double[] mu : SNAPSHOTS) {
      reductor.extendBasis(FOM.solve(mu), BasisExtension.GRAM_SCHMIDT);
    }
  }

  /** {@code ||P^{-1} (A(mu) u - f)||_P / min(mu)} computed with the full-order model. */
  private static double trueEstimate(double[] mu, double[] u) {
    double[] r = FOM.assembleOperator(mu).apply(u);
    double[] f = FOM.rhs();
    for (int i = 0; i < r.length; i++) {
      r[i] -= f[i];
    }
    double[] riesz = FOM.productSolver(Product.H1_0_SEMI).solve(r);
    double min = Double.POSITIVE_INFINITY;
    for (double m : mu) {
      min = Math.min(min, m);
    }
    return FOM.norm(riesz, Product.H1_0_SEMI) / min;
  }

  @Test
  void emptyBasis_estimateIsTheRieszNormOfTheRhsOverMinMu() {
    ReducedModel rom = reductor.reduce();
    assertThat(rom.dim()).isZero();
    assertThat(rom.residualRangeDims()).containsExactly(1);
    double[] mu = {0.2, 0.5, 0.9, 0.3};
    double expected = trueEstimate(mu, new double[FOM.dofs()]);
    assertThat(rom.estimateError(mu)).isCloseTo(expected, within(1e-13 * expected));
    assertThat(rom.solve(mu)).isEmpty();
    assertThat(rom.conditionNumber(mu)).isZero();
  }

  @Test
  void basis_isOrthonormalInH10Semi() {
    extendWithSnapshots();
    VectorArray v = reductor.basis();
    double[][] g = v.gramian(FOM.productOperator(Product.H1_0_SEMI));
    for (int i = 0; i < g.length; i++) {
      for (int j = 0; j < g.length; j++) {
        assertThat(g[i][j]).isCloseTo(i == j ? 1 : 0, within(1e-13));
      }
    }
    for (int d : FOM.dirichletDofs()) {
      for (int i = 0; i < v.len(); i++) {
        assertThat(v.get(i, d)).isEqualTo(0.0);
      }
    }
  }

  @Test
  void reducedSolve_isTheGalerkinProjection() {
    extendWithSnapshots();
    ReducedModel rom = reductor.reduce();
    double[] mu = {0.35, 0.8, 0.15, 0.6};
    VectorArray v = reductor.basis();
    CscMatrix a = FOM.assembleOperator(mu);
    int k = v.len();
    DMatrixRMaj an = new DMatrixRMaj(k, k);
    DMatrixRMaj fn = new DMatrixRMaj(k, 1);
    for (int j = 0; j < k; j++) {
      double[] avj = a.apply(v.row(j));
      for (int i = 0; i < k; i++) {
        an.set(i, j, a.inner(v.row(i), v.row(j)));
      }
      fn.set(j, 0, dot(v.row(j), FOM.rhs()));
      assertThat(avj).hasSize(FOM.dofs());
    }
    DMatrixRMaj un = new DMatrixRMaj(k, 1);
    assertThat(CommonOps_DDRM.solve(an, fn, un)).isTrue();
    double[] actual = rom.solve(mu);
    for (int i = 0; i < k; i++) {
      assertThat(actual[i]).isCloseTo(un.get(i), within(1e-12));
    }
  }

  private static double dot(double[] x, double[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * y[i];
    }
    return s;
  }

  @Test
  void onlineEstimate_equalsTheFullOrderResidualDualNorm() {
    extendWithSnapshots();
    ReducedModel rom = reductor.reduce();
    Random rnd = new Random(1);
    for (int t = 0; t < 5; t++) {
      double[] mu = rnd.doubles(4, 0.1, 1.0).toArray();
      double[] u = reductor.reconstruct(rom.solve(mu));
      double expected = trueEstimate(mu, u);
      assertThat(rom.estimateError(mu)).isCloseTo(expected, within(1e-9 * expected));
    }
  }

  @Test
  void estimate_boundsTheH10SemiError_andVanishesAtSnapshots() {
    extendWithSnapshots();
    ReducedModel rom = reductor.reduce();
    Random rnd = new Random(2);
    for (int t = 0; t < 5; t++) {
      double[] mu = rnd.doubles(4, 0.1, 1.0).toArray();
      double[] err = FOM.solve(mu);
      double[] urb = reductor.reconstruct(rom.solve(mu));
      for (int i = 0; i < err.length; i++) {
        err[i] -= urb[i];
      }
      assertThat(FOM.norm(err, Product.H1_0_SEMI)).isLessThanOrEqualTo(rom.estimateError(mu));
    }
    assertThat(rom.estimateError(SNAPSHOTS[2])).isLessThan(1e-9);
  }

  @Test
  void residualRange_growsByAtMostQPerBasisVector() {
    extendWithSnapshots();
    reductor.reduce();
    int[] dims = reductor.residualRangeDims();
    assertThat(dims).hasSize(SNAPSHOTS.length + 1).startsWith(1).isSorted();
    for (int i = 1; i < dims.length; i++) {
      // B v is zero and always dropped: at most Q new vectors
      assertThat(dims[i] - dims[i - 1]).isBetween(1, 4);
    }
  }

  @Test
  void reduce_isCachedUntilTheNextExtension() {
    reductor.extendBasis(FOM.solve(SNAPSHOTS[0]), BasisExtension.GRAM_SCHMIDT);
    ReducedModel first = reductor.reduce();
    assertThat(reductor.reduce()).isSameAs(first);
    reductor.extendBasis(FOM.solve(SNAPSHOTS[1]), BasisExtension.GRAM_SCHMIDT);
    assertThat(reductor.reduce()).isNotSameAs(first);
    assertThat(reductor.reduce().dim()).isEqualTo(2);
  }

  @Test
  void dependentSnapshot_failsTheExtension_andLeavesTheBasisUnchanged() {
    double[] u = FOM.solve(SNAPSHOTS[0]);
    reductor.extendBasis(u, BasisExtension.GRAM_SCHMIDT);
    double[] twice = u.clone();
    for (int i = 0; i < twice.length; i++) {
      twice[i] *= 2;
    }
    assertThatThrownBy(() -> reductor.extendBasis(twice, BasisExtension.GRAM_SCHMIDT))
        .isInstanceOf(ExtensionException.class)
        .hasMessageContaining("linearly dependent");
    assertThat(reductor.basisSize()).isEqualTo(1);
  }

  @Test
  void trivialExtension_appendsAsIs_andRejectsDuplicates() {
    double[] u = FOM.solve(SNAPSHOTS[1]);
    reductor.extendBasis(u, BasisExtension.TRIVIAL);
    assertThat(reductor.basis().row(0)).containsExactly(u);
    assertThatThrownBy(() -> reductor.extendBasis(u, BasisExtension.TRIVIAL))
        .isInstanceOf(ExtensionException.class)
        .hasMessageContaining("equal");
    reductor.extendBasis(FOM.solve(SNAPSHOTS[2]), BasisExtension.TRIVIAL);
    ReducedModel rom = reductor.reduce();
    double[] mu = {0.4, 0.4, 0.6, 0.2};
    double[] urb = reductor.reconstruct(rom.solve(mu));
    assertThat(rom.estimateError(mu))
        .isCloseTo(trueEstimate(mu, urb), within(1e-9 * trueEstimate(mu, urb)));
  }

  @Test
  void conditionNumber_isTheRatioOfExtremeEigenvaluesOfTheSymmetricReducedMatrix() {
    extendWithSnapshots();
    ReducedModel rom = reductor.reduce();
    double[] mu = {0.1, 1.0, 0.5, 0.25};
    DMatrixRMaj a = rom.assembleOperator(mu);
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(a.numRows, false, true);
    assertThat(eig.decompose(a.copy())).isTrue();
    double max = 0;
    double min = Double.POSITIVE_INFINITY;
    for (int i = 0; i < a.numRows; i++) {
      double l = eig.getEigenvalue(i).real;
      max = Math.max(max, l);
      min = Math.min(min, l);
    }
    assertThat(rom.conditionNumber(mu)).isCloseTo(max / min, within(1e-10 * max / min));
  }

  @Test
  void reducedModel_isImmutableSerializableAndBitwiseStable() throws Exception {
    extendWithSnapshots();
    ReducedModel rom = reductor.reduce();
    assertThat(rom).isInstanceOf(Immutable.class);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(rom);
      out.writeObject(reductor.reducedBasis());
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      ReducedModel copy = (ReducedModel) in.readObject();
      ReducedBasis basis = (ReducedBasis) in.readObject();
      double[] mu = {0.7, 0.2, 0.45, 0.9};
      assertThat(copy.estimateError(mu)).isEqualTo(rom.estimateError(mu));
      assertThat(basis.reconstruct(copy.solve(mu)))
          .containsExactly(reductor.reconstruct(rom.solve(mu)));
    }
  }

  @Test
  void reduceOnAStrictPool_isBitIdenticalToSerial_andReleaseWorkersRemovesTheRangeBasis() {
    CoerciveRBReductor serial = CoerciveRBReductor.forThermalBlock(FOM);
    double[] mu = {0.7, 0.2, 0.45, 0.9};
    try (WorkerPool pool =
            WorkerPools.builder().backend("threads").workers(3).strict(true).build();
        RemoteObject<StationaryModel> pushed = pool.push(FOM)) {
      int before = pool.statistics().liveObjects();
      for (int i = 0; i < SNAPSHOTS.length; i++) {
        double[] u = FOM.solve(SNAPSHOTS[i]);
        serial.extendBasis(u, BasisExtension.GRAM_SCHMIDT);
        reductor.extendBasis(u, BasisExtension.GRAM_SCHMIDT);
        ReducedModel expected = serial.reduce();
        ReducedModel actual = reductor.reduce(pool);
        assertThat(actual.estimateError(mu))
            .as("extension " + i)
            .isEqualTo(expected.estimateError(mu));
        assertThat(actual.solve(mu)).containsExactly(expected.solve(mu));
        assertThat(pool.statistics().liveObjects())
            .as("the range basis stays")
            .isEqualTo(before + 1);
        if (i == 1) {
          reductor.releaseWorkers(); // the next reduce sends the whole basis again
          assertThat(pool.statistics().liveObjects()).isEqualTo(before);
        }
      }
      reductor.releaseWorkers();
      reductor.releaseWorkers();
      assertThat(pool.statistics().liveObjects()).isEqualTo(before);
    }
  }

  @Test
  void workspace_ofAnotherModelIsRejected() {
    ReducedModel empty = reductor.reduce();
    extendWithSnapshots();
    ReducedModel rom = reductor.reduce();
    assertThatThrownBy(() -> rom.solveAndEstimate(SNAPSHOTS[0], empty.newWorkspace()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workspace");
    assertThatThrownBy(() -> rom.solve(new double[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4 components");
  }

  @Test
  void euclideanProduct_isSupported() {
    CoerciveRBReductor euclid =
        CoerciveRBReductor.of(FOM, Product.EUCLIDEAN, ParameterFunctional.minComponent());
    euclid.extendBasis(FOM.solve(SNAPSHOTS[0]), BasisExtension.GRAM_SCHMIDT);
    euclid.extendBasis(FOM.solve(SNAPSHOTS[1]), BasisExtension.GRAM_SCHMIDT);
    double[][] g = euclid.basis().gramian();
    assertThat(g[0][1]).isCloseTo(0.0, within(1e-14));
    assertThat(g[1][1]).isCloseTo(1.0, within(1e-14));
    double[] mu = {0.5, 0.2, 0.9, 0.3};
    double[] u = euclid.reconstruct(euclid.reduce().solve(mu));
    double[] r = FOM.assembleOperator(mu).apply(u);
    double[] f = FOM.rhs();
    double s = 0;
    for (int i = 0; i < r.length; i++) {
      s += (r[i] - f[i]) * (r[i] - f[i]);
    }
    assertThat(euclid.reduce().estimateError(mu))
        .isCloseTo(Math.sqrt(s) / 0.2, within(1e-9 * Math.sqrt(s)));
  }
}
