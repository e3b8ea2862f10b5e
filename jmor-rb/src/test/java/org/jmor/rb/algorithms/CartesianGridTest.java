package org.jmor.rb.algorithms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class CartesianGridTest {

  @Test
  void uniformGrid_isSampleUniformly_pointForPoint_bitForBit() {
    for (int[] qc : new int[][] {{1, 1}, {1, 7}, {2, 3}, {4, 3}, {3, 5}, {6, 2}, {4, 10}}) {
      ParameterSpace space = ParameterSpace.of(qc[0], 0.1, 1.0);
      List<double[]> list = space.sampleUniformly(qc[1]);
      CartesianGrid grid = space.uniformGrid(qc[1]);
      assertThat(grid.size()).isEqualTo(list.size());
      assertThat(grid.dimension()).isEqualTo(qc[0]);
      double[] buffer = new double[qc[0]];
      for (int p = 0; p < list.size(); p++) {
        assertThat(grid.parameter(p)).as("point %d of %s", p, grid).containsExactly(list.get(p));
        assertThat(grid.parameter(p, buffer)).isSameAs(buffer).containsExactly(list.get(p));
      }
      assertThat(grid.toList()).usingElementComparator(java.util.Arrays::compare).isEqualTo(list);
    }
  }

  @Test
  void mixedRadix_lastComponentFastest_withAxesOfDifferentLengths() {
    CartesianGrid grid = CartesianGrid.of(new double[] {1, 2}, new double[] {10, 20, 30});
    assertThat(grid.size()).isEqualTo(6);
    assertThat(grid.toList())
        .containsExactly(
            new double[] {1, 10},
            new double[] {1, 20},
            new double[] {1, 30},
            new double[] {2, 10},
            new double[] {2, 20},
            new double[] {2, 30});
  }

  @Test
  void hugeGrid_needsNoMemoryForItsPoints() {
    // 66^4 = 18,974,736 points, the demo's "2 2 66 5"; and a grid beyond int indices
    CartesianGrid grid = ParameterSpace.of(4, 0.1, 1.0).uniformGrid(66);
    assertThat(grid.size()).isEqualTo(18_974_736L);
    assertThat(grid.parameter(grid.size() - 1)).containsExactly(1.0, 1.0, 1.0, 1.0);
    assertThat(grid.parameter(1)).containsExactly(0.1, 0.1, 0.1, 0.1 + 0.9 / 65);
    double[] big = new double[100_000];
    CartesianGrid sweep = CartesianGrid.of(big, big);
    assertThat(sweep.size()).isEqualTo(10_000_000_000L);
    assertThat(sweep.parameter(9_999_999_999L)).hasSize(2);
  }

  @Test
  void isSerializable() throws Exception {
    CartesianGrid grid = ParameterSpace.of(3, 0.1, 1.0).uniformGrid(4);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(grid);
    }
    CartesianGrid copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (CartesianGrid) in.readObject();
    }
    assertThat(copy.toList())
        .usingElementComparator(java.util.Arrays::compare)
        .isEqualTo(grid.toList());
  }

  @Test
  void badInput_isRejected() {
    assertThatThrownBy(CartesianGrid::of).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CartesianGrid.of(new double[0]))
        .isInstanceOf(IllegalArgumentException.class);
    CartesianGrid grid = CartesianGrid.of(new double[] {1, 2});
    assertThatThrownBy(() -> grid.parameter(2)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> grid.parameter(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> grid.parameter(0, new double[2]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ParameterSpace.of(9, 0.1, 1.0).uniformGrid(100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too large");
    assertThatThrownBy(() -> ParameterSpace.of(2, 0.1, 1.0).uniformGrid(0))
        .isInstanceOf(IllegalArgumentException.class);
    double[] big = new double[1 << 16];
    assertThatThrownBy(() -> CartesianGrid.of(big, big, big, big))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
