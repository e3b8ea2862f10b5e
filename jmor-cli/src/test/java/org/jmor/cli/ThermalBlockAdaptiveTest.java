package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jmor.parallel.WorkerPools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code thermalblock --alg adaptive_greedy}: pyMOR's results block, recorded from pyMOR 2022.2.0
 * patched to the tolerance tie rule ({@code cd /tmp/pymor && TIE=tolerance
 * PYTHONPATH=src:src/pymordemos python3 jmor-thermalblock/src/test/pymor/adaptive_reference.py
 * ARGS}, see AdaptiveGreedyReferenceTest in jmor-rb), on the sequential pool and on threads:2.
 */
class ThermalBlockAdaptiveTest {

  @TempDir Path tmp;

  @AfterEach
  void reset() {
    WorkerPools.resetParallelPool();
  }

  private static String run(String... args) {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    PrintStream saved = System.out;
    int code;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
    } finally {
      System.setOut(saved);
    }
    assertThat(code).as(err.toString()).isZero();
    return stdout.toString(StandardCharsets.UTF_8);
  }

  /** The results block without the elapsed times. */
  private static String block(String out) {
    String b = out.substring(out.indexOf("*** RESULTS ***"));
    return b.replaceAll("elapsed time: +\\S+", "elapsed time:");
  }

  private static final String MU_H1 =
      "{diffusion: [0.7253183159366484, 0.8746471614933047, 0.21889255357138954,"
          + " 0.6529417664877278]}";
  private static final String MU_EST =
      "{diffusion: [0.22366713703402197, 0.9629922213181723, 0.820795758476587,"
          + " 0.6343138040197187]}";

  /** pyMOR: --alg=adaptive_greedy --adaptive-greedy-rho=0.5 --grid=30 2 2 5 15. */
  private static final String H_BLOCK =
      String.join(
          System.lineSeparator(),
          "*** RESULTS ***",
          "",
          "pyMOR model:",
          "   number of blocks: 2x2",
          "   grid intervals:   30",
          "   ListVectorArray:  False",
          "",
          "Adaptive greedy basis generation:",
          "   initial size of validation set:  6",
          "   error estimator used:            True",
          "   extension method:                gram_schmidt",
          "   prescribed basis size:           15",
          "   actual basis size:               15",
          "   elapsed time:",
          "",
          "Stochastic error estimation:",
          "    number of samples:                    10",
          "    maximum h1_0_semi-norm:               5.5483733e-01 (mu = " + MU_H1 + ")",
          "    maximum h1_0_semi-error:              5.4454428e-05 (mu = " + MU_H1 + ")",
          "    maximum l2-norm:                      1.1011134e-01 (mu = " + MU_H1 + ")",
          "    maximum l2-error:                     2.0841302e-06 (mu = " + MU_H1 + ")",
          "    maximum estimated error:              1.4688128e-04 (mu = " + MU_EST + ")",
          "    minimum error estimator effectivity:  3.6430814e-01 (mu = " + MU_EST + ")",
          "    maximum error estimator effectivity:  9.2278458e-01 (mu = {diffusion:"
              + " [0.6084555503251977, 0.6151874626304648, 0.5193866376831047,"
              + " 0.5703685979618105]})",
          "    maximum system matrix condition:      5.3529009e+00 (mu = {diffusion:"
              + " [0.18558617340694117, 0.7531440654442841, 0.17604389694116823,"
              + " 0.9423458404305635]})",
          "    elapsed time:");

  @Test
  void manyRefinements_printPyMorsResultsBlockOnEveryPool() throws Exception {
    String expectedJson = null;
    for (String pool : new String[] {"sequential", "threads:2"}) {
      Path json = tmp.resolve(pool.replace(':', '-') + ".json");
      String out =
          run(
              "thermalblock",
              "--alg",
              "adaptive_greedy",
              "--adaptive-greedy-rho",
              "0.5",
              "--grid",
              "30",
              "--no-plots",
              "--no-plot-error-sequence",
              "--pool",
              pool,
              "--json",
              json.toString(),
              "2",
              "2",
              "5",
              "15");
      assertThat(block(out)).startsWith(H_BLOCK);
      JsonNode root = new ObjectMapper().readTree(json.toFile());
      JsonNode a = root.get("adaptive_greedy");
      assertThat(a.get("refinements").get(0).asInt()).isEqualTo(15);
      assertThat(a.get("training_set_sizes").get(14).asInt()).isEqualTo(588);
      assertThat(root.get("training_set_size").asInt()).isEqualTo(588);
      ((com.fasterxml.jackson.databind.node.ObjectNode) a).remove("time_s");
      if (expectedJson == null) {
        expectedJson = a.toString();
      } else {
        assertThat(a.toString()).as(pool).isEqualTo(expectedJson);
      }
    }
  }

  private static double value(String out, String line) {
    Matcher m = Pattern.compile(Pattern.quote(line) + ": +(\\S+) ").matcher(out);
    assertThat(m.find()).as(line).isTrue();
    return Double.parseDouble(m.group(1));
  }

  /**
   * pyMOR's CI case, {@code --alg=adaptive_greedy 2 2 10 30}: every line as pyMOR prints it except
   * the errors of the 30-dimensional model, which are round-off (1e-12 and below): they agree with
   * pyMOR's to 1e-15 absolute, and the effectivities (round-off divided by round-off) only in their
   * parameter.
   */
  @Test
  void ciCase_printsPyMorsResultsBlock() {
    String out =
        block(
            run(
                "thermalblock",
                "--alg",
                "adaptive_greedy",
                "--no-plots",
                "--no-plot-error-sequence",
                "--pool",
                "threads:2",
                "2",
                "2",
                "10",
                "30"));
    String mu =
        "(mu = {diffusion: [0.42563134949805137, 0.1788849273844909, 0.2062053119084638,"
            + " 0.965707898094563]})";
    assertThat(out)
        .contains(
            String.join(
                System.lineSeparator(),
                "Adaptive greedy basis generation:",
                "   initial size of validation set:  11",
                "   error estimator used:            True",
                "   extension method:                gram_schmidt",
                "   prescribed basis size:           30",
                "   actual basis size:               30",
                "   elapsed time:"),
            "    maximum h1_0_semi-norm:               7.0554330e-01 " + mu,
            "    maximum l2-norm:                      1.3790522e-01 " + mu,
            "    maximum system matrix condition:      6.2281470e+00 (mu = {diffusion:"
                + " [0.12044086582047443, 0.18104307469807757, 0.7501234155368053,"
                + " 0.5156895072262486]})",
            "(mu = {diffusion: [0.18675186593814935, 0.9123421568894575, 0.51019866085025,"
                + " 0.2821270283157073]})",
            "(mu = {diffusion: [0.7826675768516891, 0.7475166603558431, 0.48888373579759337,"
                + " 0.6645779566321989]})");
    assertThat(value(out, "maximum h1_0_semi-error")).isCloseTo(1.0914605e-12, within(1e-15));
    assertThat(value(out, "maximum l2-error")).isCloseTo(2.9255753e-14, within(1e-15));
    assertThat(value(out, "maximum estimated error")).isCloseTo(2.3508545e-12, within(1e-14));
    for (String line :
        new String[] {"maximum h1_0_semi-error", "maximum l2-error", "maximum estimated error"}) {
      assertThat(out).containsPattern(Pattern.quote(line) + ": +\\S+ " + Pattern.quote(mu));
    }
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }
}
