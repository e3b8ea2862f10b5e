package org.jmor.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class VectorArrayBasicsTest {

  private static VectorArray sample() {
    // vector i = {10*i, 10*i+1, 10*i+2}
    return VectorArray.ofRows(
        new double[] {0, 1, 2},
        new double[] {10, 11, 12},
        new double[] {20, 21, 22},
        new double[] {30, 31, 32});
  }

  @Test
  void zerosAndEmpty() {
    VectorArray z = VectorArray.zeros(3, 4);
    assertThat(z.len()).isEqualTo(3);
    assertThat(z.dim()).isEqualTo(4);
    assertThat(z.toRowMajor()).containsOnly(0.0).hasSize(12);
    VectorArray e = VectorArray.empty(5);
    assertThat(e.len()).isZero();
    assertThat(e.dim()).isEqualTo(5);
    assertThat(e.toRowMajor()).isEmpty();
    assertThat(VectorArray.zeros(2, 0).row(1)).isEmpty();
    assertThat(z.isView()).isFalse();
  }

  @Test
  void negativeSizesRejected() {
    assertThatThrownBy(() -> VectorArray.zeros(-1, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("len must be >= 0, got -1");
    assertThatThrownBy(() -> VectorArray.empty(-2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dim must be >= 0, got -2");
    assertThatThrownBy(() -> VectorArray.zeros(1 << 20, 1 << 20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too large");
  }

  @Test
  void ofRowsCopiesAndValidates() {
    double[] r0 = {1, 2};
    double[] r1 = {3, 4};
    VectorArray a = VectorArray.ofRows(r0, r1);
    r0[0] = 99;
    assertThat(a.get(0, 0)).isEqualTo(1.0);
    assertThat(a.get(1, 1)).isEqualTo(4.0);
    assertThatThrownBy(VectorArray::ofRows)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty(dim)");
    assertThatThrownBy(() -> VectorArray.ofRows(new double[2], new double[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rows[0] has length 2, rows[1] has length 3");
  }

  @Test
  void fromRowMajorCopiesPrefix() {
    double[] d = {1, 2, 3, 4, 5, 6, 7};
    VectorArray a = VectorArray.fromRowMajor(2, 3, d);
    d[0] = -1;
    assertThat(a.toRowMajor()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(a.row(1)).containsExactly(4, 5, 6);
    assertThatThrownBy(() -> VectorArray.fromRowMajor(3, 3, d))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("9 values needed, data has length 7");
  }

  @Test
  void concat() {
    VectorArray a = sample();
    VectorArray c =
        VectorArray.concat(List.of(a.view(3, 1), VectorArray.empty(3), a.copyRange(0, 1)));
    assertThat(c.len()).isEqualTo(3);
    assertThat(c.isView()).isFalse();
    assertThat(c.toRowMajor()).containsExactly(30, 31, 32, 10, 11, 12, 0, 1, 2);
    assertThatThrownBy(() -> VectorArray.concat(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty list");
    assertThatThrownBy(() -> VectorArray.concat(List.of(a, VectorArray.empty(4))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dim mismatch: parts[0] has dim 3, parts[1] has dim 4");
  }

  @Test
  void getSetRowAndIndexErrors() {
    VectorArray a = sample();
    a.set(2, 1, -5);
    assertThat(a.get(2, 1)).isEqualTo(-5.0);
    double[] row = a.row(2);
    assertThat(row).containsExactly(20, -5, 22);
    row[0] = 1000; // copy
    assertThat(a.get(2, 0)).isEqualTo(20.0);
    assertThatThrownBy(() -> a.get(4, 0))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("vector index 4 out of range for len 4 (allowed: 0 <= index < 4)");
    assertThatThrownBy(() -> a.set(0, 3, 1))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("entry index 3 out of range for dim 3 (allowed: 0 <= index < 3)");
    assertThatThrownBy(() -> a.row(-1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void toMatrix() {
    VectorArray a = sample();
    DMatrixRMaj m = a.toMatrix();
    assertThat(m.numRows).isEqualTo(4);
    assertThat(m.numCols).isEqualTo(3);
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 3; j++) {
        assertThat(m.get(i, j)).isEqualTo(10.0 * i + j);
      }
    }
    m.set(0, 0, 7);
    assertThat(a.get(0, 0)).isEqualTo(0.0);
    DMatrixRMaj e = VectorArray.empty(3).toMatrix();
    assertThat(e.numRows).isZero();
    assertThat(e.numCols).isEqualTo(3);
  }

  @Test
  void copies() {
    VectorArray a = sample();
    VectorArray c = a.copy();
    assertThat(c).isEqualTo(a).isNotSameAs(a);
    c.set(0, 0, 42);
    assertThat(a.get(0, 0)).isEqualTo(0.0);

    VectorArray sel = a.copy(3, 0, 3);
    assertThat(sel.len()).isEqualTo(3);
    assertThat(sel.toRowMajor()).containsExactly(30, 31, 32, 0, 1, 2, 30, 31, 32);
    sel.set(0, 0, -1);
    assertThat(a.get(3, 0)).isEqualTo(30.0);

    assertThat(a.copyRange(1, 3).toRowMajor()).containsExactly(10, 11, 12, 20, 21, 22);
    assertThat(a.copyRange(2, 2).len()).isZero();
    assertThatThrownBy(() -> a.copyRange(3, 5))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("range [3, 5) invalid for len 4");
    assertThatThrownBy(() -> a.copyRange(3, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> a.copy(0, 4))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("vector index 4 out of range for len 4");
  }

  @Test
  void viewSharesStorage() {
    VectorArray a = sample();
    VectorArray v = a.view(2, 0);
    assertThat(v.isView()).isTrue();
    assertThat(v.len()).isEqualTo(2);
    assertThat(v.row(0)).containsExactly(20, 21, 22);
    v.set(1, 2, 100);
    assertThat(a.get(0, 2)).isEqualTo(100.0);
    a.set(2, 0, -20);
    assertThat(v.get(0, 0)).isEqualTo(-20.0);

    v.scal(2);
    assertThat(a.row(2)).containsExactly(-40, 42, 44);
    assertThat(a.row(0)).containsExactly(0, 2, 200);
    assertThat(a.row(1)).containsExactly(10, 11, 12); // untouched
    assertThat(a.row(3)).containsExactly(30, 31, 32);

    v.axpy(1.0, VectorArray.ofRows(new double[] {1, 1, 1}));
    assertThat(a.row(2)).containsExactly(-39, 43, 45);
    assertThat(a.row(0)).containsExactly(1, 3, 201);

    assertThat(v.copy().isView()).isFalse();
    assertThat(v.copyRange(1, 2).toRowMajor()).containsExactly(1, 3, 201);
  }

  @Test
  void viewOfViewComposes() {
    VectorArray a = sample();
    VectorArray v = a.view(3, 2, 1);
    VectorArray vv = v.view(2, 0); // base indices 1, 3
    assertThat(Ref.rows(vv)).isEqualTo(new double[][] {{10, 11, 12}, {30, 31, 32}});
    vv.set(0, 0, 5);
    assertThat(a.get(1, 0)).isEqualTo(5.0);
    assertThat(v.get(2, 0)).isEqualTo(5.0);
    assertThatThrownBy(() -> v.view(3))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("out of range for len 3");
  }

  @Test
  void viewStructuralChangesUnsupported() {
    VectorArray a = sample();
    VectorArray v = a.view(0, 1);
    assertThatThrownBy(() -> v.append(VectorArray.empty(3)))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("append is not supported on a view");
    assertThatThrownBy(() -> v.remove(0))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("remove");
    assertThatThrownBy(v::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThat(a.len()).isEqualTo(4);
  }

  @Test
  void structuralChangeInvalidatesViews() {
    VectorArray a = sample();
    VectorArray v = a.view(0);
    VectorArray vv = v.view(0);
    a.set(0, 0, 1); // non-structural: still valid
    a.scal(2);
    assertThat(v.get(0, 0)).isEqualTo(2.0);
    a.append(VectorArray.zeros(1, 3));
    for (VectorArray w : List.of(v, vv)) {
      assertThatThrownBy(() -> w.get(0, 0))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("view invalidated by a structural change of its base array");
      assertThatThrownBy(w::len).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> w.scal(1)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(w::copy).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> a.inner(w)).isInstanceOf(IllegalStateException.class);
      assertThat(w.toString()).contains("invalidated");
    }
    VectorArray v2 = a.view(1);
    a.remove(4);
    assertThatThrownBy(() -> v2.row(0)).isInstanceOf(IllegalStateException.class);
    VectorArray v3 = a.view(1);
    a.clear();
    assertThatThrownBy(v3::norm).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void inPlaceOnViewWithRepeatedIndicesRejected() {
    VectorArray a = sample();
    VectorArray v = a.view(1, 1);
    assertThat(v.norm2()).hasSize(2); // reading is fine
    assertThatThrownBy(() -> v.scal(2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("repeated indices");
    assertThatThrownBy(() -> v.axpy(1, a.copy(0, 1))).isInstanceOf(IllegalArgumentException.class);
    assertThat(a.row(1)).containsExactly(10, 11, 12);
  }

  @Test
  void appendCopies() {
    VectorArray a = sample();
    VectorArray b = VectorArray.ofRows(new double[] {7, 8, 9});
    a.append(b);
    assertThat(a.len()).isEqualTo(5);
    assertThat(a.row(4)).containsExactly(7, 8, 9);
    b.set(0, 0, -7);
    assertThat(a.get(4, 0)).isEqualTo(7.0);
    assertThat(b.len()).isEqualTo(1);
    assertThatThrownBy(() -> a.append(VectorArray.empty(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dim mismatch: this has dim 3, other has dim 2");
  }

  @Test
  void appendManyGrowsAmortized() {
    Random rnd = new Random(42);
    VectorArray a = VectorArray.empty(7);
    double[][] expected = Ref.random(rnd, 500, 7);
    for (double[] r : expected) {
      a.append(VectorArray.ofRows(r));
    }
    assertThat(a.len()).isEqualTo(500);
    assertThat(Ref.rows(a)).isEqualTo(expected);
  }

  @Test
  void appendSelfAndOwnView() {
    VectorArray a = VectorArray.ofRows(new double[] {1, 2}, new double[] {3, 4});
    a.append(a);
    assertThat(a.toRowMajor()).containsExactly(1, 2, 3, 4, 1, 2, 3, 4);
    a.append(a.view(3, 0));
    assertThat(a.toRowMajor()).containsExactly(1, 2, 3, 4, 1, 2, 3, 4, 3, 4, 1, 2);
  }

  @Test
  void moveAppendEmptiesSource() {
    VectorArray a = sample();
    VectorArray b = VectorArray.ofRows(new double[] {7, 8, 9}, new double[] {4, 5, 6});
    VectorArray bView = b.view(0);
    a.append(b, true);
    assertThat(b.len()).isZero();
    assertThat(b.dim()).isEqualTo(3);
    assertThat(a.len()).isEqualTo(6);
    assertThat(a.copyRange(4, 6).toRowMajor()).containsExactly(7, 8, 9, 4, 5, 6);
    assertThatThrownBy(() -> bView.get(0, 0)).isInstanceOf(IllegalStateException.class);
    // b is still usable
    b.append(VectorArray.ofRows(new double[] {1, 1, 1}));
    assertThat(b.len()).isEqualTo(1);
    assertThat(a.get(4, 0)).isEqualTo(7.0);
  }

  @Test
  void moveAppendIntoEmptyTakesOverStorage() {
    VectorArray a = VectorArray.empty(3);
    VectorArray aView = a.view();
    VectorArray b = sample();
    a.append(b, true);
    assertThat(a).isEqualTo(sample());
    assertThat(b.len()).isZero();
    assertThat(b.toRowMajor()).isEmpty();
    assertThatThrownBy(aView::len).isInstanceOf(IllegalStateException.class);
    b.append(VectorArray.ofRows(new double[] {-1, -1, -1}));
    a.set(0, 0, 99);
    assertThat(b.row(0)).containsExactly(-1, -1, -1);
    assertThat(a.row(0)).containsExactly(99, 1, 2);
    a.append(VectorArray.ofRows(new double[] {5, 5, 5}));
    assertThat(a.len()).isEqualTo(5);
    assertThat(a.row(4)).containsExactly(5, 5, 5);
  }

  @Test
  void moveAppendErrors() {
    VectorArray a = sample();
    assertThatThrownBy(() -> a.append(a, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("itself");
    VectorArray b = sample();
    assertThatThrownBy(() -> a.append(b.view(0), true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("view");
    assertThat(a.len()).isEqualTo(4);
    assertThat(b.len()).isEqualTo(4);
  }

  @Test
  void removeWithDuplicatesAnyOrder() {
    VectorArray a = sample();
    a.remove(3, 1, 3);
    assertThat(a.len()).isEqualTo(2);
    assertThat(a.toRowMajor()).containsExactly(0, 1, 2, 20, 21, 22);
    a.remove();
    assertThat(a.len()).isEqualTo(2);
    assertThatThrownBy(() -> a.remove(0, 2))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("vector index 2 out of range for len 2");
    assertThat(a.len()).isEqualTo(2); // nothing removed
    a.remove(0, 1);
    assertThat(a.len()).isZero();
  }

  @Test
  void removeLeadingVectorsShiftsTheRest() {
    VectorArray a = sample();
    a.remove(0, 2);
    assertThat(a.toRowMajor()).containsExactly(10, 11, 12, 30, 31, 32);
    a.remove(0);
    assertThat(a.toRowMajor()).containsExactly(30, 31, 32);
  }

  @Test
  void clear() {
    VectorArray a = sample();
    a.clear();
    assertThat(a.len()).isZero();
    assertThat(a.dim()).isEqualTo(3);
    a.append(VectorArray.ofRows(new double[] {1, 2, 3}));
    assertThat(a.toRowMajor()).containsExactly(1, 2, 3);
  }

  @Test
  void equalsAndHashCode() {
    VectorArray a = sample();
    VectorArray b = sample();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.view(0, 1, 2, 3)).isEqualTo(a).hasSameHashCodeAs(a);
    assertThat(a.copy(1)).isEqualTo(a.view(1)).hasSameHashCodeAs(a.view(1));
    b.set(3, 2, 32.0000001);
    assertThat(a).isNotEqualTo(b);
    assertThat(VectorArray.empty(3)).isNotEqualTo(VectorArray.empty(4));
    assertThat(VectorArray.zeros(2, 0)).isNotEqualTo(VectorArray.zeros(3, 0));
    assertThat(VectorArray.zeros(0, 3)).isEqualTo(VectorArray.empty(3));
    assertThat(a).isNotEqualTo("x").isNotEqualTo(null);
    // Double.compare semantics
    VectorArray nan1 = VectorArray.ofRows(new double[] {Double.NaN});
    VectorArray nan2 = VectorArray.ofRows(new double[] {Double.NaN});
    assertThat(nan1).isEqualTo(nan2).hasSameHashCodeAs(nan2);
    assertThat(VectorArray.ofRows(new double[] {0.0}))
        .isNotEqualTo(VectorArray.ofRows(new double[] {-0.0}));
    // a removed-and-regrown array with spare capacity still equals a compact one
    VectorArray c = sample();
    c.append(sample());
    c.remove(4, 5, 6, 7);
    assertThat(c).isEqualTo(sample()).hasSameHashCodeAs(sample());
  }

  @Test
  void toStringShort() {
    assertThat(VectorArray.zeros(3, 10)).hasToString("VectorArray[len=3, dim=10]");
    assertThat(VectorArray.zeros(3, 10).view(1)).hasToString("VectorArray[len=1, dim=10, view]");
  }
}
