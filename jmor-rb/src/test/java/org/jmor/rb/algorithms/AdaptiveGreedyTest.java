package org.jmor.rb.algorithms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The selection rules of {@link AdaptiveGreedy} (its argument checks and pool equivalence, which
 * need a model, are tested in jmor-thermalblock).
 */
class AdaptiveGreedyTest {

  @Test
  void pick_takesTheFirstNearMaximum() {
    double[] v = {1.0, 2.0 - 1e-15, 2.0, 0.5};
    assertThat(AdaptiveGreedy.pick(v, 1e-10)).isEqualTo(1);
    assertThat(AdaptiveGreedy.pick(v, 0.0)).isEqualTo(2); // numpy.argmax
  }

  @Test
  void refinementOrder_toleranceTakesNearTiesInLeafOrder() {
    double[] ind = {0.5, 3.0, 3.0 - 1e-14, 1.0, 3.0};
    assertThat(AdaptiveGreedy.refinementOrder(ind, 1e-10)).containsExactly(1, 2, 4, 3, 0);
  }

  @Test
  void refinementOrder_firstMaximumIsNumpysReversedArgsort() {
    // argsort([0.5, 3, 3 - 1e-14, 1, 3]) = [0, 3, 2, 1, 4]; reversed: exact ties, last first
    double[] ind = {0.5, 3.0, 3.0 - 1e-14, 1.0, 3.0};
    assertThat(AdaptiveGreedy.refinementOrder(ind, 0.0)).containsExactly(4, 1, 2, 3, 0);
  }

  @Test
  void numpyFormat_printsLikeNumpy() {
    assertThat(AdaptiveGreedy.numpyFormat(new int[] {0})).isEqualTo("[0]");
    assertThat(AdaptiveGreedy.numpyFormat(new int[] {3, 5, 7})).isEqualTo("[3 5 7]");
    // pyMOR's log: "Refining 18 elements: [176 177 178 179   0   1   2 ..." (numpy pads)
    assertThat(AdaptiveGreedy.numpyFormat(new int[] {176, 177, 0, 13}))
        .isEqualTo("[176 177   0  13]");
    int[] many = new int[30];
    for (int i = 0; i < many.length; i++) {
      many[i] = 100 + i;
    }
    // str(np.arange(100, 130)): 18 numbers per line of at most 75 characters
    assertThat(AdaptiveGreedy.numpyFormat(many))
        .isEqualTo(
            "[100 101 102 103 104 105 106 107 108 109 110 111 112 113 114 115 116 117\n"
                + " 118 119 120 121 122 123 124 125 126 127 128 129]");
    int[] huge = new int[1001];
    for (int i = 0; i < huge.length; i++) {
      huge[i] = i * 10;
    }
    assertThat(AdaptiveGreedy.numpyFormat(huge))
        .isEqualTo("[    0    10    20 ...  9980  9990 10000]");
  }

  @Test
  void repr_printsLikePython() {
    assertThat(AdaptiveGreedy.repr(1.2967887448236146e-13)).isEqualTo("1.2967887448236146e-13");
    assertThat(AdaptiveGreedy.repr(6.582429129071985e-4)).isEqualTo("0.0006582429129071985");
    assertThat(AdaptiveGreedy.repr(4.266713540550069e-05)).isEqualTo("4.266713540550069e-05");
    assertThat(AdaptiveGreedy.repr(1.8745731821515637)).isEqualTo("1.8745731821515637");
    assertThat(AdaptiveGreedy.repr(0.1)).isEqualTo("0.1");
    assertThat(AdaptiveGreedy.repr(1.0)).isEqualTo("1.0");
    assertThat(AdaptiveGreedy.repr(123456.0)).isEqualTo("123456.0");
    assertThat(AdaptiveGreedy.repr(1e16)).isEqualTo("1e+16");
    assertThat(AdaptiveGreedy.repr(-2.5e-7)).isEqualTo("-2.5e-07");
    assertThat(AdaptiveGreedy.repr(0.0001)).isEqualTo("0.0001");
    assertThat(AdaptiveGreedy.repr(-1.0)).isEqualTo("-1.0");
  }
}
