package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jmor.parallel.WorkerPools;
import org.jmor.parallel.spi.PoolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 8 as a user meets it: the configuration is honoured, every bad input is one line with exit
 * code 2 before any work, results are written whole or not at all, and the exit codes 0, 1, 2 and
 * 130.
 */
class CliInputTest {

  @TempDir Path tmp;

  @AfterEach
  void reset() {
    System.clearProperty("jmor.pool");
    System.clearProperty("jmor.pool.workers");
    System.clearProperty("jmor.config");
    WorkerPools.resetParallelPool();
  }

  /** The outcome of one in-process run. */
  static final class Run {
    int code;
    String out;
    String err;

    /** Standard error without the log lines of the pool factory. */
    String messages() {
      return err.lines()
          .filter(l -> !l.startsWith("[") && !l.isBlank())
          .reduce("", (a, b) -> a + b + "\n")
          .strip();
    }
  }

  static Run run(String... args) {
    return run(null, null, args);
  }

  /**
   * Runs the command; when it prints the line {@code trigger}, runs {@code action} (in the
   * command's thread, at that point of the run).
   */
  static Run run(String trigger, Runnable action, String... args) {
    StringWriter err = new StringWriter();
    StringWriter usage = new StringWriter();
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    Run r = new Run();
    try {
      System.setOut(
          new PrintStream(stdout, true, StandardCharsets.UTF_8) {
            @Override
            public void println(String x) {
              super.println(x);
              if (trigger != null && trigger.equals(x)) {
                action.run();
              }
            }
          });
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      r.code = Main.run(new PrintWriter(usage, true), new PrintWriter(err, true), args);
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
    r.out = stdout.toString(StandardCharsets.UTF_8) + usage;
    r.err = stderr.toString(StandardCharsets.UTF_8) + err;
    return r;
  }

  /** Exit code 2, a message of at most three lines, no stack trace, no work started. */
  static void assertBadInput(Run r, String expected) {
    assertThat(r.code).as(r.out + r.err).isEqualTo(2);
    String m = r.messages();
    assertThat(m).isNotEmpty().contains(expected);
    assertThat(m.lines().count()).as(m).isLessThanOrEqualTo(3);
    assertThat(r.out + r.err).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(r.out).doesNotContain("Discretize").doesNotContain("parameters on");
  }

  private static String[] tb(String... options) {
    List<String> a = new ArrayList<>(List.of("thermalblock", "--grid", "6", "--test", "3"));
    a.addAll(List.of(options));
    a.addAll(List.of("2", "2", "2", "2"));
    return a.toArray(new String[0]);
  }

  private List<Path> filesIn(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !p.equals(dir)).toList();
    }
  }

  // ------------------------------------------------------------------ 1. configuration

  @Test
  void configuration_systemPropertyIsHonouredWithoutPool() throws Exception {
    System.setProperty("jmor.pool", "sequential");
    Path json = tmp.resolve("r.json");
    Run r = run(tb("--no-plots", "--json", json.toString()));
    assertThat(r.code).as(r.err).isZero();
    assertThat(new ObjectMapper().readTree(json.toFile()).get("pool").get("kind").asText())
        .isEqualTo("sequential");
  }

  @Test
  void configuration_poolOptionOutranksTheConfiguration() {
    System.setProperty("jmor.pool", "bogus");
    Run r = run(tb("--no-plots", "--pool", "sequential"));
    assertThat(r.code).as(r.err).isZero();
  }

  @Test
  void configuration_badValueInPropertiesFile_namesFileAndLine() throws Exception {
    Path f = tmp.resolve("jmor.properties");
    Files.write(f, List.of("# pools", "", "jmor.pool = bogus"));
    System.setProperty("jmor.config", f.toString());
    assertBadInput(run(tb("--no-plots")), "jmor.pool: 'bogus' (from " + f + " line 3): ");
    assertBadInput(run("sweep"), f + " line 3");
  }

  @Test
  void configuration_badSystemProperty_namesIt() {
    System.setProperty("jmor.pool", "threads:0");
    assertBadInput(
        run(tb("--no-plots")),
        "jmor.pool: 'threads:0' (from system property -Djmor.pool): "
            + "the worker count must be >= 1");
  }

  @Test
  void configuration_malformedOrMissingPropertiesFile_isNamed() throws Exception {
    Path f = tmp.resolve("bad.properties");
    Files.writeString(f, "jmor.pool=threads\\u12\n");
    System.setProperty("jmor.config", f.toString());
    assertBadInput(run(tb("--no-plots")), f + " is not a valid properties file");
    System.setProperty("jmor.config", tmp.resolve("absent.properties").toString());
    assertBadInput(run(tb("--no-plots")), "absent.properties does not exist");
  }

  /** The environment needs a process of its own. */
  @Test
  void configuration_environmentIsHonouredAndABadValueIsNamed() throws Exception {
    Path json = tmp.resolve("env.json");
    Proc ok =
        java(
            Map.of("JMOR_POOL", "sequential"),
            "thermalblock",
            "--grid",
            "4",
            "--test",
            "2",
            "--no-plots",
            "--json",
            json.toString(),
            "1",
            "1",
            "2",
            "1");
    assertThat(ok.code).as(ok.err).isZero();
    assertThat(new ObjectMapper().readTree(json.toFile()).get("pool").get("kind").asText())
        .isEqualTo("sequential");
    Proc bad = java(Map.of("JMOR_POOL", "bogus"), "thermalblock", "--no-plots", "1", "1", "2", "1");
    assertThat(bad.code).as(bad.err).isEqualTo(2);
    assertThat(bad.err)
        .contains("jmor.pool: 'bogus' (from environment JMOR_POOL): unknown pool 'bogus'")
        .doesNotContain("Exception");
    assertThat(bad.err.strip().lines().count()).isLessThanOrEqualTo(3);
    assertThat(bad.out).doesNotContain("Discretize");
  }

  record Proc(int code, String out, String err) {}

  private Proc java(Map<String, String> env, String... args) throws Exception {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(cp);
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("JMOR_"));
    pb.environment().putAll(env);
    Path out = tmp.resolve("proc.out");
    Path err = tmp.resolve("proc.err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Proc(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  // ------------------------------------------------------------------ 2. output paths

  @Test
  void json_directory_isRejectedBeforeWork() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("d"));
    assertBadInput(run(tb("--no-plots", "--json", dir.toString())), "is a directory");
    assertThat(filesIn(dir)).isEmpty();
  }

  @Test
  void json_emptyName_isRejectedBeforeWork() {
    assertBadInput(
        run(tb("--no-plots", "--json", "")),
        "Invalid value for option '--json': the path is empty");
  }

  @Test
  void json_underARegularFile_isRejectedBeforeWork() throws Exception {
    Path file = Files.writeString(tmp.resolve("f"), "x");
    assertBadInput(
        run(tb("--no-plots", "--json", file.resolve("sub/r.json").toString())),
        file + " is a file, not a directory");
    assertThat(filesIn(tmp)).containsExactly(file);
  }

  @Test
  void json_unwritablePlace_isRejectedBeforeWork() {
    Path proc = Paths.get("/proc");
    assumeTrue(Files.isDirectory(proc.resolve("self")), "needs Linux /proc");
    assertBadInput(
        run(tb("--no-plots", "--json", "/proc/jmor-test.json")), "cannot write in /proc");
  }

  @Test
  void plotDir_regularFile_isRejectedBeforeWork() throws Exception {
    Path file = Files.writeString(tmp.resolve("plots"), "x");
    Path json = tmp.resolve("r.json");
    assertBadInput(
        run(tb("--plot-dir", file.toString(), "--json", json.toString())),
        "--plot-dir " + file + ": " + file + " is a file, not a directory");
    assertThat(json).doesNotExist();
    assertBadInput(
        run(tb("--plot-dir", "")), "Invalid value for option '--plot-dir': the path is empty");
  }

  @Test
  void json_dash_writesJsonToStdoutAndTheReportToStderr() throws Exception {
    Run r = run(tb("--no-plots", "--pool", "sequential", "--json", "-"));
    assertThat(r.code).as(r.err).isZero();
    assertThat(r.out.strip()).startsWith("{").endsWith("}");
    JsonNode root = new ObjectMapper().readTree(r.out);
    assertThat(root.get("basis_size").asInt()).isEqualTo(2);
    assertThat(r.err).contains("*** RESULTS ***").contains("Discretize");
    assertThat(Paths.get("-")).doesNotExist();
  }

  @Test
  void json_replacesAnOldFileWholeAndLeavesNoTemporaryFile() throws Exception {
    Path json = tmp.resolve("out/r.json");
    Files.createDirectories(json.getParent());
    Files.writeString(json, "old");
    Run r = run(tb("--no-plots", "--pool", "sequential", "--json", json.toString()));
    assertThat(r.code).as(r.err).isZero();
    assertThat(new ObjectMapper().readTree(json.toFile()).get("basis_size").asInt()).isEqualTo(2);
    assertThat(filesIn(json.getParent())).containsExactly(json);
  }

  @Test
  void plotPlaceThatIsADirectory_isRefusedBeforeWork() throws Exception {
    Path plots = tmp.resolve("plots");
    Files.createDirectories(plots.resolve("thermalblock-greedy.png"));
    Path json = tmp.resolve("r.json");
    assertBadInput(
        run(tb("--pool", "sequential", "--plot-dir", plots.toString(), "--json", json.toString())),
        "--plot-dir "
            + plots
            + ": "
            + plots.resolve("thermalblock-greedy.png")
            + " is a directory");
    assertThat(json).doesNotExist();
  }

  /** A plot that cannot be written after the checks (its place taken while the run ran). */
  @Test
  void plotFailure_exitsWith1AndKeepsTheJson() throws Exception {
    Path plots = tmp.resolve("plots");
    Path json = tmp.resolve("r.json");
    Run r =
        run(
            "*** RESULTS ***",
            () -> {
              try {
                // a directory where the plot goes: it cannot be written
                Files.createDirectories(plots.resolve("thermalblock-greedy.png"));
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            },
            tb(
                "--pool",
                "sequential",
                "--no-plot-error-sequence",
                "--plot-dir",
                plots.toString(),
                "--json",
                json.toString()));
    assertThat(r.code).as(r.out + r.err).isEqualTo(1);
    assertThat(r.messages()).contains("cannot write the plots in " + plots);
    assertThat(r.messages()).contains("(the JSON was written)");
    assertThat(r.messages().lines().count()).isLessThanOrEqualTo(3);
    assertThat(r.out + r.err).doesNotContain("Exception");
    assertThat(new ObjectMapper().readTree(json.toFile()).get("basis_size").asInt()).isEqualTo(2);
    try (Stream<Path> s = Files.list(plots)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  // ------------------------------------------------------------------ 2. RBSIZE, pools

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "naive", "pod"})
  void rbSizeZero_isRejectedByEveryAlgorithmWithOneMessage(String alg) {
    Run r = run("thermalblock", "--no-plots", "--alg", alg, "2", "2", "2", "0");
    assertBadInput(r, "thermalblock: RBSIZE must be >= 1, got 0");
    assertThat(r.messages()).doesNotContain("maxExtensions");
  }

  @ParameterizedTest
  @ValueSource(strings = {"thermalblock", "sweep"})
  void workerCountBelowOne_hasTheOneMessage(String command) {
    for (String pool : List.of("threads:0", "threads:-3")) {
      Run r =
          command.equals("sweep")
              ? run("sweep", "--pool", pool)
              : run(tb("--no-plots", "--pool", pool));
      assertBadInput(r, "--pool " + pool + ": the worker count must be >= 1");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"thermalblock", "sweep"})
  void tooManyWorkers_needForce(String command) {
    Run r =
        command.equals("sweep")
            ? run("sweep", "--pool", "threads:100000")
            : run(tb("--no-plots", "--pool", "threads:100000"));
    assertBadInput(r, "--pool threads:100000: 100000 worker threads are more than 4 per");
    assertThat(r.messages()).contains("--force");
    System.setProperty("jmor.pool.workers", "100000");
    assertBadInput(
        run(command.equals("sweep") ? new String[] {"sweep"} : tb("--no-plots")),
        "jmor.pool.workers: '100000' (from system property -Djmor.pool.workers)");
  }

  @Test
  void fourWorkersPerProcessor_areAllowed() {
    int n = 4 * Runtime.getRuntime().availableProcessors();
    Run r = run("sweep", "--pool", "threads:" + n, "--dampings", "1", "--frequencies", "1");
    assertThat(r.code).as(r.err).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"cluster", "mpi"})
  void optionalBackends_sayWhichModuleProvidesThem(String backend) {
    for (PoolProvider p : ServiceLoader.load(PoolProvider.class)) {
      assumeTrue(!p.name().equalsIgnoreCase(backend), backend + " is on the class path");
    }
    for (Run r :
        List.of(run(tb("--no-plots", "--pool", backend)), run("sweep", "--pool", backend))) {
      assertBadInput(
          r,
          "unknown pool '"
              + backend
              + "': the "
              + backend
              + " pool is not on the class path; jmor backends come in modules named"
              + " org.jmor:jmor-parallel-<name>, so add org.jmor:jmor-parallel-"
              + backend);
    }
  }

  // ------------------------------------------------------------------ bench in the help

  @Test
  void help_listsBenchAndHelpBenchShowsItsUsage() {
    assertThat(run("--help").out).contains("bench").contains("130 interrupted");
    Run r = run("help", "bench");
    assertThat(r.code).isZero();
    assertThat(r.out).contains("--quick").contains("--only").contains("jmor bench thermalblock");
  }

  // ------------------------------------------------------------------ 5. JSON of naive, pod

  @Test
  void naiveJson_reportsTheRandomParametersDrawn() throws Exception {
    Path json = tmp.resolve("n.json");
    Run r = run(tb("--no-plots", "--alg", "naive", "--json", json.toString()));
    assertThat(r.code).as(r.err).isZero();
    JsonNode n = new ObjectMapper().readTree(json.toFile()).get("naive");
    assertThat(n.get("random_training_parameters").asInt()).isEqualTo(2);
    assertThat(n.get("time_s").isNumber()).isTrue();
  }

  @Test
  void podJson_reportsTimeAndSingularValues() throws Exception {
    Path json = tmp.resolve("p.json");
    Run r = run(tb("--no-plots", "--alg", "pod", "--json", json.toString()));
    assertThat(r.code).as(r.err).isZero();
    JsonNode p = new ObjectMapper().readTree(json.toFile()).get("pod");
    assertThat(p.get("time_s").asDouble()).isPositive();
    JsonNode sv = p.get("singular_values");
    assertThat(sv).hasSize(2);
    assertThat(sv.get(0).asDouble()).isGreaterThanOrEqualTo(sv.get(1).asDouble()).isPositive();
  }

  @Test
  void tieRuleHelp_isHonestAboutFirstMaximum() {
    assertThat(run("thermalblock", "--help").out.replaceAll("\\s+", " "))
        .contains("pyMOR's choices are not reproduced exactly")
        .contains("reproduces pyMOR patched to the same rule");
  }

  // ------------------------------------------------------------------ 130

  @Test
  void interrupted_exitsWith130AndWritesNoFile() throws Exception {
    Path json = tmp.resolve("i.json");
    Run[] result = new Run[1];
    Thread t =
        new Thread(
            () ->
                result[0] =
                    run(
                        "thermalblock",
                        "--pool",
                        "threads:2",
                        "--grid",
                        "40",
                        "--test",
                        "100000",
                        "--no-plots",
                        "--json",
                        json.toString(),
                        "2",
                        "2",
                        "4",
                        "8"));
    t.start();
    Thread.sleep(1500);
    t.interrupt();
    t.join(30_000);
    assertThat(t.isAlive()).isFalse();
    Run r = result[0];
    assertThat(r.code).as(r.out + r.err).isEqualTo(130);
    assertThat(r.messages()).endsWith("thermalblock: interrupted");
    assertThat(r.out + r.err).doesNotContain("Exception");
    assertThat(filesIn(tmp)).isEmpty();
  }
}
