package org.jmor.rb.algorithms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cell tree against pyMOR 2022.2's {@code AdaptiveSampleSet} on {@code [0.1, 1]^2}, refined
 * with {@code [0]}, then {@code [1, 3]}, then {@code [5, 0]} (recorded with
 * jmor-rb/src/test/pymor/adaptive_sampleset.py: {@code AdaptiveSampleSet(Parameters({'diffusion':
 * 2}).space(0.1, 1.))}, dumping {@code vertex_mus}, {@code centers}, {@code vertex_ids}, {@code
 * volumes}, {@code creation_times}).
 */
class AdaptiveSampleSetTest {

  private static final double[][] VERTEX_MUS = {
    {0.1, 0.1},
    {1.0, 0.1},
    {0.1, 1.0},
    {1.0, 1.0},
    {0.55, 0.1},
    {0.1, 0.55},
    {0.55, 0.55},
    {1.0, 0.55},
    {0.55, 1.0},
    {0.775, 0.1},
    {0.55, 0.325},
    {0.775, 0.325},
    {1.0, 0.325},
    {0.775, 0.55},
    {0.55, 0.775},
    {0.775, 0.775},
    {1.0, 0.775},
    {0.775, 1.0},
    {0.325, 0.1},
    {0.1, 0.325},
    {0.325, 0.325},
    {0.325, 0.55},
    {0.1, 0.775},
    {0.325, 0.775},
    {0.325, 1.0}
  };
  private static final String[][] CENTERS = {
    {"1/8", "1/8"}, {"3/8", "1/8"}, {"1/8", "3/8"}, {"3/8", "3/8"}, {"5/8", "1/8"}, {"7/8", "1/8"},
    {"5/8", "3/8"}, {"7/8", "3/8"}, {"1/8", "5/8"}, {"3/8", "5/8"}, {"1/8", "7/8"}, {"3/8", "7/8"},
    {"5/8", "5/8"}, {"7/8", "5/8"}, {"5/8", "7/8"}, {"7/8", "7/8"}
  };
  private static final int[][] VERTEX_IDS = {
    {0, 18, 19, 20}, {18, 4, 20, 10}, {19, 20, 5, 21}, {20, 10, 21, 6}, {4, 9, 10, 11},
    {9, 1, 11, 12}, {10, 11, 6, 13}, {11, 12, 13, 7}, {5, 21, 22, 23}, {21, 6, 23, 14},
    {22, 23, 2, 24}, {23, 14, 24, 8}, {6, 13, 14, 15}, {13, 7, 15, 16}, {14, 15, 8, 17},
    {15, 16, 17, 3}
  };
  private static final int[] CREATION = {3, 3, 3, 3, 2, 2, 2, 2, 3, 3, 3, 3, 2, 2, 2, 2};

  @Test
  void refinements_reproducePyMorsVerticesCentresAndVolumes() {
    AdaptiveSampleSet s = new AdaptiveSampleSet(ParameterSpace.of(2, 0.1, 1.0));
    assertThat(s.vertexCount()).isEqualTo(4);
    assertThat(s.leafCount()).isEqualTo(1);
    assertThat(s.centerParameters().get(0)).containsExactly(0.55, 0.55);
    assertThat(s.totalVolume()).isEqualTo(0.81);

    assertThat(s.refine(new int[] {0})).isEqualTo(5);
    assertThat(s.volumes()).containsExactly(0.2025, 0.2025, 0.2025, 0.2025);
    assertThat(s.creationTimes()).containsExactly(1, 1, 1, 1);

    s.refine(new int[] {1, 3});
    assertThat(s.vertexCount()).isEqualTo(18);
    assertThat(s.volumes())
        .containsExactly(
            0.2025, 0.050625, 0.050625, 0.050625, 0.050625, 0.2025, 0.050625, 0.050625, 0.050625,
            0.050625);

    // the indices' order does not matter: leaves are refined in leaf order
    s.refine(new int[] {5, 0});
    assertThat(s.refinementCount()).isEqualTo(3);
    List<double[]> mus = s.vertexParameters();
    assertThat(mus).hasSize(VERTEX_MUS.length);
    for (int i = 0; i < VERTEX_MUS.length; i++) {
      assertThat(mus.get(i)).as("vertex " + i).containsExactly(VERTEX_MUS[i]);
    }
    assertThat(s.leafCount()).isEqualTo(CENTERS.length);
    for (int i = 0; i < CENTERS.length; i++) {
      assertThat(s.leafCenter(i)).isEqualTo("[" + CENTERS[i][0] + ", " + CENTERS[i][1] + "]");
      assertThat(s.leafVertexIds(i)).as("leaf " + i).containsExactly(VERTEX_IDS[i]);
      assertThat(s.leafLevel(i)).isEqualTo(2);
    }
    assertThat(s.creationTimes()).containsExactly(CREATION);
    for (double v : s.volumes()) {
      assertThat(v).isEqualTo(0.050625);
    }
    // a centre maps to low + (high - low) * x
    assertThat(s.centerParameters().get(0)).containsExactly(0.1 + 0.9 * 0.125, 0.1 + 0.9 * 0.125);
  }

  @Test
  void deepRefinement_staysExact() {
    AdaptiveSampleSet s = new AdaptiveSampleSet(ParameterSpace.of(1, 0.0, 1.0));
    for (int level = 0; level < 40; level++) {
      s.refine(new int[] {0}); // always the lowest cell
    }
    // vertices 0, 1, then 1/2, 1/4, ..., 1/2^40: all distinct and exact
    assertThat(s.vertexCount()).isEqualTo(42);
    assertThat(s.vertexParameter(41)[0]).isEqualTo(Math.scalb(1.0, -40));
    assertThat(s.leafCenter(0)).isEqualTo("[1/" + (1L << 41) + "]");
    assertThat(s.leafLevel(0)).isEqualTo(40);
  }

  @Test
  void refine_rejectsAnUnknownLeaf() {
    AdaptiveSampleSet s = new AdaptiveSampleSet(ParameterSpace.of(2, 0.1, 1.0));
    assertThatThrownBy(() -> s.refine(new int[] {1})).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(s.refinementCount()).isZero();
  }
}
