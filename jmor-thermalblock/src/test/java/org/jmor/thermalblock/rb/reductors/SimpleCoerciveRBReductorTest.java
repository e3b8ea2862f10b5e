package org.jmor.thermalblock.rb.reductors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.jmor.base.Immutable;
import org.jmor.discretizer.models.Product;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.rb.reductors.BasisExtension;
import org.jmor.rb.reductors.CoerciveRBReductor;
import org.jmor.rb.reductors.ParameterFunctional;
import org.jmor.rb.reductors.ReducedBasis;
import org.jmor.rb.reductors.ReducedModel;
import org.jmor.rb.reductors.ReductorKind;
import org.jmor.rb.reductors.SimpleCoerciveRBReductor;
import org.jmor.rb.reductors.StationaryRBReductor;
import org.jmor.thermalblock.ThermalBlockModel;
import org.jmor.thermalblock.ThermalBlockProblem;
import org.junit.jupiter.api.Test;

class SimpleCoerciveRBReductorTest {

  private static final ThermalBlockModel FOM = ThermalBlockProblem.of(2, 2).discretize(10);
  private static final double[][] SNAPSHOTS = {
    {0.1, 0.1, 0.1, 0.1}, {0.1, 0.1, 0.1, 1.0}, {0.1, 1.0, 0.55, 0.1}, {1.0, 0.3, 0.2, 0.7}
  };
  private static final double[][] MUS = {
    {0.2, 0.9, 0.4, 0.6}, {0.15, 0.15, 0.8, 0.3}, {1.0, 1.0, 1.0, 1.0}, {0.5, 0.1, 0.7, 0.25}
  };

  private static void extend(StationaryRBReductor r, BasisExtension method) {
    for (double[] mu : SNAPSHOTS) {
      r.extendBasis(FOM.solve(mu), method);
    }
  }

  /** {@code ||P^{-1} (A(mu) u - f)||_P / min(mu)} computed with the full-order model. */
  private static double trueEstimate(double[] mu, double[] u, Product product) {
    double[] r = FOM.assembleOperator(mu).apply(u);
    double[] f = FOM.rhs();
    for (int i = 0; i < r.length; i++) {
      r[i] -= f[i];
    }
    double[] riesz = FOM.productSolver(product).solve(r);
    double min = Double.POSITIVE_INFINITY;
    for (double m : mu) {
      min = Math.min(min, m);
    }
    double dual = 0.0;
    for (int i = 0; i < r.length; i++) {
      dual += riesz[i] * r[i];
    }
    return Math.sqrt(dual) / min;
  }

  @Test
  void emptyBasis_estimateIsTheDualNormOfTheRhs() {
    SimpleCoerciveRBReductor reductor = SimpleCoerciveRBReductor.forThermalBlock(FOM);
    ReducedModel rom = reductor.reduce();
    assertThat(rom.dim()).isZero();
    assertThat(rom.hasGramEstimator()).isTrue();
    assertThat(rom.residualRangeDim()).isZero();
    assertThat(rom.residualRangeDims()).isEmpty();
    for (double[] mu : MUS) {
      double expected = trueEstimate(mu, new double[FOM.dofs()], Product.H1_0_SEMI);
      assertThat(rom.estimateError(mu)).isCloseTo(expected, within(1e-12 * expected));
    }
  }

  /**
   * Up to round-off; {@code mu = (1, 1, 1, 1)} has its solution in the basis (a multiple of the
   * snapshot at {@code (0.1, 0.1, 0.1, 0.1)}): {@code C^T G C} cancels to a tiny negative number,
   * clipped to 0 as in pyMOR, where the residual basis gives about 1e-16.
   */
  @Test
  void sameReducedSystemAsTheResidualBasisReductor_estimatesAgree() {
    for (BasisExtension method : BasisExtension.values()) {
      SimpleCoerciveRBReductor simple = SimpleCoerciveRBReductor.forThermalBlock(FOM);
      CoerciveRBReductor residual = CoerciveRBReductor.forThermalBlock(FOM);
      extend(simple, method);
      extend(residual, method);
      ReducedModel a = simple.reduce();
      ReducedModel b = residual.reduce();
      assertThat(a.dim()).isEqualTo(4);
      for (double[] mu : MUS) {
        // the basis and the Galerkin projection are shared code: bit-identical reduced solutions
        double[] u = a.solve(mu);
        assertThat(u).containsExactly(b.solve(mu));
        double expected = trueEstimate(mu, simple.reconstruct(u), Product.H1_0_SEMI);
        assertThat(a.estimateError(mu))
            .isCloseTo(b.estimateError(mu), within(1e-9 * expected + 1e-12));
        assertThat(a.estimateError(mu)).isCloseTo(expected, within(1e-9 * expected + 1e-12));
        assertThat(a.estimateError(mu, u)).isEqualTo(a.estimateError(mu));
      }
    }
  }

  @Test
  void incrementalGram_equalsTheGramOfAFreshReductor() {
    SimpleCoerciveRBReductor incremental = SimpleCoerciveRBReductor.forThermalBlock(FOM);
    for (double[] mu : SNAPSHOTS) {
      incremental.extendBasis(FOM.solve(mu), BasisExtension.GRAM_SCHMIDT);
      incremental.reduce();
    }
    SimpleCoerciveRBReductor once = SimpleCoerciveRBReductor.forThermalBlock(FOM);
    extend(once, BasisExtension.GRAM_SCHMIDT);
    for (double[] mu : MUS) {
      assertThat(incremental.reduce().estimateError(mu)).isEqualTo(once.reduce().estimateError(mu));
    }
  }

  @Test
  void euclideanProduct() {
    SimpleCoerciveRBReductor reductor =
        SimpleCoerciveRBReductor.of(FOM, Product.EUCLIDEAN, ParameterFunctional.minComponent());
    extend(reductor, BasisExtension.GRAM_SCHMIDT);
    ReducedModel rom = reductor.reduce();
    for (double[] mu : MUS) {
      double expected = trueEstimate(mu, reductor.reconstruct(rom.solve(mu)), Product.EUCLIDEAN);
      assertThat(rom.estimateError(mu)).isCloseTo(expected, within(1e-8 * expected + 1e-12));
    }
  }

  @Test
  void reduceOnThreads_isBitIdentical() {
    SimpleCoerciveRBReductor serial = SimpleCoerciveRBReductor.forThermalBlock(FOM);
    SimpleCoerciveRBReductor parallel = SimpleCoerciveRBReductor.forThermalBlock(FOM);
    try (WorkerPool pool = WorkerPools.threads(2)) {
      for (double[] mu : SNAPSHOTS) {
        serial.extendBasis(FOM.solve(mu), BasisExtension.GRAM_SCHMIDT);
        parallel.extendBasis(FOM.solve(mu), BasisExtension.GRAM_SCHMIDT);
        ReducedModel a = serial.reduce();
        ReducedModel b = parallel.reduce(pool);
        for (double[] m : MUS) {
          assertThat(b.estimateError(m)).isEqualTo(a.estimateError(m));
        }
      }
    }
  }

  @Test
  void reducedModel_travelsToWorkers() throws Exception {
    SimpleCoerciveRBReductor reductor = SimpleCoerciveRBReductor.forThermalBlock(FOM);
    extend(reductor, BasisExtension.GRAM_SCHMIDT);
    ReducedModel rom = reductor.reduce();
    assertThat(rom).isInstanceOf(Immutable.class);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(rom);
      out.writeObject(reductor.reducedBasis());
    }
    ReducedModel copy;
    ReducedBasis basis;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (ReducedModel) in.readObject();
      basis = (ReducedBasis) in.readObject();
    }
    assertThat(copy.hasGramEstimator()).isTrue();
    for (double[] mu : MUS) {
      assertThat(copy.estimateError(mu)).isEqualTo(rom.estimateError(mu));
      assertThat(basis.reconstruct(copy.solve(mu)))
          .containsExactly(reductor.reconstruct(rom.solve(mu)));
    }
  }

  @Test
  void kindCreatesEitherReductor() {
    assertThat(
            ReductorKind.TRADITIONAL.create(
                FOM, Product.H1_0_SEMI, ParameterFunctional.minComponent()))
        .isInstanceOf(SimpleCoerciveRBReductor.class);
    assertThat(
            ReductorKind.RESIDUAL_BASIS.create(
                FOM, Product.H1_0_SEMI, ParameterFunctional.minComponent()))
        .isInstanceOf(CoerciveRBReductor.class);
    assertThat(ReductorKind.TRADITIONAL.pymorName()).isEqualTo("traditional");
    assertThat(ReductorKind.RESIDUAL_BASIS.pymorName()).isEqualTo("residual_basis");
    assertThat(SimpleCoerciveRBReductor.forThermalBlock(FOM).toString()).contains("basis size 0");
  }
}
