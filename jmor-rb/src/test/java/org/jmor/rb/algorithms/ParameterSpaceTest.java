package org.jmor.rb.algorithms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jmor.random.Pcg64;
import org.junit.jupiter.api.Test;

class ParameterSpaceTest {

  @Test
  void linspace_matchesNumpyBitForBit() {
    assertThat(ParameterSpace.linspace(0.1, 1.0, 3)).containsExactly(0.1, 0.55, 1.0);
    assertThat(ParameterSpace.linspace(0.1, 1.0, 2)).containsExactly(0.1, 1.0);
    assertThat(ParameterSpace.linspace(0.1, 1.0, 4)).containsExactly(0.1, 0.4, 0.7, 1.0);
    // np.linspace(0.1, 1.0, 5)[1] == 0.325 and [3] == 0.775 (k*step + start)
    assertThat(ParameterSpace.linspace(0.1, 1.0, 5)).containsExactly(0.1, 0.325, 0.55, 0.775, 1.0);
    assertThat(ParameterSpace.linspace(0.1, 1.0, 1)).containsExactly(0.1);
    // values that are not the nearest doubles to the decimals (numpy 1.24 output)
    assertThat(ParameterSpace.linspace(0.1, 1.0, 7))
        .containsExactly(0.1, 0.25, 0.4, 0.5499999999999999, 0.7, 0.85, 1.0);
    assertThat(ParameterSpace.linspace(0.1, 1.0, 10))
        .containsExactly(
            0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6, 0.7000000000000001, 0.8, 0.9, 1.0);
  }

  @Test
  void sampleUniformly_isTheTensorProductWithTheLastComponentFastest() {
    List<double[]> s = ParameterSpace.of(4, 0.1, 1.0).sampleUniformly(3);
    assertThat(s).hasSize(81);
    assertThat(s.get(0)).containsExactly(0.1, 0.1, 0.1, 0.1);
    assertThat(s.get(1)).containsExactly(0.1, 0.1, 0.1, 0.55);
    assertThat(s.get(2)).containsExactly(0.1, 0.1, 0.1, 1.0);
    assertThat(s.get(3)).containsExactly(0.1, 0.1, 0.55, 0.1);
    assertThat(s.get(18)).containsExactly(0.1, 1.0, 0.1, 0.1);
    assertThat(s.get(54)).containsExactly(1.0, 0.1, 0.1, 0.1);
    assertThat(s.get(80)).containsExactly(1.0, 1.0, 1.0, 1.0);
    assertThat(ParameterSpace.of(9, 0.1, 1.0).sampleUniformly(2)).hasSize(512);
    assertThat(ParameterSpace.of(6, 0.1, 1.0).sampleUniformly(4)).hasSize(4096);
  }

  @Test
  void sampleRandomly_drawsQNumbersPerParameterFromTheGenerator() {
    List<double[]> q4 = ParameterSpace.of(4, 0.1, 1.0).sampleRandomly(10, Pcg64.defaultRng(42));
    assertThat(q4.get(0))
        .containsExactly(
            0.796560443700367, 0.4949905957768471, 0.8727381279202442, 0.7276312261534275);
    assertThat(q4.get(9))
        .containsExactly(
            0.2169293548019245, 0.5281344336033403, 0.3042184141457957, 0.7028325952142593);
    List<double[]> q9 = ParameterSpace.of(9, 0.1, 1.0).sampleRandomly(10, Pcg64.defaultRng(42));
    assertThat(q9.get(9))
        .containsExactly(
            0.4657481752960635,
            0.8326183461994312,
            0.25027562791693353,
            0.12044086582047443,
            0.18104307469807757,
            0.7501234155368053,
            0.5156895072262486,
            0.2451446011302416,
            0.5509402975930272);
    List<double[]> q6 = ParameterSpace.of(6, 0.1, 1.0).sampleRandomly(2, Pcg64.defaultRng(42));
    assertThat(q6.get(1))
        .containsExactly(
            0.7850257317913176,
            0.8074578747492585,
            0.2153022694079913,
            0.5053473441060105,
            0.4337182218093232,
            0.9340884899637416);
  }

  @Test
  void invalidArguments_areRejected() {
    assertThatThrownBy(() -> ParameterSpace.of(0, 0.1, 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension");
    assertThatThrownBy(() -> ParameterSpace.of(2, 1.0, 0.1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ParameterSpace.of(2, 0.1, 1.0).sampleUniformly(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("counts");
  }
}
