package org.jmor.discretizer.fem;

import static org.assertj.core.api.Assertions.assertThat;

import org.jmor.discretizer.grid.TriaGrid;
import org.junit.jupiter.api.Test;

class BlockPartitionTest {

  @Test
  void n50_3x3_countsMatchSpec() {
    assertThat(BlockPartition.of(TriaGrid.unitSquare(50), 3, 3).elementCounts())
        .containsExactly(1122, 1106, 1122, 1106, 1088, 1106, 1122, 1106, 1122);
  }

  @Test
  void n50_2x3_countsMatchSpec() {
    assertThat(BlockPartition.of(TriaGrid.unitSquare(50), 2, 3).elementCounts())
        .containsExactly(1675, 1675, 1650, 1650, 1675, 1675);
  }

  @Test
  void n100_3x3_countsMatchSpec() {
    assertThat(BlockPartition.of(TriaGrid.unitSquare(100), 3, 3).elementCounts())
        .containsExactly(4422, 4456, 4422, 4456, 4488, 4456, 4422, 4456, 4422);
  }

  @Test
  void evenGrid_2x2_hasNSquaredTrianglesPerBlock() {
    assertThat(BlockPartition.of(TriaGrid.unitSquare(10), 2, 2).elementCounts())
        .containsExactly(100, 100, 100, 100);
  }

  @Test
  void componentOrder_isXFastestFromTheBottomRow() {
    TriaGrid g = TriaGrid.unitSquare(10);
    BlockPartition p = BlockPartition.of(g, 2, 2);
    int cells = 100;
    assertThat(p.block(0)).isEqualTo(0); // cell (0,0), lower left
    assertThat(p.block(9)).isEqualTo(1); // cell (9,0), lower right
    assertThat(p.block(90)).isEqualTo(2); // cell (0,9), upper left
    assertThat(p.block(3 * cells + 99)).isEqualTo(3); // cell (9,9), upper right
  }

  @Test
  void cellCutByInterface_isSplitByCentroids() {
    // N = 3, 2 columns: the interface x = 0.5 runs through the middle column of cells
    TriaGrid g = TriaGrid.unitSquare(3);
    BlockPartition p = BlockPartition.of(g, 2, 1);
    int cell = 1; // cell (1, 0), center x = 0.5
    assertThat(p.block(0 * 9 + cell)).isEqualTo(1); // bottom: centroid x = 0.5 -> right block
    assertThat(p.block(1 * 9 + cell)).isEqualTo(1); // right
    assertThat(p.block(2 * 9 + cell)).isEqualTo(1); // top: x = 0.5 -> right block
    assertThat(p.block(3 * 9 + cell)).isEqualTo(0); // left
    assertThat(p.elementCounts()).containsExactly(15, 21);
  }
}
