package org.jmor.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Block boundaries of both split rules against the spec's tables (M1 and §7 fix 2). */
class SplitRuleTest {

  private static int[] sizes(SplitRule rule, int n, int workers) {
    int[] b = rule.bounds(n, workers);
    assertThat(b).hasSize(workers + 1);
    assertThat(b[0]).isZero();
    assertThat(b[workers]).isEqualTo(n);
    int[] s = new int[workers];
    for (int i = 0; i < workers; i++) {
      s[i] = b[i + 1] - b[i];
      assertThat(s[i]).as("block %d", i).isNotNegative();
    }
    return s;
  }

  @Test
  void ceiling_matchesPyMorTable() {
    assertThat(sizes(SplitRule.CEILING, 10, 4)).containsExactly(3, 3, 3, 1);
    assertThat(sizes(SplitRule.CEILING, 9, 4)).containsExactly(3, 3, 3, 0);
    assertThat(sizes(SplitRule.CEILING, 5, 4)).containsExactly(2, 2, 1, 0);
    assertThat(sizes(SplitRule.CEILING, 3, 4)).containsExactly(1, 1, 1, 0);
    assertThat(sizes(SplitRule.CEILING, 8, 3)).containsExactly(3, 3, 2);
    assertThat(sizes(SplitRule.CEILING, 13, 5)).containsExactly(3, 3, 3, 3, 1);
    assertThat(sizes(SplitRule.CEILING, 7, 1)).containsExactly(7);
  }

  @Test
  void balanced_largerBlocksFirstAndAtMostOneApart() {
    assertThat(sizes(SplitRule.BALANCED, 10, 4)).containsExactly(3, 3, 2, 2);
    assertThat(sizes(SplitRule.BALANCED, 9, 4)).containsExactly(3, 2, 2, 2);
    assertThat(sizes(SplitRule.BALANCED, 5, 4)).containsExactly(2, 1, 1, 1);
    assertThat(sizes(SplitRule.BALANCED, 3, 4)).containsExactly(1, 1, 1, 0);
    assertThat(sizes(SplitRule.BALANCED, 8, 3)).containsExactly(3, 3, 2);
    assertThat(sizes(SplitRule.BALANCED, 13, 5)).containsExactly(3, 3, 3, 2, 2);
    assertThat(sizes(SplitRule.BALANCED, 7, 1)).containsExactly(7);
  }

  @Test
  void bothRules_emptyInputGivesEmptyBlocks() {
    for (SplitRule rule : SplitRule.values()) {
      assertThat(sizes(rule, 0, 3)).containsExactly(0, 0, 0);
    }
  }

  @Test
  void balanced_noWorkerIdlesWhenThereAreEnoughItems() {
    for (int workers = 1; workers <= 8; workers++) {
      for (int n = workers; n <= 40; n++) {
        int[] s = sizes(SplitRule.BALANCED, n, workers);
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int v : s) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
        assertThat(max - min).as("%d on %d", n, workers).isLessThanOrEqualTo(1);
        assertThat(min).as("%d on %d", n, workers).isPositive();
      }
    }
  }

  @Test
  void bounds_largeInputDoesNotOverflow() {
    int n = Integer.MAX_VALUE - 8;
    assertThat(SplitRule.CEILING.bounds(n, 3)[3]).isEqualTo(n);
    assertThat(SplitRule.BALANCED.bounds(n, 3)[3]).isEqualTo(n);
  }

  @Test
  void bounds_rejectsNegativeItemsAndNoWorkers() {
    assertThatThrownBy(() -> SplitRule.BALANCED.bounds(-1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("n must be >= 0");
    assertThatThrownBy(() -> SplitRule.CEILING.bounds(3, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workers must be >= 1");
  }
}
