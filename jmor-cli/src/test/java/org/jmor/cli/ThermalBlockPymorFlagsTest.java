package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmor.cli.CliInputTest.assertBadInput;
import static org.jmor.cli.CliInputTest.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jmor.cli.CliInputTest.Run;
import org.jmor.parallel.WorkerPools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11 items 2 and 5: {@code --reductor traditional} prints pyMOR's results block, and pyMOR's
 * flag spellings work or fail with one line. The expected lines were printed by pyMOR 2022.2.0
 * itself: {@code cd /tmp/pymor && PYTHONPATH=src python3 src/pymordemos/thermalblock.py ARGS}.
 */
class ThermalBlockPymorFlagsTest {

  @TempDir Path tmp;

  @AfterEach
  void reset() {
    WorkerPools.resetParallelPool();
  }

  /** {@code thermalblock.py --alg=naive --reductor=traditional 2 2 10 5}: pyMOR's CI case. */
  private static final List<String> NAIVE_BLOCK =
      List.of(
          "Stochastic error estimation:",
          "    number of samples:                    10",
          "    maximum h1_0_semi-norm:               7.7736498e-01 (mu = {diffusion: [0.8005451473663857, 0.2751748370667708, 0.5200489033543307, 0.13942338920850592]})",
          "    maximum h1_0_semi-error:              1.2303895e-01 (mu = {diffusion: [0.8005451473663857, 0.2751748370667708, 0.5200489033543307, 0.13942338920850592]})",
          "    maximum l2-norm:                      1.5614008e-01 (mu = {diffusion: [0.8005451473663857, 0.2751748370667708, 0.5200489033543307, 0.13942338920850592]})",
          "    maximum l2-error:                     1.2110128e-02 (mu = {diffusion: [0.8005451473663857, 0.2751748370667708, 0.5200489033543307, 0.13942338920850592]})",
          "    maximum estimated error:              2.1177301e-01 (mu = {diffusion: [0.7142459535774779, 0.22577723524837884, 0.2799173822275975, 0.10662604277590497]})",
          "    minimum error estimator effectivity:  4.3966808e-01 (mu = {diffusion: [0.23886054286079306, 0.7147440579182092, 0.7702859403170355, 0.970758759190789]})",
          "    maximum error estimator effectivity:  9.1244814e-01 (mu = {diffusion: [0.8082319397519245, 0.6983657709328289, 0.7346488407637016, 0.8026561279197711]})",
          "    maximum system matrix condition:      1.5327552e+03 (mu = {diffusion: [0.7142459535774779, 0.22577723524837884, 0.2799173822275975, 0.10662604277590497]})");

  /**
   * {@code thermalblock.py --reductor=traditional 2 2 3 5}, greedy with the tolerance tie rule
   * (pyMOR's greedy patched to it, as for the residual-basis reference).
   */
  private static final List<String> GREEDY_BLOCK =
      List.of(
          "Stochastic error estimation:",
          "    number of samples:                    10",
          "    maximum h1_0_semi-norm:               5.8235808e-01 (mu = {diffusion: [0.5991263083142513, 0.1574355304937578, 0.8448680547933238, 0.6684979592098583]})",
          "    maximum h1_0_semi-error:              1.6342849e-01 (mu = {diffusion: [0.5991263083142513, 0.1574355304937578, 0.8448680547933238, 0.6684979592098583]})",
          "    maximum l2-norm:                      1.1663722e-01 (mu = {diffusion: [0.18475961309888458, 0.9780601164730803, 0.7850257317913176, 0.8074578747492585]})",
          "    maximum l2-error:                     1.8486248e-02 (mu = {diffusion: [0.18475961309888458, 0.9780601164730803, 0.7850257317913176, 0.8074578747492585]})",
          "    maximum estimated error:              2.8143384e-01 (mu = {diffusion: [0.8005451473663857, 0.2751748370667708, 0.5200489033543307, 0.13942338920850592]})",
          "    minimum error estimator effectivity:  4.9369205e-01 (mu = {diffusion: [0.8005451473663857, 0.2751748370667708, 0.5200489033543307, 0.13942338920850592]})",
          "    maximum error estimator effectivity:  8.8201578e-01 (mu = {diffusion: [0.796560443700367, 0.4949905957768471, 0.8727381279202442, 0.7276312261534275]})",
          "    maximum system matrix condition:      3.4692604e+00 (mu = {diffusion: [0.8005451473663857, 0.2751748370667708, 0.5200489033543307, 0.13942338920850592]})");

  /** pyMOR's {@code max_errs} of the same greedy run, full precision. */
  private static final double[] GREEDY_MAX_ERRORS = {
    1.8745731821514844,
    1.3381139146441627,
    1.2568636472496986,
    1.2116458597594921,
    0.8106668240232663
  };

  private static List<String> resultsBlock(String out) {
    List<String> lines = out.lines().toList();
    int from = lines.indexOf("Stochastic error estimation:");
    assertThat(from).as(out).isNotNegative();
    List<String> block = new ArrayList<>();
    for (int i = from; i < lines.size() && !lines.get(i).contains("elapsed time"); i++) {
      block.add(lines.get(i));
    }
    return block;
  }

  @ParameterizedTest
  @ValueSource(strings = {"sequential", "threads:2"})
  void naiveTraditional_printsPymorsResultsBlock(String pool) {
    // pyMOR's spelling with '='
    Run r =
        run(
            "thermalblock",
            "--alg=naive",
            "--reductor=traditional",
            "--no-plots",
            "--pool",
            pool,
            "2",
            "2",
            "10",
            "5");
    assertThat(r.code).as(r.err).isZero();
    assertThat(r.out).contains("Naive basis generation:\n   basis size set: 5\n");
    assertThat(resultsBlock(r.out)).containsExactlyElementsOf(NAIVE_BLOCK);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sequential", "threads:2"})
  void greedyTraditional_matchesPymor(String pool) throws Exception {
    Path json = tmp.resolve("g.json");
    Run r =
        run(
            "thermalblock",
            "--reductor",
            "traditional",
            "--no-plots",
            "--pool",
            pool,
            "--json",
            json.toString(),
            "2",
            "2",
            "3",
            "5");
    assertThat(r.code).as(r.err).isZero();
    assertThat(resultsBlock(r.out)).containsExactlyElementsOf(GREEDY_BLOCK);
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    assertThat(root.get("reductor").asText()).isEqualTo("traditional");
    JsonNode g = root.get("greedy");
    for (int k = 0; k < 5; k++) {
      double e = g.get("max_errs").get(k).asDouble();
      assertThat(Math.abs(e - GREEDY_MAX_ERRORS[k]) / GREEDY_MAX_ERRORS[k]).isLessThan(1e-12);
    }
    List<Integer> indices = new ArrayList<>();
    g.get("max_err_indices").forEach(n -> indices.add(n.asInt()));
    assertThat(indices).containsExactly(0, 2, 6, 8, 18);
  }

  private static String[] small(String... options) {
    List<String> a = new ArrayList<>(List.of("thermalblock", "--grid", "6", "--test", "3"));
    a.addAll(List.of(options));
    a.addAll(List.of("--no-plots", "2", "2", "2", "2"));
    return a.toArray(new String[0]);
  }

  @Test
  void reductor_badValueIsOneLine() {
    Run r = run(small("--reductor", "bogus"));
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).contains("--reductor").contains("traditional").doesNotContain("Exception");
  }

  @Test
  void ipythonEngines_andPool_conflict() {
    assertBadInput(
        run(small("--ipython-engines=2", "--pool", "threads:2")),
        "--ipython-engines 2 and --pool threads:2 both choose the pool; give one of them");
  }

  @Test
  void ipythonEngines_negative() {
    assertBadInput(run(small("--ipython-engines", "-1")), "--ipython-engines must be >= 0, got -1");
  }

  @Test
  void listVectorArray_refused() {
    assertBadInput(
        run(small("--list-vector-array")),
        "--list-vector-array is not supported: there is one vector array type here");
  }

  @Test
  void fenics_refused() {
    assertBadInput(
        run(small("--fenics")), "--fenics is not supported: there is no FEniCS model in Java");
  }

  @Test
  void order_refused() {
    assertBadInput(
        run(small("--order", "2")),
        "--order 2 is not supported: higher-order finite elements need pyMOR's FEniCS model");
  }

  /** pyMOR's defaults, spelled out, are accepted: as pyMOR, they change nothing. */
  @Test
  void pymorDefaults_accepted() {
    Run r =
        run(
            small(
                "--ipython-engines=0",
                "--no-list-vector-array",
                "--no-fenics",
                "--order=1",
                "--reductor=residual_basis",
                "--pool",
                "sequential"));
    assertThat(r.code).as(r.err).isZero();
    assertThat(r.out).contains("Stochastic error estimation:");
  }
}
