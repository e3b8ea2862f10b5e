package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21 (kinds 2, 3, 7 and 8) as a user meets it: each case runs {@code jmor} in a JVM of its
 * own, in a working directory of its own, with no {@code JMOR_*} variable but the ones given, and
 * checks the exit code, the whole of standard error (and what standard output must not hold), and
 * the files before and after.
 */
class UserInputIssue21Test {

  @TempDir static Path shared;

  @TempDir Path cwd;

  /** Saved models of three runs: A and C on the same grid (other bases), B on another grid. */
  static Path a;

  static Path b;

  static Path c;

  record Proc(int code, String out, String err) {
    /** Standard error as lines, without blank ones. */
    List<String> errLines() {
      return err.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  static Proc jmor(Path dir, Map<String, String> env, String... args) throws Exception {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:+UseParallelGC");
    cmd.add("-XX:TieredStopAtLevel=1"); // the client JIT only: these JVMs mostly start up
    cmd.add("-cp");
    cmd.add(cp);
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("JMOR_"));
    pb.environment().putAll(env);
    Path io = Files.createTempDirectory(shared, "io");
    Path out = io.resolve("out");
    Path err = io.resolve("err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("timed out: " + args[0]);
    }
    return new Proc(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  static Proc jmor(Path dir, String... args) throws Exception {
    return jmor(dir, Map.of(), args);
  }

  /** Every file under {@code dir} with its size: the state before and after a run. */
  static Map<String, Long> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !p.equals(dir))
          .collect(
              Collectors.toMap(
                  p -> dir.relativize(p).toString(),
                  p -> Files.isDirectory(p) ? -1L : p.toFile().length(),
                  (x, y) -> x,
                  TreeMap::new));
    }
  }

  /** Exit code 2, exactly one line on standard error, nothing done. */
  static void assertRefused(Proc r, String line) {
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines()).as(r.toString()).containsExactly(line);
    assertThat(r.out()).doesNotContain("Discretize").doesNotContain("Loading");
  }

  @BeforeAll
  static void pickles() throws Exception {
    Path dir = Files.createDirectory(shared.resolve("pickles"));
    a = dir.resolve("a");
    b = dir.resolve("b");
    c = dir.resolve("c");
    String[][] runs = {
      {"--alg", "pod", "--grid", "6", "--pickle", a.toString()},
      {"--alg", "pod", "--grid", "8", "--pickle", b.toString()},
      {"--alg", "greedy", "--grid", "6", "--pickle", c.toString()},
    };
    for (String[] run : runs) {
      List<String> args =
          new ArrayList<>(List.of("thermalblock", "--pool", "sequential", "--no-plots"));
      args.addAll(List.of("--test", "1"));
      args.addAll(List.of(run));
      args.addAll(List.of("2", "2", "2", "3"));
      Proc r = jmor(shared, args.toArray(new String[0]));
      assertThat(r.code()).as(r.toString()).isZero();
    }
  }

  // ------------------------------------------------------------------ 2. files of another run

  @Test
  void histogram_withTheDetailedFileOfAnotherGrid_isRefusedBeforeAnyWork() throws Exception {
    Map<String, Long> before = files(a.getParent());
    Proc r =
        jmor(
            cwd,
            "analyze-pickle",
            "histogram",
            a + "_reduced",
            "3",
            "--detailed-data",
            b + "_detailed");
    assertThat(r.errLines()).hasSize(1);
    assertRefused(
        r,
        "histogram: "
            + b
            + "_detailed does not belong to "
            + a
            + "_reduced: the reduced model was reduced from 2x2 blocks, grid 6 (model digest "
            + r.err().split("model digest ")[1].substring(0, 12)
            + "), the detailed file holds 2x2 blocks, grid 8 (model digest "
            + r.err().split("model digest ")[2].substring(0, 12)
            + "); give the two files of one 'thermalblock --pickle PREFIX' run");
    assertThat(r.out()).isEmpty();
    assertThat(files(cwd)).isEmpty(); // no jmor-output/
    assertThat(files(a.getParent())).isEqualTo(before);
  }

  @Test
  void convergence_withTheDetailedFileOfAnotherBasis_isRefusedBeforeAnyWork() throws Exception {
    Proc r = jmor(cwd, "analyze-pickle", "convergence", a + "_reduced", c + "_detailed", "3");
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0))
        .startsWith("convergence: " + c + "_detailed does not belong to " + a + "_reduced: ")
        .contains("both are of 2x2 blocks, grid 6")
        .contains("but the reduced model was reduced from another basis (3 basis vectors");
    assertThat(r.out()).isEmpty();
    assertThat(files(cwd)).isEmpty();
    // the swapped pair of another run too
    Proc s = jmor(cwd, "analyze-pickle", "convergence", c + "_reduced", b + "_detailed", "3");
    assertThat(s.code()).isEqualTo(2);
    assertThat(s.err()).contains("does not belong to");
  }

  @Test
  void theFilesOfOneRun_areAccepted() throws Exception {
    Proc r =
        jmor(
            cwd,
            "analyze-pickle",
            "histogram",
            "--pool",
            "sequential",
            "--no-plots",
            a + "_reduced",
            "2",
            "--detailed-data",
            a + "_detailed");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).contains("Loading high-dimensional data ...").contains("errors (");
  }

  // ------------------------------------------------------------------ 3. output places

  @Test
  void pickle_bareDirectory_isRefusedSayingWhichFilesAPrefixWrites() throws Exception {
    Path dir = Files.createDirectory(cwd.resolve("out"));
    Proc r = jmor(cwd, "thermalblock", "--no-plots", "--pickle", dir + "/", "2", "2", "2", "2");
    assertRefused(
        r,
        "thermalblock: --pickle "
            + dir
            + "/: names a directory, not a prefix; the files are PREFIX_reduced and"
            + " PREFIX_detailed, so give for example "
            + dir
            + "/run (writes "
            + dir
            + "/run_reduced and "
            + dir
            + "/run_detailed)");
    assertThat(r.out()).isEmpty();
    assertThat(files(cwd)).containsOnlyKeys("out");
  }

  @Test
  void pickle_inAMissingDirectory_writesBothFiles() throws Exception {
    Path prefix = cwd.resolve("missing/deeper/p");
    Proc r =
        jmor(
            cwd,
            "thermalblock",
            "--pool",
            "sequential",
            "--no-plots",
            "--grid",
            "4",
            "--test",
            "1",
            "--alg",
            "pod",
            "--pickle",
            prefix.toString(),
            "1",
            "1",
            "2",
            "1");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).contains("*** RESULTS ***");
    assertThat(files(cwd))
        .containsOnlyKeys(
            "missing", "missing/deeper", "missing/deeper/p_reduced", "missing/deeper/p_detailed");
  }

  @Test
  void pickle_underARegularFile_isRefusedBeforeAnyWork() throws Exception {
    Path file = Files.writeString(cwd.resolve("f"), "x");
    Proc r =
        jmor(cwd, "thermalblock", "--no-plots", "--pickle", file + "/sub/p", "2", "2", "2", "2");
    assertRefused(
        r,
        "thermalblock: --pickle "
            + file
            + "/sub/p_reduced: "
            + file
            + " is a file, not a directory");
    assertThat(files(cwd)).containsOnlyKeys("f");
  }

  @Test
  void aPlotPlaceThatIsADirectory_isRefusedBeforeAnyWork() throws Exception {
    Path plots = cwd.resolve("plots");
    Files.createDirectories(plots.resolve("thermalblock-max-error-2.png"));
    Path json = cwd.resolve("r.json");
    Map<String, Long> before = files(cwd);
    Proc r =
        jmor(
            cwd,
            "thermalblock",
            "--plot-dir",
            plots.toString(),
            "--json",
            json.toString(),
            "2",
            "2",
            "2",
            "2");
    assertRefused(
        r,
        "thermalblock: --plot-dir "
            + plots
            + ": "
            + plots.resolve("thermalblock-max-error-2.png")
            + " is a directory; the command writes a file there");
    assertThat(files(cwd)).isEqualTo(before);
    // analyze-pickle checks its plots the same way
    Files.createDirectories(plots.resolve("analyze-pickle-histogram-estimates.png"));
    Proc h = jmor(cwd, "analyze-pickle", "histogram", "--plot-dir", "plots", a + "_reduced", "2");
    assertRefused(
        h,
        "histogram: --plot-dir plots: plots/analyze-pickle-histogram-estimates.png is a"
            + " directory; the command writes a file there");
  }

  @Test
  void aNameTooLongForTheFileSystem_isRefusedBeforeAnyWork() throws Exception {
    Proc r =
        jmor(
            cwd,
            "thermalblock",
            "--no-plots",
            "--pickle",
            cwd.resolve("x".repeat(300)) + "/p",
            "2",
            "2",
            "2",
            "2");
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0))
        .startsWith("thermalblock: --pickle ")
        .endsWith(": a name on the path has 300 bytes, more than 255")
        .hasSizeLessThan(200);
    assertThat(r.out()).isEmpty();
    assertThat(files(cwd)).isEmpty();
  }

  @Test
  void anEmptyProfile_isRefused() throws Exception {
    Proc r = jmor(cwd, "thermalblock", "--no-plots", "--ipython-profile", "", "2", "2", "2", "2");
    assertRefused(
        r, "thermalblock: --ipython-profile: the profile is empty (give a profile name or a file)");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void cacheDir_underARegularFile_isRefusedBeforeAnyWork() throws Exception {
    Path file = Files.writeString(cwd.resolve("f"), "x");
    Proc r =
        jmor(
            cwd,
            "thermalblock",
            "--no-plots",
            "--cache-region",
            "persistent",
            "--cache-dir",
            file + "/cache",
            "2",
            "2",
            "2",
            "2");
    assertRefused(
        r, "thermalblock: --cache-dir " + file + "/cache: " + file + " is a file, not a directory");
    assertThat(files(cwd)).containsOnlyKeys("f");
  }

  // ------------------------------------------------------------------ 7. probable mistakes

  @Test
  void typosInJmorProperties_areWarnedOneLineEach() throws Exception {
    Files.writeString(
        cwd.resolve("jmor.properties"),
        "jmor.pol=threads:3\njmor.pool.sed=5\njmor.clustr.workers=2\njmor.pool=sequential\n");
    Proc r =
        jmor(
            cwd,
            Map.of("JMOR_POOL_WORKER", "1"),
            "thermalblock",
            "--no-plots",
            "--grid",
            "4",
            "--test",
            "1",
            "1",
            "1",
            "2",
            "1");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out().lines().filter(l -> l.startsWith("[WARN]")).toList())
        .containsExactly(
            "[WARN] WorkerPools - unknown configuration key jmor.clustr.workers (from"
                + " jmor.properties line 3) is ignored; did you mean jmor.cluster.workers?",
            "[WARN] WorkerPools - unknown configuration key jmor.pol (from jmor.properties line"
                + " 1) is ignored; did you mean jmor.pool?",
            "[WARN] WorkerPools - unknown configuration key jmor.pool.sed (from jmor.properties"
                + " line 2) is ignored; did you mean jmor.pool.seed?",
            "[WARN] WorkerPools - unknown environment variable JMOR_POOL_WORKER is ignored; did"
                + " you mean JMOR_POOL_WORKERS?");
    assertThat(r.out()).contains("new parallel pool: sequential");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void theKeysOfTheCommandLineAndTheBackends_areKnown() throws Exception {
    Files.writeString(
        cwd.resolve("jmor.properties"),
        "jmor.pool=sequential\njmor.cluster.timeout=30s\njmor.mpi.allow=false\n"
            + "jmor.processes.start-timeout=10s\njmor.pool.close-timeout=2s\n");
    Proc r =
        jmor(
            cwd,
            Map.of("JMOR_DEBUG", "", "JMOR_JAVA_OPTS", "-Xmx1g"),
            "thermalblock",
            "--no-plots",
            "--grid",
            "4",
            "--test",
            "1",
            "1",
            "1",
            "2",
            "1");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).doesNotContain("[WARN]");
  }

  @Test
  void aDirectoryNamedJmorProperties_isRefused() throws Exception {
    Files.createDirectory(cwd.resolve("jmor.properties"));
    Proc r = jmor(cwd, "thermalblock", "--no-plots", "2", "2", "2", "2");
    assertRefused(
        r,
        "thermalblock: cannot read the configuration file jmor.properties: is a directory"
            + " (jmor.properties in the working directory is read when it exists)");
    assertThat(files(cwd)).containsOnlyKeys("jmor.properties");
  }

  @Test
  void emptyPaths_areRefused() throws Exception {
    Proc r =
        jmor(
            cwd,
            "thermalblock",
            "--no-plots",
            "--cache-region",
            "persistent",
            "--cache-dir",
            "",
            "2",
            "2",
            "2",
            "2");
    assertRefused(
        r,
        "thermalblock: Invalid value for option '--cache-dir': the path is empty (give a file or"
            + " directory name; '.' is the current directory) (see 'jmor thermalblock --help')");
    Proc h = jmor(cwd, "analyze-pickle", "histogram", "", "3");
    assertThat(h.code()).isEqualTo(2);
    assertThat(h.errLines()).hasSize(1);
    assertThat(h.err()).contains("REDUCED_DATA").contains("the path is empty");
    assertThat(files(cwd)).isEmpty();
  }

  @Test
  void noCommand_exitsWith2AndTheUsage() throws Exception {
    Proc r = jmor(cwd);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines().get(0))
        .isEqualTo(
            "jmor: a command is required: one of thermalblock, analyze-pickle, sweep, bench,"
                + " worker");
    assertThat(r.err()).contains("Usage: jmor [-hV] [COMMAND]").contains("Exit codes:");
    Proc p = jmor(cwd, "analyze-pickle");
    assertThat(p.code()).isEqualTo(2);
    assertThat(p.out()).isEmpty();
    assertThat(p.errLines().get(0))
        .isEqualTo("analyze-pickle: a command is required: one of histogram, convergence");
    assertThat(p.err()).contains("Usage: jmor analyze-pickle");
    assertThat(jmor(cwd, "--help").code()).isZero();
    assertThat(files(cwd)).isEmpty();
  }

  // ------------------------------------------------------------------ 8. huge inputs

  @Test
  void hugeNumbers_areCutAndSaidToBeTooLarge_once() throws Exception {
    String nines = "9".repeat(5000);
    Proc r = jmor(cwd, "thermalblock", "--pool", "threads:" + nines, "2", "2", "2", "2");
    assertRefused(
        r,
        "thermalblock: --pool threads:99999999999999999999999999999999… (5008 characters): the"
            + " worker count is too large (at most 2147483647)");
    Proc e = jmor(cwd, Map.of("JMOR_POOL", "threads:" + nines), "thermalblock", "2", "2", "2", "2");
    assertRefused(
        e,
        "thermalblock: jmor.pool: 'threads:99999999999999999999999999999999… (5008 characters)'"
            + " (from environment JMOR_POOL): the worker count is too large (at most 2147483647)");
    Proc g = jmor(cwd, "thermalblock", "--grid", nines, "2", "2", "2", "2");
    assertRefused(
        g,
        "thermalblock: Invalid value for option '--grid':"
            + " '9999999999999999999999999999999999999999… (5000 characters)' is too large (at"
            + " most 2147483647) (see 'jmor thermalblock --help')");
    Proc s = jmor(cwd, "thermalblock", "--grid", "99999999999", "2", "2", "2", "2");
    assertThat(s.err()).contains("'99999999999' is too large (at most 2147483647)");
    Proc n = jmor(cwd, "thermalblock", "--pool", nines, "2", "2", "2", "2");
    assertThat(n.code()).isEqualTo(2);
    assertThat(n.errLines()).hasSize(1);
    assertThat(n.err()).hasSizeLessThan(400).contains("… (5000 characters)");
    Proc u = jmor(cwd, "thermalblock", "--no-such-option" + "x".repeat(5000), "2", "2", "2", "2");
    assertThat(u.code()).isEqualTo(2);
    assertThat(u.err()).hasSizeLessThan(300).contains("… (5016 characters)");
    assertThat(files(cwd)).isEmpty();
  }
}
