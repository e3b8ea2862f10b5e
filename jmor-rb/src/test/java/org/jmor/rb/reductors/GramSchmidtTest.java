package org.jmor.rb.reductors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.jmor.vectors.ProductOperator;
import org.jmor.vectors.VectorArray;
import org.junit.jupiter.api.Test;

class GramSchmidtTest {

  /** A random symmetric positive definite product {@code M^T M + I}. */
  private static ProductOperator spd(Random rnd, int n) {
    double[][] m = new double[n][n];
    for (double[] row : m) {
      for (int j = 0; j < n; j++) {
        row[j] = rnd.nextGaussian();
      }
    }
    DMatrixRMaj p = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = i == j ? 1.0 : 0.0;
        for (int k = 0; k < n; k++) {
          s += m[k][i] * m[k][j];
        }
        p.set(i, j, s);
      }
    }
    return ProductOperator.ofDense(p);
  }

  private static VectorArray random(Random rnd, int len, int dim) {
    double[][] rows = new double[len][dim];
    for (double[] r : rows) {
      for (int j = 0; j < dim; j++) {
        r[j] = rnd.nextGaussian();
      }
    }
    return VectorArray.ofRows(rows);
  }

  private static void assertOrthonormal(VectorArray a, ProductOperator p) {
    double[][] g = a.gramian(p);
    for (int i = 0; i < g.length; i++) {
      for (int j = 0; j < g.length; j++) {
        assertThat(g[i][j]).as("G[%d][%d]", i, j).isCloseTo(i == j ? 1 : 0, within(1e-13));
      }
    }
  }

  @Test
  void randomVectors_becomeOrthonormalInTheProduct() {
    Random rnd = new Random(42);
    ProductOperator p = spd(rnd, 8);
    VectorArray a = random(rnd, 5, 8);
    assertThat(GramSchmidt.orthonormalize(a, p, 0, true)).isZero();
    assertThat(a.len()).isEqualTo(5);
    assertOrthonormal(a, p);
  }

  @Test
  void euclideanProduct_isTheDefaultWhenNull() {
    VectorArray a = VectorArray.ofRows(new double[] {3, 4, 0}, new double[] {1, 1, 1});
    GramSchmidt.orthonormalize(a, null, 0, true);
    assertThat(a.row(0)).containsExactly(new double[] {0.6, 0.8, 0.0}, within(1e-16));
    assertOrthonormal(a, ProductOperator.identity(3));
  }

  @Test
  void zeroAndLinearlyDependentVectors_areRemoved() {
    VectorArray a =
        VectorArray.ofRows(
            new double[] {1, 0, 0},
            new double[] {0, 0, 0},
            new double[] {1, 2, 0},
            new double[] {2, 2, 0},
            new double[] {0, 0, 5});
    assertThat(GramSchmidt.orthonormalize(a, null, 0, true)).isEqualTo(2);
    assertThat(a.len()).isEqualTo(3);
    assertThat(a.row(1)).containsExactly(0, 1, 0);
    assertThat(a.row(2)).containsExactly(0, 0, 1);
  }

  @Test
  void offset_leavesTheLeadingVectorsUntouched() {
    VectorArray a = VectorArray.ofRows(new double[] {0, 1, 0}, new double[] {5, 7, 0});
    GramSchmidt.orthonormalize(a, null, 1, true);
    assertThat(a.row(0)).containsExactly(0, 1, 0);
    assertThat(a.row(1)).containsExactly(1, 0, 0);
  }

  @Test
  void nearlyParallelVector_isOrthonormalizedAgain() {
    ProductBasis basis = new ProductBasis(3, null);
    basis.appendOrthonormalized(new ArrayList<>(List.of(new double[] {1, 0, 0})), true);
    assertThat(basis.reiterations()).isZero();
    // the component orthogonal to e1 is 1e-3 of the norm: the norm drops far below 0.9
    basis.appendOrthonormalized(new ArrayList<>(List.of(new double[] {1, 1e-3, 0})), true);
    assertThat(basis.reiterations()).isEqualTo(1);
    assertThat(basis.vector(1)).containsExactly(0, 1, 0);
  }

  @Test
  void check_detectsANonOrthonormalPrefix() {
    VectorArray a =
        VectorArray.ofRows(new double[] {1, 0, 0}, new double[] {1, 1, 0}, new double[] {0, 1, 1});
    assertThatThrownBy(() -> GramSchmidt.orthonormalize(a, null, 2, true))
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("not orthogonal");
    VectorArray b =
        VectorArray.ofRows(new double[] {1, 0, 0}, new double[] {1, 1, 0}, new double[] {0, 1, 1});
    assertThat(GramSchmidt.orthonormalize(b, null, 2, false)).isZero();
  }

  @Test
  void invalidOffset_isRejected() {
    VectorArray a = VectorArray.ofRows(new double[] {1, 0});
    assertThatThrownBy(() -> GramSchmidt.orthonormalize(a, null, 2, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset");
  }
}
