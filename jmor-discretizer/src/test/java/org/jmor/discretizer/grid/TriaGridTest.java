package org.jmor.discretizer.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TriaGridTest {

  @ParameterizedTest
  @CsvSource({
    "10, 400, 221, 40, 620",
    "50, 10000, 5101, 200, 15100",
    "100, 40000, 20201, 400, 60200"
  })
  void sizes_matchSpec(int n, int elements, int vertices, int boundary, int edges) {
    TriaGrid g = TriaGrid.unitSquare(n);
    assertThat(g.elementCount()).isEqualTo(elements);
    assertThat(g.vertexCount()).isEqualTo(vertices);
    assertThat(g.boundaryVertices()).hasSize(boundary);
    assertThat(g.edgeCount()).isEqualTo(edges);
  }

  @Test
  void vertexNumbering_cornersRowMajorThenCenters() {
    TriaGrid g = TriaGrid.unitSquare(10);
    assertThat(g.corner(3, 2)).isEqualTo(2 * 11 + 3);
    assertThat(g.vertexX(g.corner(3, 2))).isEqualTo(0.3);
    assertThat(g.vertexY(g.corner(3, 2))).isEqualTo(0.2);
    assertThat(g.center(3, 2)).isEqualTo(121 + 2 * 10 + 3);
    assertThat(g.vertexX(g.center(3, 2))).isEqualTo(0.35);
    assertThat(g.vertexY(g.center(3, 2))).isEqualTo(0.25);
    assertThat(g.vertexX(0)).isEqualTo(0.0);
    assertThat(g.vertexY(g.vertexCount() - 1)).isEqualTo(0.95);
  }

  @Test
  void elementNumbering_typeBlocksAndLocalOrder() {
    TriaGrid g = TriaGrid.unitSquare(10);
    int c = 2 * 10 + 3; // cell (3, 2)
    int center = g.center(3, 2);
    int ll = g.corner(3, 2);
    int lr = g.corner(4, 2);
    int ur = g.corner(4, 3);
    int ul = g.corner(3, 3);
    int[][] expected = {{center, ll, lr}, {center, lr, ur}, {center, ur, ul}, {center, ul, ll}};
    int[] table = g.elementVertices();
    for (int t = 0; t < 4; t++) {
      int e = t * 100 + c;
      for (int a = 0; a < 3; a++) {
        assertThat(g.vertex(e, a)).isEqualTo(expected[t][a]);
        assertThat(table[3 * e + a]).isEqualTo(expected[t][a]);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 10})
  void everyTriangle_isCounterClockwiseRightIsoscelesWithRightAngleAtVertex0(int n) {
    TriaGrid g = TriaGrid.unitSquare(n);
    double h = g.h();
    for (int e = 0; e < g.elementCount(); e++) {
      double x0 = g.vertexX(g.vertex(e, 0));
      double y0 = g.vertexY(g.vertex(e, 0));
      double ax = g.vertexX(g.vertex(e, 1)) - x0;
      double ay = g.vertexY(g.vertex(e, 1)) - y0;
      double bx = g.vertexX(g.vertex(e, 2)) - x0;
      double by = g.vertexY(g.vertex(e, 2)) - y0;
      assertThat(ax * bx + ay * by).isCloseTo(0.0, within(1e-15));
      assertThat(0.5 * (ax * by - ay * bx)).isCloseTo(h * h / 4, within(1e-15));
      assertThat(ax * ax + ay * ay).isCloseTo(h * h / 2, within(1e-15));
    }
  }

  @Test
  void centroids_areMeansOfTheVertices() {
    TriaGrid g = TriaGrid.unitSquare(7);
    for (int e = 0; e < g.elementCount(); e++) {
      double mx = 0;
      double my = 0;
      for (int a = 0; a < 3; a++) {
        mx += g.vertexX(g.vertex(e, a)) / 3;
        my += g.vertexY(g.vertex(e, a)) / 3;
      }
      assertThat(g.centroidX(e)).isCloseTo(mx, within(1e-15));
      assertThat(g.centroidY(e)).isCloseTo(my, within(1e-15));
    }
    // bottom triangle of cell (0,0): center (h/2, h/2) + (0, -h/3)
    assertThat(g.centroidY(0)).isEqualTo(1.0 / 42);
    // right triangle of cell (0,0) (element 49 = 1 * 49 + 0): x = h/2 + h/3 = 5/42
    assertThat(g.centroidX(49)).isEqualTo(5.0 / 42);
  }

  @Test
  void boundaryVertices_areExactlyTheCornersOnTheUnitSquareBoundary() {
    TriaGrid g = TriaGrid.unitSquare(10);
    int count = 0;
    for (int v = 0; v < g.vertexCount(); v++) {
      double x = g.vertexX(v);
      double y = g.vertexY(v);
      boolean onBoundary =
          Math.abs(x) < 1e-10
              || Math.abs(y) < 1e-10
              || Math.abs(x - 1) < 1e-10
              || Math.abs(y - 1) < 1e-10;
      assertThat(g.isBoundaryVertex(v)).as("vertex %d", v).isEqualTo(onBoundary);
      count += onBoundary ? 1 : 0;
    }
    assertThat(g.boundaryVertices()).hasSize(count).isSorted();
  }

  @Test
  void invalidArguments_areRejected() {
    assertThatThrownBy(() -> TriaGrid.unitSquare(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 0");
    TriaGrid g = TriaGrid.unitSquare(2);
    assertThatThrownBy(() -> g.vertex(16, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> g.center(2, 0)).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
