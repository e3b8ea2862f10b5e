package org.jmor.cli.thermalblock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** numpy's {@code histogram} and pyMOR's {@code _bins}, as {@code analyze-pickle} uses them. */
class HistogramBinsTest {

  @Test
  void histogram_edgesAsNumpy() {
    double[] edges = {1, 2, 4, 8};
    // [1, 2) [2, 4) [4, 8]: left edges belong to their bin, the last bin includes 8, outside
    // dropped
    int[] counts =
        AnalyzePickleCommand.histogram(new double[] {1, 1.5, 2, 3.9, 4, 8, 0.5, 9}, edges);
    assertThat(counts).containsExactly(2, 2, 2);
  }

  @Test
  void logBins_areNumpysLogspace() {
    // numpy: np.logspace(np.log10(0.01), np.log10(1.0), 100)[[0, 1, 50, 99]]
    double[] b = AnalyzePickleCommand.logBins(0.01, 1.0);
    assertThat(b).hasSize(100);
    double[] numpy = {0.01, 0.010476157527896646, 0.10235310218990264, 1.0};
    int[] at = {0, 1, 50, 99};
    for (int i = 0; i < at.length; i++) {
      assertThat(Math.abs(b[at[i]] - numpy[i])).isLessThanOrEqualTo(2e-16 * numpy[i]);
    }
  }
}
