package org.jmor.thermalblock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.jmor.base.Immutable;
import org.jmor.discretizer.models.Product;
import org.jmor.discretizer.operators.CscMatrix;
import org.jmor.discretizer.operators.LinearSolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThermalBlockModelTest {

  private static final ThermalBlockModel N10 = ThermalBlockProblem.of(2, 2).discretize(10);

  /** Euclidean norm with compensated (Kahan) summation, as accurate as numpy's pairwise sum. */
  private static double norm2(double[] x) {
    double s = 0;
    double c = 0;
    for (double v : x) {
      double y = v * v - c;
      double t = s + y;
      c = (t - s) - y;
      s = t;
    }
    return Math.sqrt(s);
  }

  private static double relativeResidual(CscMatrix a, double[] x, double[] b) {
    double[] r = a.apply(x);
    for (int i = 0; i < r.length; i++) {
      r[i] -= b[i];
    }
    return norm2(r) / norm2(b);
  }

  @ParameterizedTest
  @CsvSource({"10, 221, 40, 231, 945, 869, 1461", "50, 5101, 200, 6151, 24705, 24309, 35301"})
  void sizesAndNnz_matchTheSpecTable(
      int n, int dofs, int dirichlet, int nnzAq, int nnzA, int nnzH10, int nnzL2) {
    ThermalBlockModel m = ThermalBlockProblem.of(2, 2).discretize(n);
    assertThat(m.dofs()).isEqualTo(dofs);
    assertThat(m.dirichletDofs()).hasSize(dirichlet);
    assertThat(m.boundaryPart().nnz()).isEqualTo(dirichlet);
    assertThat(m.operators()).extracting(CscMatrix::nnz).containsOnly(nnzAq);
    assertThat(m.assembleOperator(new double[] {0.1, 0.2, 0.3, 0.4}).nnz()).isEqualTo(nnzA);
    assertThat(m.product(Product.H1_0_SEMI).nnz()).isEqualTo(nnzH10);
    assertThat(m.product(Product.L2).nnz()).isEqualTo(nnzL2);
  }

  @Test
  void n10_checksumsMatchPyMor() {
    for (CscMatrix aq : N10.operators()) {
      assertThat(aq.frobeniusNorm())
          .isCloseTo(29.495762407505246, within(1e-14 * 29.495762407505246));
    }
    double[] f = N10.rhs();
    assertThat(norm2(f)).isCloseTo(0.06863753427324665, within(1e-14 * 0.0686));
    assertThat(Arrays.stream(f).sum()).isCloseTo(0.8733333333333335, within(1e-14 * 0.873));
    assertThat(N10.product(Product.H1_0_SEMI).frobeniusNorm())
        .isCloseTo(59.866518188383054, within(1e-14 * 59.87));
    assertThat(N10.parameterDimension()).isEqualTo(4);
  }

  @Test
  void n100_checksumsMatchPyMor() {
    ThermalBlockModel m = ThermalBlockProblem.of(2, 2).discretize(100);
    assertThat(m.dofs()).isEqualTo(20201);
    for (CscMatrix aq : m.operators()) {
      assertThat(aq.frobeniusNorm()).isCloseTo(314.0222922023212, within(1e-14 * 314.02));
      assertThat(aq.nnz()).isEqualTo(24801);
    }
    assertThat(norm2(m.rhs())).isCloseTo(0.0073939915547091934, within(1e-14 * 0.0074));
    double[] mu = {0.1, 0.55, 1.0, 0.3};
    double[] u = m.solve(mu);
    assertThat(relativeResidual(m.assembleOperator(mu), u, m.rhs())).isLessThan(1e-12);
  }

  @Test
  void dirichletRowsOfTheSystem_areIdentityRows_andRhsVanishesThere() {
    CscMatrix a = N10.assembleOperator(new double[] {0.3, 0.7, 0.2, 0.9});
    CscMatrix at = a.transpose();
    double[] f = N10.rhs();
    for (int d : N10.dirichletDofs()) {
      assertThat(f[d]).isEqualTo(0.0);
      double[] row = at.apply(unit(a.rows(), d));
      assertThat(row).isEqualTo(unit(a.rows(), d));
    }
    assertThat(a.isSymmetric()).isFalse();
  }

  private static double[] unit(int n, int i) {
    double[] e = new double[n];
    e[i] = 1.0;
    return e;
  }

  @Test
  void solve_hasSmallResidualAndExactZerosOnTheBoundary() {
    Random rnd = new Random(42);
    for (int k = 0; k < 5; k++) {
      double[] mu = rnd.doubles(4, 0.1, 1.0).toArray();
      double[] u = N10.solve(mu);
      assertThat(relativeResidual(N10.assembleOperator(mu), u, N10.rhs())).isLessThan(1e-13);
      for (int d : N10.dirichletDofs()) {
        assertThat(u[d]).isEqualTo(0.0);
      }
    }
  }

  @Test
  void solve_equalBlocks_givesThePoissonSolutionScaled() {
    double[] u1 = N10.solve(new double[] {1, 1, 1, 1});
    double[] u2 = N10.solve(new double[] {0.5, 0.5, 0.5, 0.5});
    for (int i = 0; i < u1.length; i++) {
      assertThat(u2[i]).isCloseTo(2 * u1[i], offset(1e-15));
    }
  }

  @Test
  void productSolvers_invertTheirProducts() {
    double[] b = new Random(5).doubles(N10.dofs()).toArray();
    for (Product p : new Product[] {Product.H1_0_SEMI, Product.L2, Product.EUCLIDEAN}) {
      LinearSolver s = N10.productSolver(p);
      assertThat(relativeResidual(N10.product(p), s.solve(b), b)).as(p.name()).isLessThan(1e-12);
    }
    assertThatThrownBy(() -> N10.productSolver(Product.H1_SEMI))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("singular");
  }

  @Test
  void norms_areSquareRootsOfQuadraticForms() {
    double[] u = N10.solve(new double[] {0.2, 0.4, 0.6, 0.8});
    CscMatrix p = N10.product(Product.H1_0_SEMI);
    assertThat(N10.norm(u, Product.H1_0_SEMI)).isEqualTo(Math.sqrt(p.inner(u, u)));
    assertThat(N10.norm(u, Product.EUCLIDEAN)).isCloseTo(norm2(u), within(1e-14 * norm2(u)));
    assertThat(N10.norm(u, Product.L2)).isPositive().isLessThan(N10.norm(u, Product.H1_0_SEMI));
    double[] y = new double[u.length];
    N10.productOperator(Product.H1_0_SEMI).apply(u, 0, y, 0);
    assertThat(y).isEqualTo(p.apply(u));
  }

  @Test
  void invalidParameters_areRejected() {
    assertThatThrownBy(() -> N10.solve(new double[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4 components");
    assertThatThrownBy(() -> N10.solve(new double[] {-1, 1, 1, 1}))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void model_isImmutableAndSurvivesSerializationWithoutItsCaches() throws Exception {
    double[] mu = {0.15, 0.95, 0.35, 0.6};
    double[] before = N10.solve(mu);
    N10.productSolver(Product.H1_0_SEMI);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(N10);
    }
    ThermalBlockModel copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (ThermalBlockModel) in.readObject();
    }
    assertThat(N10).isInstanceOf(Immutable.class);
    assertThat(copy.solve(mu)).isEqualTo(before);
    assertThat(copy.gridIntervals()).isEqualTo(10);
    assertThat(copy.toString()).isEqualTo(N10.toString());
  }
}
