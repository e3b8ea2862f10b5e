package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jmor.parallel.WorkerPools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code ./jmor} command line: exit codes, messages, JSON report, pools. */
class MainTest {

  @TempDir Path tmp;

  @AfterEach
  void reset() {
    WorkerPools.resetParallelPool();
  }

  private static final class Run {
    int code;
    String out;
    String err;
  }

  private static Run run(String... args) {
    StringWriter err = new StringWriter();
    StringWriter usage = new StringWriter();
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    Run r = new Run();
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      r.code = Main.run(new PrintWriter(usage, true), new PrintWriter(err, true), args);
    } finally {
      System.setOut(saved);
    }
    r.out = stdout.toString(StandardCharsets.UTF_8) + usage;
    r.err = err.toString();
    return r;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "thermalblock -1 2 3 5",
        "thermalblock 2 2 3 -5",
        "thermalblock 2 2 0 5",
        "thermalblock --pool thread 2 2 3 5",
        "thermalblock --grid 1 2 2 3 5",
        "thermalblock --alg foo 2 2 3 5",
        "thermalblock 2 2 3",
        "thermalblock --test -1 2 2 3 5",
        "thermalblock 2 2 x 5",
        "sweep --dampings 0",
        "nosuchcommand"
      })
  void badArguments_exitWithCode2AndOneLine(String args) {
    Run r = run(args.split(" "));
    assertThat(r.code).as(r.err).isEqualTo(2);
    assertThat(r.err.strip()).doesNotContain("\n").doesNotContain("Exception").isNotEmpty();
  }

  @Test
  void badArguments_sayWhatIsAllowed() {
    assertThat(run("thermalblock", "--pool", "thread", "2", "2", "3", "5").err)
        .contains("unknown pool 'thread'")
        .contains("threads:N");
    assertThat(run("thermalblock", "--grid", "1", "2", "2", "3", "5").err)
        .contains("--grid 1 is too small for 2x2 blocks")
        .contains("--grid >= 2");
    assertThat(run("thermalblock", "-1", "2", "3", "5").err).contains("XBLOCKS");
  }

  @Test
  void thermalblock_writesDocumentedJsonFields() throws Exception {
    Path json = tmp.resolve("out/tb.json");
    Run r =
        run(
            "thermalblock",
            "--grid",
            "10",
            "--pool",
            "sequential",
            "--no-plots",
            "--json",
            json.toString(),
            "2",
            "2",
            "2",
            "3");
    assertThat(r.code).as(r.out + r.err).isZero();
    assertThat(r.out)
        .contains("*** RESULTS ***")
        .contains("Stochastic error estimation:")
        .contains("actual basis size:      3");
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    assertThat(root.get("training_set_size").asInt()).isEqualTo(16);
    assertThat(root.get("basis_size").asInt()).isEqualTo(3);
    assertThat(root.get("dofs").asInt()).isEqualTo(221);
    JsonNode g = root.get("greedy");
    assertThat(g.get("max_errs")).hasSize(3);
    assertThat(g.get("max_err_mus")).hasSize(3);
    assertThat(g.get("max_err_mus").get(0)).hasSize(4);
    assertThat(g.get("max_err_indices").get(0).asInt()).isZero();
    assertThat(g.get("time_s").asDouble()).isPositive();
    JsonNode t = root.get("test");
    for (String f :
        List.of(
            "mus",
            "h1_0_semi_errs",
            "l2_errs",
            "estimates",
            "effectivities",
            "conditions",
            "h1_0_semi_norms",
            "l2_norms")) {
      assertThat(t.get(f)).as(f).hasSize(10);
    }
    double maxErr = 0;
    double minEff = Double.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      maxErr = Math.max(maxErr, t.get("h1_0_semi_errs").get(i).asDouble());
      minEff = Math.min(minEff, t.get("effectivities").get(i).asDouble());
      assertThat(t.get("effectivities").get(i).asDouble()).isBetween(0.0, 1.0);
    }
    assertThat(t.get("max_h1_0_semi_err").asDouble()).isEqualTo(maxErr);
    assertThat(t.get("min_effectivity").asDouble()).isEqualTo(minEff);
    for (String f : List.of("max_l2_err", "max_estimate", "max_effectivity", "max_condition")) {
      assertThat(t.get(f).isNumber()).as(f).isTrue();
    }
    // the first test parameter is numpy's default_rng(42).uniform(0.1, 1.0, 4)
    assertThat(t.get("mus").get(0).get(0).asDouble()).isEqualTo(0.796560443700367);
    assertThat(root.get("pool").get("kind").asText()).isEqualTo("sequential");
    assertThat(root.get("pool").get("size").asInt()).isEqualTo(1);
    assertThat(root.get("total_time_s").asDouble()).isPositive();
  }

  @Test
  void thermalblock_sameNumbersOnEveryPool() throws Exception {
    List<JsonNode> results = new ArrayList<>();
    for (String pool : List.of("sequential", "threads:1", "threads:2", "threads:3")) {
      Path json = tmp.resolve(pool.replace(':', '-') + ".json");
      Run r =
          run(
              "thermalblock",
              "--grid",
              "12",
              "--pool",
              pool,
              "--no-plots",
              "--json",
              json.toString(),
              "2",
              "3",
              "2",
              "4");
      assertThat(r.code).as(r.err).isZero();
      JsonNode root = new ObjectMapper().readTree(json.toFile());
      assertThat(root.get("pool").get("kind").asText())
          .isEqualTo(pool.startsWith("threads") ? "threads" : "sequential");
      results.add(root);
    }
    for (JsonNode other : results.subList(1, results.size())) {
      assertThat(other.get("greedy").get("max_errs"))
          .isEqualTo(results.get(0).get("greedy").get("max_errs"));
      assertThat(other.get("greedy").get("max_err_indices"))
          .isEqualTo(results.get(0).get("greedy").get("max_err_indices"));
      for (String f : List.of("h1_0_semi_errs", "l2_errs", "estimates", "conditions")) {
        assertThat(other.get("test").get(f)).as(f).isEqualTo(results.get(0).get("test").get(f));
      }
    }
  }

  @Test
  void thermalblock_writesPlots() throws Exception {
    Path dir = tmp.resolve("plots");
    Run r =
        run(
            "thermalblock",
            "--grid",
            "8",
            "--pool",
            "sequential",
            "--plot-err",
            "--plot-error-sequence",
            "--plot-dir",
            dir.toString(),
            "--test",
            "3",
            "2",
            "2",
            "2",
            "2");
    assertThat(r.code).as(r.err).isZero();
    for (String f :
        List.of(
            "thermalblock-greedy.png",
            "thermalblock-error-sequence.png",
            "thermalblock-max-error-1.png",
            "thermalblock-max-error-2.png",
            "thermalblock-max-error-3.png")) {
      Path p = dir.resolve(f);
      assertThat(p).exists();
      byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(p), 4);
      assertThat(head).containsExactly(0x89, 'P', 'N', 'G');
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pod", "naive"})
  void thermalblock_otherAlgorithmsBuildTheRequestedBasis(String alg) throws Exception {
    Path json = tmp.resolve(alg + ".json");
    Run r =
        run(
            "thermalblock",
            "--grid",
            "10",
            "--pool",
            "threads:2",
            "--no-plots",
            "--alg",
            alg,
            "--json",
            json.toString(),
            "2",
            "2",
            "3",
            "3");
    assertThat(r.code).as(r.err).isZero();
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    assertThat(root.get("basis_size").asInt()).isEqualTo(3);
    assertThat(root.get("greedy").isNull()).isTrue();
    for (JsonNode e : root.get("test").get("effectivities")) {
      assertThat(e.asDouble()).isBetween(0.0, 1.0);
    }
  }

  @Test
  void sweep_printsTableCloseToTheExactAmplitudes() {
    Run r = run("sweep", "--pool", "threads:2", "--dampings", "2", "--frequencies", "2");
    assertThat(r.code).isZero();
    assertThat(r.out).containsPattern("4 parameters on threads#\\d+\\[2\\]");
    long rows = r.out.lines().filter(l -> l.matches("\\s+0\\.\\d{3}\\s+\\d\\.\\d{3}.*")).count();
    assertThat(rows).isEqualTo(4);
    assertThat(Oscillator.amplitude(0.5, 1.0))
        .isCloseTo(
            Oscillator.exactAmplitude(0.5, 1.0),
            org.assertj.core.data.Percentage.withPercentage(0.01));
  }

  @Test
  void help_listsTheSubcommands() {
    Run r = run("--help");
    assertThat(r.code).isZero();
    assertThat(r.out).contains("thermalblock").contains("sweep");
  }
}
