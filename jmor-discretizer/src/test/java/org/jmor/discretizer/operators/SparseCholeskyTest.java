package org.jmor.discretizer.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SparseCholeskyTest {

  /** 5-point Laplacian on an m x m grid, scaled diagonal {@code diag}. */
  private static CscMatrix laplacian(int m, double diag) {
    int n = m * m;
    int[] r = new int[5 * n];
    int[] c = new int[5 * n];
    double[] v = new double[5 * n];
    int k = 0;
    for (int j = 0; j < m; j++) {
      for (int i = 0; i < m; i++) {
        int p = j * m + i;
        r[k] = p;
        c[k] = p;
        v[k++] = diag;
        int[][] nb = {{i - 1, j}, {i + 1, j}, {i, j - 1}, {i, j + 1}};
        for (int[] q : nb) {
          if (q[0] >= 0 && q[0] < m && q[1] >= 0 && q[1] < m) {
            r[k] = p;
            c[k] = q[1] * m + q[0];
            v[k++] = -1.0;
          }
        }
      }
    }
    return CscMatrix.fromTriplets(n, n, r, c, v, k);
  }

  private static double relativeResidual(CscMatrix a, double[] x, double[] b) {
    double[] ax = a.apply(x);
    double s = 0;
    double t = 0;
    for (int i = 0; i < b.length; i++) {
      s += (ax[i] - b[i]) * (ax[i] - b[i]);
      t += b[i] * b[i];
    }
    return Math.sqrt(s / t);
  }

  @Test
  void solve_hasSmallResidual_andAnalysisIsReusedForNewValues() {
    CscMatrix a = laplacian(30, 4.0);
    double[] b = new Random(1).doubles(a.rows()).toArray();
    SparseCholesky.Analysis analysis = SparseCholesky.analyze(a);
    assertThat(relativeResidual(a, analysis.factor(a).solve(b), b)).isLessThan(1e-12);
    CscMatrix a2 = laplacian(30, 5.5);
    SparseCholesky f2 = analysis.factor(a2);
    assertThat(relativeResidual(a2, f2.solve(b), b)).isLessThan(1e-12);
    assertThat(f2.nnzL()).isEqualTo(analysis.nnzL());
  }

  @Test
  void amdOrdering_isAPermutation_andReducesFillBelowTheBandedNaturalOrder() {
    CscMatrix a = laplacian(40, 4.0);
    SparseCholesky.Analysis analysis = SparseCholesky.analyze(a);
    assertThat(analysis.permutation()).hasSize(1600).doesNotHaveDuplicates();
    // natural order: the band of width 40 fills completely, about 40 * 1600 entries
    assertThat(analysis.nnzL()).isLessThan(40L * 1600 / 2);
  }

  @Test
  void solve_inPlace() {
    CscMatrix a = laplacian(5, 4.0);
    double[] b = new Random(2).doubles(25).toArray();
    double[] x = b.clone();
    SparseCholesky f = SparseCholesky.factor(a);
    f.solve(x, 0, x, 0);
    assertThat(x).containsExactly(f.solve(b));
  }

  @Test
  void indefiniteMatrix_isRejected() {
    CscMatrix a = laplacian(5, -4.0);
    assertThatThrownBy(() -> SparseCholesky.factor(a))
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("positive definite");
  }

  @Test
  void differentPattern_isRejected() {
    SparseCholesky.Analysis analysis = SparseCholesky.analyze(laplacian(5, 4.0));
    assertThatThrownBy(() -> analysis.factor(CscMatrix.identity(25)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pattern");
  }
}
