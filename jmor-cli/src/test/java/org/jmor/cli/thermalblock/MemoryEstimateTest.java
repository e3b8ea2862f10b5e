package org.jmor.cli.thermalblock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemoryEstimateTest {

  private static final long GB = 1L << 30;

  @Test
  void demoRuns_fitInOneGigabyte_whateverTheTrainingSet() {
    // the greedy's training set is a grid computed from indices: 66^4 points cost nothing
    for (int snapshots : new int[] {3, 66}) {
      MemoryEstimate e = MemoryEstimate.thermalBlock(4, snapshots, 5, 100, 10, "greedy", 2);
      assertThat(e.bytes()).isLessThan(200e6);
      assertThatCode(() -> e.check(GB)).doesNotThrowAnyException();
    }
    assertThat(MemoryEstimate.thermalBlock(6, 4, 10, 50, 10, "greedy", 2).bytes())
        .isLessThan(100e6);
  }

  @Test
  void estimate_matchesTheMeasuredModelSizes() {
    // measured heap of model + interior system + one factor: --grid 400: 0.34 GB, --grid 800: 1.4
    // GB
    double g400 = MemoryEstimate.thermalBlock(4, 3, 5, 400, 10, "greedy", 1).bytes();
    double g800 = MemoryEstimate.thermalBlock(4, 3, 5, 800, 10, "greedy", 1).bytes();
    assertThat(g400).isBetween(0.3e9, 0.8e9);
    assertThat(g800).isBetween(1.2e9, 3.2e9);
  }

  @Test
  void hugeGridOrTestSet_isRefusedWithTheEstimateAndWhatToDo() {
    assertThatThrownBy(
            () -> MemoryEstimate.thermalBlock(4, 3, 5, 2000, 10, "greedy", 2).check(6 * GB))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs about")
        .hasMessageContaining("heap limit is 6.4 GB")
        .hasMessageContaining("JMOR_JAVA_OPTS=-Xmx")
        .hasMessageContaining("--grid")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(
            () ->
                MemoryEstimate.thermalBlock(4, 3, 5, 100, 2_000_000_000, "greedy", 2).check(6 * GB))
        .hasMessageContaining("--test 416 GB")
        .hasMessageContaining("-Xmx");
  }

  @Test
  void pod_countsItsSnapshots() {
    MemoryEstimate small = MemoryEstimate.thermalBlock(4, 3, 5, 100, 10, "pod", 2);
    MemoryEstimate huge = MemoryEstimate.thermalBlock(4, 66, 5, 100, 10, "pod", 2);
    assertThat(small.bytes()).isLessThan(200e6);
    assertThat(huge.bytes()).isGreaterThan(1e15);
    assertThat(huge.breakdown()).contains("POD snapshots");
  }

  @Test
  void suggestions_areRoundAndAboveTheEstimate() {
    assertThat(MemoryEstimate.suggestXmx(100e6)).isEqualTo("128m");
    assertThat(MemoryEstimate.suggestXmx(3.0 * GB)).isEqualTo("4g");
    assertThat(MemoryEstimate.format(5.8e9)).isEqualTo("5.8 GB");
    assertThat(MemoryEstimate.format(3e11)).isEqualTo("300 GB");
  }
}
