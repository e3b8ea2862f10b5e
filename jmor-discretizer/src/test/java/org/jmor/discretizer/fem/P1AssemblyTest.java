package org.jmor.discretizer.fem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.jmor.discretizer.grid.TriaGrid;
import org.jmor.discretizer.operators.CscMatrix;
import org.junit.jupiter.api.Test;

class P1AssemblyTest {

  private final TriaGrid grid = TriaGrid.unitSquare(10);

  @Test
  void stiffness_entriesAreExact() {
    CscMatrix k = P1Assembly.stiffness(grid);
    int c = grid.corner(4, 4);
    int m = grid.center(4, 4);
    assertThat(k.get(c, c)).isEqualTo(4.0); // 8 triangles x 1/2
    assertThat(k.get(m, m)).isEqualTo(4.0); // 4 triangles x 1
    assertThat(k.get(c, m)).isEqualTo(-1.0); // 2 triangles x -1/2
    assertThat(k.get(c, grid.corner(5, 4))).isEqualTo(0.0);
    assertThat(k.isSymmetric()).isTrue();
  }

  @Test
  void stiffness_annihilatesConstantsAndDropsCornerCornerCouplings() {
    CscMatrix k = P1Assembly.stiffness(grid);
    double[] ones = new double[grid.vertexCount()];
    Arrays.fill(ones, 1.0);
    assertThat(k.apply(ones)).containsOnly(0.0);
    // diagonal + 4 corner-center couplings per cell, both directions
    assertThat(k.nnz()).isEqualTo(221 + 2 * 4 * 100);
  }

  @Test
  void blockStiffnesses_sumToTheFullStiffness() {
    BlockPartition p = BlockPartition.of(grid, 2, 2);
    double[] x = new double[grid.vertexCount()];
    Arrays.setAll(x, i -> Math.sin(i));
    double[] sum = new double[x.length];
    for (int q = 0; q < 4; q++) {
      double[] y = P1Assembly.stiffness(grid, p.elementsOf(q)).apply(x);
      for (int i = 0; i < x.length; i++) {
        sum[i] += y[i];
      }
    }
    double[] full = P1Assembly.stiffness(grid).apply(x);
    for (int i = 0; i < x.length; i++) {
      assertThat(sum[i]).isCloseTo(full[i], within(1e-14));
    }
  }

  @Test
  void mass_integratesOneToTheArea() {
    CscMatrix m = P1Assembly.mass(grid);
    double[] ones = new double[grid.vertexCount()];
    Arrays.fill(ones, 1.0);
    assertThat(m.inner(ones, ones)).isCloseTo(1.0, within(1e-14));
    assertThat(m.nnz()).isEqualTo(1461);
    assertThat(m.isSymmetric()).isTrue();
  }

  @Test
  void load_isTwoThirdsHSquaredAtCornersAndOneThirdAtCenters() {
    double[] f = P1Assembly.load(grid);
    // pyMOR's values; ours are summed from h^2/12 per triangle and may differ by a few ulps
    assertThat(f[grid.corner(3, 3)]).isCloseTo(0.006666666666666666, within(4e-18));
    assertThat(f[grid.center(3, 3)]).isCloseTo(0.0033333333333333335, within(2e-18));
    assertThat(Arrays.stream(f).sum()).isCloseTo(1.0, within(1e-14));
  }

  @Test
  void dirichletTreatments_followPyMor() {
    int[] d = grid.boundaryVertices();
    CscMatrix k = P1Assembly.stiffness(grid);
    CscMatrix rows = Dirichlet.zeroRows(k, d);
    int b = grid.corner(0, 3);
    int m = grid.center(0, 3);
    assertThat(rows.get(b, b)).isEqualTo(0.0);
    assertThat(rows.get(b, m)).isEqualTo(0.0);
    assertThat(rows.get(m, b)).isEqualTo(-1.0); // columns untouched
    CscMatrix both = Dirichlet.zeroRowsAndColumnsWithUnitDiagonal(k, d);
    assertThat(both.get(b, b)).isEqualTo(1.0);
    assertThat(both.get(m, b)).isEqualTo(0.0);
    assertThat(both.nnz()).isEqualTo(869);
    assertThat(both.isSymmetric()).isTrue();
    CscMatrix unit = Dirichlet.unitDiagonal(grid.vertexCount(), d);
    assertThat(unit.nnz()).isEqualTo(40);
    assertThat(unit.get(b, b)).isEqualTo(1.0);
  }
}
