package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmor.cli.CliInputTest.assertBadInput;
import static org.jmor.cli.CliInputTest.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jmor.cli.CliInputTest.Run;
import org.jmor.parallel.WorkerPools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11 item 4: {@code thermalblock --pickle PREFIX} and {@code analyze-pickle histogram|
 * convergence} against pyMOR 2022.2.0 itself, run side by side on its own saved files:
 *
 * <pre>
 * cd /tmp/pymor && export PYTHONPATH=src
 * python3 src/pymordemos/thermalblock.py --alg pod --reductor R --grid 20 --test 2 \
 *     --pickle /tmp/q_R 3 1 3 5                          (R = residual_basis, traditional)
 * python3 bench/pymor/analyze_pickle_reference.py histogram /tmp/q_R_reduced 6 \
 *     --detailed-data /tmp/q_R_detailed [--error-norm h1_0_semi]
 * python3 bench/pymor/analyze_pickle_reference.py convergence --with-estimates \
 *     /tmp/q_R_reduced /tmp/q_R_detailed 6 [--ndim 4 --error-norm l2]
 * </pre>
 *
 * (the reference script runs pyMOR's demo unchanged and prints the numbers it plots). {@code --alg
 * pod} on 3x1 blocks because its basis is pyMOR's up to round-off and sign (2x2 blocks have
 * degenerate POD modes, and the greedy's symmetric ties are broken by round-off). The numbers agree
 * to 1e-10 relative; sequential and {@code threads:2} give identical output and files.
 */
class AnalyzePickleTest {

  @TempDir static Path dir;

  private static final Map<String, Path> PREFIX = new ConcurrentHashMap<>();

  private static final String[] MUS = {
    "{diffusion: [0.796560443700367, 0.4949905957768471, 0.8727381279202442]}",
    "{diffusion: [0.7276312261534275, 0.18475961309888458, 0.9780601164730803]}",
    "{diffusion: [0.7850257317913176, 0.8074578747492585, 0.2153022694079913]}",
    "{diffusion: [0.5053473441060105, 0.4337182218093232, 0.9340884899637416]}",
    "{diffusion: [0.6794786080725981, 0.840485451943747, 0.499072778944598]}",
    "{diffusion: [0.3045148496062992, 0.5991263083142513, 0.1574355304937578]}"
  };

  @BeforeAll
  static void pickle() throws Exception {
    for (String reductor : List.of("residual_basis", "traditional")) {
      Path prefix = dir.resolve("q_" + reductor);
      Run r = thermalblock(reductor, "sequential", prefix);
      assertThat(r.code).as(r.err).isZero();
      // pyMOR's two lines, where pyMOR prints them: after the reduction, before the analysis
      assertThat(r.out)
          .contains(
              "\n\nWriting reduced model to file "
                  + prefix
                  + "_reduced ...\nWriting detailed model and reductor to file "
                  + prefix
                  + "_detailed ...\n\nSearching for maximum error on random snapshots ...\n");
      PREFIX.put(reductor, prefix);
    }
  }

  private static Run thermalblock(String reductor, String pool, Path prefix) {
    return run(
        "thermalblock",
        "--alg",
        "pod",
        "--reductor",
        reductor,
        "--grid",
        "20",
        "--test",
        "2",
        "--no-plots",
        "--pool",
        pool,
        "--pickle",
        prefix.toString(),
        "3",
        "1",
        "3",
        "5");
  }

  @AfterEach
  void reset() {
    WorkerPools.resetParallelPool();
  }

  private static String reduced(String reductor) {
    return PREFIX.get(reductor) + "_reduced";
  }

  private static String detailed(String reductor) {
    return PREFIX.get(reductor) + "_detailed";
  }

  /** The numbers of the line that starts with {@code label}. */
  private static double[] numbers(String out, String label) {
    String line =
        out.lines()
            .filter(l -> l.startsWith(label))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no line '" + label + "' in\n" + out));
    String list = line.substring(line.indexOf('[') + 1, line.lastIndexOf(']'));
    return Arrays.stream(list.split(", ")).mapToDouble(Double::parseDouble).toArray();
  }

  private static String nonzeroBins(String out, String label) {
    String line = out.lines().filter(l -> l.startsWith(label)).findFirst().orElseThrow();
    return line.substring(line.indexOf("(index:count): ") + 15);
  }

  private static void assertClose(double[] actual, double... expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat(Math.abs(actual[i] - expected[i]))
          .as("entry %d: %s vs pyMOR's %s", i, actual[i], expected[i])
          .isLessThanOrEqualTo(1e-10 * Math.abs(expected[i]));
    }
  }

  /** Standard output without what depends on the machine (times, paths of plots). */
  private static String stable(String out) {
    return String.join(
        "\n", out.lines().filter(l -> !l.startsWith("average") && !l.startsWith("wrote")).toList());
  }

  private static final Map<String, String> BY_POOL = new ConcurrentHashMap<>();

  @ParameterizedTest
  @ValueSource(strings = {"sequential", "threads:2"})
  void histogram_matchesPymor(String pool) {
    Run r =
        run(
            "analyze-pickle",
            "histogram",
            "--no-plots",
            "--pool",
            pool,
            reduced("residual_basis"),
            "6",
            "--detailed-data",
            detailed("residual_basis"));
    assertThat(r.code).as(r.err).isZero();
    List<String> expected = new ArrayList<>();
    expected.add("Loading reduced model ...");
    for (String mu : MUS) {
      expected.add("Solving reduced for " + mu + " ... done");
    }
    expected.add("");
    for (String mu : MUS) {
      expected.add("Estimating error for " + mu + " ... done");
    }
    expected.add("Loading high-dimensional data ...");
    for (String mu : MUS) {
      expected.add("Calculating error for " + mu + " ... ");
      expected.add("done");
    }
    expected.add("");
    assertThat(r.out.lines().toList()).startsWith(expected.toArray(new String[0]));
    assertClose(
        numbers(r.out, "estimated errors:"),
        0.010786466904731019,
        0.03376549157469892,
        0.025383508923034953,
        0.012414259798275835,
        0.006643941660247586,
        0.04596358063869572);
    assertClose(
        numbers(r.out, "errors (euclidean norm):"),
        0.006453167387689513,
        0.011109108549502636,
        0.010807899836814742,
        0.0064029724917165935,
        0.007199073000258548,
        0.025622271340109554);
    assertThat(nonzeroBins(r.out, "histogram of the errors:"))
        .isEqualTo("4:1 5:1 10:1 28:1 29:1 68:1");
    assertThat(nonzeroBins(r.out, "histogram of the estimated errors:"))
        .isEqualTo("6:1 28:1 34:1 67:1 80:1 94:1");
    assertSameOnEveryPool("histogram", pool, r.out);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sequential", "threads:2"})
  void histogram_traditionalInH1_0_semi_matchesPymor(String pool) {
    Run r =
        run(
            "analyze-pickle",
            "histogram",
            "--no-plots",
            "--pool",
            pool,
            "--error-norm",
            "h1_0_semi",
            "--detailed-data",
            detailed("traditional"),
            reduced("traditional"),
            "6");
    assertThat(r.code).as(r.err).isZero();
    assertClose(
        numbers(r.out, "estimated errors:"),
        0.010786466904729067,
        0.033765491574691636,
        0.02538350892303839,
        0.012414259798274518,
        0.00664394166024555,
        0.045963580638688724);
    assertClose(
        numbers(r.out, "errors (h1_0_semi norm):"),
        0.007974508917273982,
        0.012738966420929553,
        0.010825001628422539,
        0.008086139761057213,
        0.004886263534249241,
        0.019169254602526015);
    assertThat(nonzeroBins(r.out, "histogram of the errors:")).isEqualTo("4:1 24:2 36:1 43:1 59:1");
    assertThat(nonzeroBins(r.out, "histogram of the estimated errors:"))
        .isEqualTo("16:1 36:1 42:1 71:1 82:1 95:1");
    assertSameOnEveryPool("histogram traditional", pool, r.out);
  }

  /** Without --detailed-data: the estimates and their histogram only, as pyMOR. */
  @Test
  void histogram_estimatesOnly_matchesPymor() {
    Run r =
        run(
            "analyze-pickle",
            "histogram",
            "--no-plots",
            "--pool",
            "sequential",
            reduced("traditional"),
            "5");
    assertThat(r.code).as(r.err).isZero();
    assertThat(r.out).doesNotContain("Loading high-dimensional data").doesNotContain("errors (");
    assertThat(nonzeroBins(r.out, "histogram of the estimated errors:"))
        .isEqualTo("5:1 31:1 39:1 78:1 93:1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sequential", "threads:2"})
  void convergence_matchesPymor(String pool) {
    Run r =
        run(
            "analyze-pickle",
            "convergence",
            "--no-plots",
            "--pool",
            pool,
            reduced("residual_basis"),
            detailed("residual_basis"),
            "6");
    assertThat(r.code).as(r.err).isZero();
    assertThat(r.out.lines().toList())
        .startsWith(
            "Loading reduced model ...",
            "Loading high-dimensional data ...",
            "N =   0 solve estimate errors",
            "N =   1 solve estimate errors",
            "N =   2 solve estimate errors",
            "N =   3 solve estimate errors",
            "N =   4 solve estimate errors",
            "N =   5 solve estimate errors",
            "");
    assertClose(
        numbers(r.out, "maximum errors (euclidean norm):"),
        3.685696221685302,
        0.593699308013097,
        0.5161531546375148,
        0.19772337796261,
        0.13893443363121813,
        0.025622271340109554);
    assertClose(
        numbers(r.out, "maximum estimated errors:"),
        1.1890706723998947,
        0.42113708975920555,
        0.40772976654337084,
        0.18885124385623647,
        0.10294999934119921,
        0.04596358063869572);
    assertThat(numbers(r.out, "average solve times (ms):")).hasSize(6);
    assertSameOnEveryPool("convergence", pool, r.out);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sequential", "threads:2"})
  void convergence_ndimAndL2_matchPymor(String pool) {
    Run r =
        run(
            "analyze-pickle",
            "convergence",
            "--no-plots",
            "--pool",
            pool,
            "--ndim",
            "4",
            "--error-norm",
            "l2",
            reduced("traditional"),
            detailed("traditional"),
            "6");
    assertThat(r.code).as(r.err).isZero();
    assertThat(r.out).contains("dimensions: [0, 1, 3, 5]\n");
    assertClose(
        numbers(r.out, "maximum errors (l2 norm):"),
        0.13005218719243283,
        0.020896862370354145,
        0.006881435548377428,
        0.000856480232185173);
    assertClose(
        numbers(r.out, "maximum estimated errors:"),
        1.1890706723998892,
        0.4211370897592051,
        0.1888512438562361,
        0.045963580638688724);
    assertSameOnEveryPool("convergence ndim", pool, r.out);
  }

  /** Whichever pool runs second must print exactly what the first printed (times aside). */
  private static void assertSameOnEveryPool(String test, String pool, String out) {
    String previous = BY_POOL.putIfAbsent(test, stable(out));
    if (previous != null) {
      assertThat(stable(out)).as(pool).isEqualTo(previous);
    }
  }

  /** threads:2 writes byte-identical files. */
  @Test
  void pickle_onThreads_writesTheSameFiles() throws Exception {
    Path prefix = dir.resolve("t_residual_basis");
    Run r = thermalblock("residual_basis", "threads:2", prefix);
    assertThat(r.code).as(r.err).isZero();
    for (String suffix : List.of("_reduced", "_detailed")) {
      assertThat(Files.readAllBytes(Path.of(prefix + suffix)))
          .isEqualTo(Files.readAllBytes(Path.of(PREFIX.get("residual_basis") + suffix)));
    }
  }

  @Test
  void plots_areWritten() throws Exception {
    Path plots = dir.resolve("plots");
    Run h =
        run(
            "analyze-pickle",
            "histogram",
            "--plot-dir",
            plots.toString(),
            "--pool",
            "sequential",
            "--detailed-data",
            detailed("residual_basis"),
            reduced("residual_basis"),
            "3");
    assertThat(h.code).as(h.err).isZero();
    Run c =
        run(
            "analyze-pickle",
            "convergence",
            "--plot-dir",
            plots.toString(),
            "--pool",
            "sequential",
            "--ndim",
            "2",
            reduced("residual_basis"),
            detailed("residual_basis"),
            "2");
    assertThat(c.code).as(c.err).isZero();
    for (String name :
        List.of(
            "histogram-scatter",
            "histogram-errors",
            "histogram-estimates",
            "convergence-errors",
            "convergence-times")) {
      Path png = plots.resolve("analyze-pickle-" + name + ".png");
      assertThat(h.out + c.out).contains("wrote " + png);
      byte[] b = Files.readAllBytes(png);
      assertThat(Arrays.copyOf(b, 4)).isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    }
  }

  @Test
  void notASavedModel_isOneLine() throws Exception {
    Path pickle = Files.writeString(dir.resolve("pymor_reduced"), "\u0080\u0004 a pyMOR pickle");
    Run r = run("analyze-pickle", "histogram", "--no-plots", pickle.toString(), "3");
    assertBadInput(
        r, pickle + ": not a jmor saved model (it does not start with jmor's magic bytes)");
    // checked with the arguments, before the pool or any loading
    assertThat(r.out + r.err).doesNotContain("Loading").doesNotContain("new parallel pool");
  }

  @Test
  void filesSwapped_isOneLine() {
    assertBadInput(
        run(
            "analyze-pickle",
            "convergence",
            "--no-plots",
            detailed("traditional"),
            reduced("traditional"),
            "3"),
        "is a detailed-model file, expected a reduced-model file (PREFIX_reduced)");
  }

  @Test
  void badArguments_areOneLine() {
    assertBadInput(
        run("analyze-pickle", "histogram", dir.resolve("missing").toString(), "3"),
        "REDUCED_DATA " + dir.resolve("missing") + ": no such file");
    assertBadInput(
        run("analyze-pickle", "histogram", reduced("traditional"), "0"),
        "SAMPLES must be in [1, 10000000], got 0");
    assertBadInput(
        run("analyze-pickle", "histogram", "--error-norm", "h1", reduced("traditional"), "2"),
        "--error-norm h1 is not supported: the model has the norms h1_0_semi, l2 and h1_semi");
    assertBadInput(
        run(
            "analyze-pickle",
            "convergence",
            "--ndim",
            "-1",
            reduced("traditional"),
            detailed("traditional"),
            "2"),
        "--ndim must be in [0, 100000], got -1");
    assertBadInput(
        run("thermalblock", "--pickle", "", "2", "2", "2", "2"), "--pickle: the prefix is empty");
  }
}
