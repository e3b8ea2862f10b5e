package org.jmor.discretizer.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.jmor.vectors.ProductOperator;
import org.junit.jupiter.api.Test;

class CscMatrixTest {

  /** Dense reference of a matrix. */
  private static double[][] dense(CscMatrix a) {
    double[][] d = new double[a.rows()][a.cols()];
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        d[i][j] = a.get(i, j);
      }
    }
    return d;
  }

  private static CscMatrix random(Random rnd, int rows, int cols, int count) {
    int[] r = new int[count];
    int[] c = new int[count];
    double[] v = new double[count];
    for (int k = 0; k < count; k++) {
      r[k] = rnd.nextInt(rows);
      c[k] = rnd.nextInt(cols);
      v[k] = rnd.nextGaussian();
    }
    return CscMatrix.fromTriplets(rows, cols, r, c, v, count);
  }

  @Test
  void fromTriplets_sumsDuplicatesAndDropsExactZeros() {
    CscMatrix a =
        CscMatrix.fromTriplets(
            3,
            2,
            new int[] {0, 2, 0, 1, 1},
            new int[] {0, 1, 0, 1, 1},
            new double[] {1.5, 2.0, 2.5, 1.0, -1.0},
            5);
    assertThat(a.get(0, 0)).isEqualTo(4.0);
    assertThat(a.get(2, 1)).isEqualTo(2.0);
    assertThat(a.nnz()).isEqualTo(2);
    assertThat(a.columnPointers()).containsExactly(0, 1, 2);
  }

  @Test
  void apply_andApplyTransposed_matchDenseProducts() {
    Random rnd = new Random(42);
    CscMatrix a = random(rnd, 7, 5, 20);
    double[][] d = dense(a);
    double[] x = rnd.doubles(5).toArray();
    double[] y = rnd.doubles(7).toArray();
    double[] ax = a.apply(x);
    double[] aty = a.applyTransposed(y);
    double xay = 0;
    for (int i = 0; i < 7; i++) {
      double s = 0;
      for (int j = 0; j < 5; j++) {
        s += d[i][j] * x[j];
      }
      assertThat(ax[i]).isCloseTo(s, within(1e-14));
      xay += y[i] * s;
    }
    for (int j = 0; j < 5; j++) {
      double s = 0;
      for (int i = 0; i < 7; i++) {
        s += d[i][j] * y[i];
      }
      assertThat(aty[j]).isCloseTo(s, within(1e-14));
    }
    assertThat(a.inner(y, x)).isCloseTo(xay, within(1e-13));
  }

  @Test
  void linearCombination_ofDifferentPatterns_isEntrywise() {
    Random rnd = new Random(7);
    CscMatrix a = random(rnd, 6, 6, 10);
    CscMatrix b = random(rnd, 6, 6, 10);
    CscMatrix c = CscMatrix.linearCombination(new double[] {2.0, -0.5}, List.of(a, b));
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 6; j++) {
        assertThat(c.get(i, j)).isCloseTo(2.0 * a.get(i, j) - 0.5 * b.get(i, j), within(1e-15));
      }
    }
    assertThatThrownBy(() -> CscMatrix.linearCombination(new double[] {1}, List.of(a, b)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void submatrix_andTranspose() {
    Random rnd = new Random(3);
    CscMatrix a = random(rnd, 6, 5, 18);
    CscMatrix s = a.submatrix(new int[] {1, 3, 4}, new int[] {4, 0});
    assertThat(s.rows()).isEqualTo(3);
    assertThat(s.get(1, 0)).isEqualTo(a.get(3, 4));
    assertThat(s.get(2, 1)).isEqualTo(a.get(4, 0));
    CscMatrix t = a.transpose();
    assertThat(t.get(4, 2)).isEqualTo(a.get(2, 4));
    assertThat(t.nnz()).isEqualTo(a.nnz());
  }

  @Test
  void asProductOperator_requiresSymmetry() {
    CscMatrix sym =
        CscMatrix.fromTriplets(
            2, 2, new int[] {0, 1, 0, 1}, new int[] {0, 0, 1, 1}, new double[] {2, 1, 1, 3}, 4);
    ProductOperator p = sym.asProductOperator();
    double[] y = new double[3];
    p.apply(new double[] {9, 1, 1}, 1, y, 1);
    assertThat(y).containsExactly(0, 3, 4);
    CscMatrix nonSym =
        CscMatrix.fromTriplets(2, 2, new int[] {1}, new int[] {0}, new double[] {1}, 1);
    assertThatThrownBy(nonSym::asProductOperator)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("symmetric");
  }

  @Test
  void frobeniusNorm_andDiagonal() {
    CscMatrix d = CscMatrix.diagonal(4, new int[] {3, 1}, 2.0);
    assertThat(d.nnz()).isEqualTo(2);
    assertThat(d.frobeniusNorm()).isEqualTo(Math.sqrt(8.0));
    assertThat(CscMatrix.identity(3).get(2, 2)).isEqualTo(1.0);
    assertThatThrownBy(() -> CscMatrix.diagonal(4, new int[] {1, 1}, 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("repeated");
  }
}
