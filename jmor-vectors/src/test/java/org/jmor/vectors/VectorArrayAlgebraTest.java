package org.jmor.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class VectorArrayAlgebraTest {

  private static final double TOL = 1e-12;

  private static void assertClose(double[][] actual, double[][] expected) {
    assertThat(actual.length).isEqualTo(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).hasSize(expected[i].length);
      for (int j = 0; j < expected[i].length; j++) {
        assertThat(actual[i][j])
            .as("[%d][%d]", i, j)
            .isCloseTo(expected[i][j], within(TOL * (1 + Math.abs(expected[i][j]))));
      }
    }
  }

  private static void assertClose(double[] actual, double[] expected) {
    assertClose(new double[][] {actual}, new double[][] {expected});
  }

  private static ProductOperator dense(double[][] m) {
    return ProductOperator.ofDense(new DMatrixRMaj(m));
  }

  @Test
  void scal() {
    VectorArray a = VectorArray.ofRows(new double[] {1, -2}, new double[] {3, 4});
    a.scal(-0.5);
    assertThat(a.toRowMajor()).containsExactly(-0.5, 1, -1.5, -2);
    a.scal(new double[] {2, 10});
    assertThat(a.toRowMajor()).containsExactly(-1, 2, -15, -20);
    assertThatThrownBy(() -> a.scal(new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "alphas length mismatch: alphas has length 1, this has len 2 (one value per vector required)");
    VectorArray e = VectorArray.empty(3);
    e.scal(2);
    e.scal(new double[0]);
    assertThat(e.len()).isZero();
  }

  @Test
  void axpyAgainstReference() {
    Random rnd = new Random(42);
    double[][] x = Ref.random(rnd, 5, 8);
    double[][] y = Ref.random(rnd, 5, 8);
    VectorArray a = VectorArray.ofRows(y);
    a.axpy(1.5, VectorArray.ofRows(x));
    double[] alphas = {1, -2, 0, 0.25, 3};
    a.axpy(alphas, VectorArray.ofRows(x));
    double[][] exp = new double[5][8];
    for (int i = 0; i < 5; i++) {
      for (int k = 0; k < 8; k++) {
        exp[i][k] = y[i][k] + 1.5 * x[i][k] + alphas[i] * x[i][k];
      }
    }
    assertClose(Ref.rows(a), exp);
  }

  @Test
  void axpyBroadcast() {
    VectorArray a =
        VectorArray.ofRows(new double[] {1, 1}, new double[] {2, 2}, new double[] {3, 3});
    VectorArray x = VectorArray.ofRows(new double[] {1, -1});
    a.axpy(2, x);
    assertThat(a.toRowMajor()).containsExactly(3, -1, 4, 0, 5, 1);
    a.axpy(new double[] {0, 1, -1}, x);
    assertThat(a.toRowMajor()).containsExactly(3, -1, 5, -1, 4, 2);
    assertThat(x.toRowMajor()).containsExactly(1, -1);
    VectorArray e = VectorArray.empty(2);
    e.axpy(1, x); // broadcast onto nothing
    e.axpy(1, VectorArray.empty(2));
    assertThat(e.len()).isZero();
  }

  @Test
  void axpyErrors() {
    VectorArray a = VectorArray.zeros(3, 2);
    assertThatThrownBy(() -> a.axpy(1, VectorArray.zeros(2, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "len mismatch: this has len 3, x has len 2 (allowed: x.len() == 3 or x.len() == 1 for broadcast)");
    assertThatThrownBy(() -> a.axpy(1, VectorArray.zeros(3, 4)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dim mismatch: this has dim 2, x has dim 4");
    assertThatThrownBy(() -> a.axpy(new double[2], VectorArray.zeros(3, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("alphas length mismatch");
  }

  @Test
  void axpyWithAliasingUsesOldValues() {
    VectorArray a = VectorArray.ofRows(new double[] {1}, new double[] {10});
    a.axpy(1, a);
    assertThat(a.toRowMajor()).containsExactly(2, 20);
    // swap-like aliasing: a[0] += a[1], a[1] += a[0] with the OLD values
    a.axpy(1, a.view(1, 0));
    assertThat(a.toRowMajor()).containsExactly(22, 22);
    // broadcast of a row of itself
    VectorArray b = VectorArray.ofRows(new double[] {1}, new double[] {2}, new double[] {3});
    b.axpy(1, b.view(0));
    assertThat(b.toRowMajor()).containsExactly(2, 3, 4);
    // view of itself updated from the base
    VectorArray c = VectorArray.ofRows(new double[] {1}, new double[] {2});
    c.view(1, 0).axpy(1, c);
    assertThat(c.toRowMajor()).containsExactly(3, 3);
  }

  @Test
  void lincomb() {
    Random rnd = new Random(42);
    double[][] v = Ref.random(rnd, 4, 6);
    VectorArray a = VectorArray.ofRows(v);
    double[] c = {0.5, -1, 2, 3};
    VectorArray r = a.lincomb(c);
    assertThat(r.len()).isEqualTo(1);
    double[] exp = new double[6];
    for (int k = 0; k < 6; k++) {
      exp[k] = 0.5 * v[0][k] - v[1][k] + 2 * v[2][k] + 3 * v[3][k];
    }
    assertClose(r.row(0), exp);

    double[][] cs = {{1, 0, 0, 0}, {0, 0, 0, 1}, {1, 1, 1, 1}};
    VectorArray r3 = a.lincomb(cs);
    assertThat(r3.len()).isEqualTo(3);
    assertThat(r3.row(0)).containsExactly(v[0]);
    assertThat(r3.row(1)).containsExactly(v[3]);
    double[] sum = new double[6];
    for (int k = 0; k < 6; k++) {
      sum[k] = v[0][k] + v[1][k] + v[2][k] + v[3][k];
    }
    assertClose(r3.row(2), sum);

    assertThat(a.view(3, 0).lincomb(new double[] {1, -1}).row(0)[2])
        .isCloseTo(v[3][2] - v[0][2], within(TOL));
    assertThat(a.lincomb(new double[0][]).len()).isZero();
    assertThat(VectorArray.empty(3).lincomb(new double[0]).toRowMajor()).containsExactly(0, 0, 0);
    assertThatThrownBy(() -> a.lincomb(new double[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "coefficients length mismatch: coefficients[0] has length 3, this has len 4 "
                + "(one coefficient per vector required)");
    assertThatThrownBy(() -> a.lincomb(new double[][] {new double[4], new double[5]}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("coefficients[1] has length 5");
  }

  @Test
  void innerAgainstReference() {
    Random rnd = new Random(42);
    double[][] x = Ref.random(rnd, 5, 9);
    double[][] y = Ref.random(rnd, 3, 9);
    VectorArray a = VectorArray.ofRows(x);
    VectorArray b = VectorArray.ofRows(y);
    double[][] g = a.inner(b);
    assertThat(g.length).isEqualTo(5);
    assertThat(g[0]).hasSize(3);
    assertClose(g, Ref.inner(x, y));
    assertClose(
        a.view(4, 1).inner(b.view(2)),
        new double[][] {{Ref.dot(x[4], y[2])}, {Ref.dot(x[1], y[2])}});
    assertThatThrownBy(() -> a.inner(VectorArray.empty(8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dim mismatch: this has dim 9, other has dim 8");
  }

  @Test
  void innerWithEmptyArrays() {
    VectorArray a = VectorArray.zeros(3, 4);
    VectorArray e = VectorArray.empty(4);
    assertThat(a.inner(e)).hasDimensions(3, 0);
    assertThat(e.inner(a).length).isZero();
    assertThat(e.gramian().length).isZero();
    ProductOperator p = ProductOperator.identity(4);
    assertThat(e.gramian(p).length).isZero();
    assertThat(a.inner(e, p)).hasDimensions(3, 0);
    assertThat(e.inner(a, p).length).isZero();
    assertThat(e.pairwiseInner(e)).isEmpty();
    assertThat(e.norm()).isEmpty();
    assertThat(e.supNorm()).isEmpty();
    // dim 0: all inner products 0
    VectorArray z = VectorArray.zeros(2, 0);
    assertThat(z.gramian()).isEqualTo(new double[][] {{0, 0}, {0, 0}});
    assertThat(z.supNorm()).containsExactly(0, 0);
  }

  @Test
  void innerWithProductAgainstHandComputedDense() {
    // P = [[2, 1], [1, 3]], x0 = (1, 2), x1 = (0, 1), y0 = (1, -1)
    // P y0 = (1, -2); x0 . P y0 = 1 - 4 = -3; x1 . P y0 = -2
    ProductOperator p = dense(new double[][] {{2, 1}, {1, 3}});
    VectorArray x = VectorArray.ofRows(new double[] {1, 2}, new double[] {0, 1});
    VectorArray y = VectorArray.ofRows(new double[] {1, -1});
    assertThat(x.inner(y, p)).isEqualTo(new double[][] {{-3}, {-2}});
    // x0^T P x0 = 2 + 4 + 12 = 18; x1^T P x1 = 3; x0^T P x1 = (1,2).(1,3) = 7
    assertThat(x.gramian(p)).isEqualTo(new double[][] {{18, 7}, {7, 3}});
    assertThat(x.norm2(p)).containsExactly(18, 3);
    assertThat(x.norm(p)).containsExactly(Math.sqrt(18), Math.sqrt(3));
    assertThat(x.pairwiseInner(x.view(1, 0), p)).containsExactly(7, 7);
  }

  @Test
  void productInnerAgainstReference() {
    Random rnd = new Random(42);
    int dim = 7;
    double[][] m = Ref.spd(rnd, dim);
    double[][] x = Ref.random(rnd, 6, dim);
    double[][] y = Ref.random(rnd, 4, dim);
    ProductOperator p = dense(m);
    VectorArray a = VectorArray.ofRows(x);
    VectorArray b = VectorArray.ofRows(y);
    assertClose(a.inner(b, p), Ref.inner(x, m, y));
    double[][] gram = a.gramian(p);
    assertClose(gram, Ref.inner(x, m, x));
    assertClose(gram, a.inner(a, p));
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 6; j++) {
        assertThat(gram[i][j]).isEqualTo(gram[j][i]);
      }
    }
    double[] pw = a.copyRange(0, 4).pairwiseInner(b, p);
    double[] n = a.norm(p);
    for (int i = 0; i < 4; i++) {
      assertThat(pw[i]).isCloseTo(Ref.dot(x[i], Ref.matVec(m, y[i])), within(1e-12));
    }
    for (int i = 0; i < 6; i++) {
      assertThat(n[i]).isCloseTo(Math.sqrt(Ref.dot(x[i], Ref.matVec(m, x[i]))), within(1e-12));
    }
    // identity product equals Euclidean
    ProductOperator id = ProductOperator.identity(dim);
    assertClose(a.inner(b, id), a.inner(b));
    assertClose(a.norm(id), a.norm());
    assertClose(a.gramian(id), a.gramian());
  }

  @Test
  void productDimMismatch() {
    VectorArray a = VectorArray.zeros(2, 3);
    ProductOperator p = ProductOperator.identity(4);
    assertThatThrownBy(() -> a.inner(a, p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dim mismatch: this has dim 3, product has dim 4");
    assertThatThrownBy(() -> a.gramian(p)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> a.norm(p)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> a.pairwiseInner(a, p)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void productAppliedWithOffsetsWithoutCopyingRows() {
    // a counting operator records offsets: it must be called on the array's storage with row
    // offsets
    int[] calls = {0};
    ProductOperator counting =
        new ProductOperator() {
          @Override
          public int dim() {
            return 2;
          }

          @Override
          public void apply(double[] x, int xOffset, double[] y, int yOffset) {
            calls[0]++;
            y[yOffset] = 2 * x[xOffset];
            y[yOffset + 1] = 3 * x[xOffset + 1];
          }
        };
    VectorArray a =
        VectorArray.ofRows(new double[] {1, 1}, new double[] {1, 2}, new double[] {2, 0});
    VectorArray b = VectorArray.ofRows(new double[] {1, 0}, new double[] {0, 1});
    double[][] r = a.inner(b, counting);
    assertThat(calls[0]).isEqualTo(2); // once per vector of other
    assertThat(r).isEqualTo(new double[][] {{2, 3}, {2, 6}, {4, 0}});
    calls[0] = 0;
    double[][] g = a.gramian(counting);
    assertThat(calls[0]).isEqualTo(3);
    assertThat(g).isEqualTo(new double[][] {{5, 8, 4}, {8, 14, 4}, {4, 4, 8}});
  }

  @Test
  void pairwiseInnerAndNorms() {
    VectorArray a =
        VectorArray.ofRows(new double[] {3, 4}, new double[] {-1, 0}, new double[] {0, 0});
    VectorArray b =
        VectorArray.ofRows(new double[] {1, 1}, new double[] {5, 7}, new double[] {2, 2});
    assertThat(a.pairwiseInner(b)).containsExactly(7, -5, 0);
    assertThat(a.norm()).containsExactly(5, 1, 0);
    assertThat(a.norm2()).containsExactly(25, 1, 0);
    assertThat(a.supNorm()).containsExactly(4, 1, 0);
    assertThat(VectorArray.ofRows(new double[] {-7, 2, 6.5}).supNorm()).containsExactly(7);
    assertThatThrownBy(() -> a.pairwiseInner(b.copyRange(0, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "len mismatch: this has len 3, other has len 2 (pairwise operations need equal len)");
  }

  @Test
  void normClampsTinyNegativeRoundOffButRejectsIndefinite() {
    // P = [[1, 1+eps], [1+eps, 1]] gives x^T P x = -2 eps for x = (1, -1) (ideal arithmetic)
    double eps = 1e-13;
    ProductOperator nearlySingular = dense(new double[][] {{1, 1 + eps}, {1 + eps, 1}});
    VectorArray x = VectorArray.ofRows(new double[] {1, -1});
    assertThat(x.pairwiseInner(x, nearlySingular)[0]).isNegative();
    assertThat(x.norm2(nearlySingular)).containsExactly(0.0);
    assertThat(x.norm(nearlySingular)).containsExactly(0.0);
    ProductOperator indefinite = dense(new double[][] {{1, 0}, {0, -1}});
    VectorArray y = VectorArray.ofRows(new double[] {0, 1});
    assertThatThrownBy(() -> y.norm(indefinite))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not positive semi-definite");
  }

  @Test
  void gramianSymmetricAndEqualToInner() {
    Random rnd = new Random(42);
    VectorArray a = VectorArray.ofRows(Ref.random(rnd, 8, 13));
    double[][] g = a.gramian();
    assertThat(g).isEqualTo(a.inner(a));
    for (int i = 0; i < 8; i++) {
      for (int j = 0; j < 8; j++) {
        assertThat(g[i][j]).isEqualTo(g[j][i]);
      }
    }
    assertClose(g, Ref.inner(Ref.rows(a), Ref.rows(a)));
    VectorArray v = a.view(5, 2, 5);
    assertThat(v.gramian()).isEqualTo(v.inner(v));
    assertThat(v.gramian()[0][2]).isEqualTo(g[5][5]);
  }

  @Test
  void supNormPropagatesNaN() {
    VectorArray a = VectorArray.ofRows(new double[] {1, Double.NaN, 3});
    assertThat(a.supNorm()[0]).isNaN();
  }

  @Test
  void productOperatorFactories() {
    ProductOperator id = ProductOperator.identity(3);
    double[] x = {9, 1, 2, 3, 9};
    double[] y = new double[6];
    id.apply(x, 1, y, 2);
    assertThat(y).containsExactly(0, 0, 1, 2, 3, 0);
    assertThat(id.dim()).isEqualTo(3);
    assertThatThrownBy(() -> ProductOperator.identity(-1))
        .isInstanceOf(IllegalArgumentException.class);

    DMatrixRMaj m = new DMatrixRMaj(new double[][] {{1, 2}, {3, 4}});
    ProductOperator p = ProductOperator.ofDense(m);
    m.set(0, 0, 100); // copied
    double[] out = {7, 7, 7};
    p.apply(new double[] {0, 1, 1}, 1, out, 1);
    assertThat(out).containsExactly(7, 3, 7);
    assertThat(p.dim()).isEqualTo(2);
    assertThatThrownBy(() -> ProductOperator.ofDense(new DMatrixRMaj(2, 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("product matrix must be square, got 2 x 3");
  }
}
