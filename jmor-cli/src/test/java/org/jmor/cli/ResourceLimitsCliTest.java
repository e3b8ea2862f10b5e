package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resource exhaustion on the command line: runs that cannot fit are refused up front (exit 2, one
 * line with the estimate), and an {@link OutOfMemoryError} during a run ends with one line and exit
 * code 1, never a stack trace. Some cases run the CLI in a JVM of their own with a small heap.
 */
class ResourceLimitsCliTest {

  @TempDir Path tmp;

  @AfterEach
  void reset() {
    WorkerPools.resetParallelPool();
  }

  private record Result(int code, String out, String err) {}

  private static Result inProcess(String... args) {
    StringWriter err = new StringWriter();
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    int code;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
    } finally {
      System.setOut(saved);
    }
    return new Result(code, stdout.toString(StandardCharsets.UTF_8), err.toString());
  }

  private Result inJvm(List<String> jvmOptions, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    Path out = tmp.resolve("out.txt");
    Path err = tmp.resolve("err.txt");
    Process p =
        new ProcessBuilder(cmd)
            .directory(tmp.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + cmd);
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static void assertOneLine(Result r, String command) {
    String err = r.err().strip();
    assertThat(err).as(r.toString()).startsWith(command + ": ");
    assertThat(err.lines().count()).as(err).isLessThanOrEqualTo(3);
    assertThat(err + r.out()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void hugeTestSet_isRefusedBeforeAnyWork() {
    Result r = inProcess("thermalblock", "--no-plots", "--test", "2000000000", "2", "2", "3", "5");
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertOneLine(r, "thermalblock");
    assertThat(r.err())
        .contains("needs about")
        .contains("--test")
        .contains("heap limit")
        .contains("JMOR_JAVA_OPTS=-Xmx");
    assertThat(r.out()).doesNotContain("Discretize");
  }

  @Test
  void hugeGrid_isRefusedWithTheEstimate_inASmallHeap() throws Exception {
    Result r =
        inJvm(
            List.of("-Xmx128m"),
            "thermalblock",
            "--no-plots",
            "--pool",
            "threads:2",
            "--grid",
            "2000",
            "2",
            "2",
            "3",
            "5");
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertOneLine(r, "thermalblock");
    assertThat(r.err()).contains("needs about").contains("heap limit").contains("--grid");
    assertThat(r.out()).doesNotContain("Discretize");
    assertThat(tmp.resolve("jmor-output")).doesNotExist();
  }

  @Test
  void outOfMemoryDuringARun_endsWithOneLineAndExitCode1() throws Exception {
    Result r =
        inJvm(
            List.of("-Xmx48m", "-D" + "jmor.skipMemoryCheck=true"),
            "thermalblock",
            "--no-plots",
            "--pool",
            "threads:2",
            "--grid",
            "500",
            "--test",
            "2",
            "2",
            "2",
            "2",
            "2");
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertOneLine(r, "thermalblock");
    assertThat(r.err())
        .contains("ran out of memory")
        .contains("heap limit")
        .contains("JMOR_JAVA_OPTS=-Xmx")
        .contains("--grid");
  }

  /**
   * The sweep's chunked path on a small chunk: {@link OscillatorSweep#run} with the command's chunk
   * size ({@link OscillatorSweep#CHUNK}, 65,536 parameters) computes the same rows in the same way,
   * but a grid of two such chunks took 45 s of this suite.
   */
  @Test
  void sweep_largeGrid_streamsInChunks_andMatchesTheTable() {
    int chunk = 64;
    int dampings = 3;
    int frequencies = chunk / 2 + 7; // two chunks, the second partial
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (WorkerPool pool = WorkerPools.builder().backend("threads").workers(2).build();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      OscillatorSweep.run(pool, dampings, frequencies, out, chunk);
    }
    Result r = new Result(0, bytes.toString(StandardCharsets.UTF_8), "");
    List<String> rows =
        r.out().lines().filter(l -> l.matches("\\s+\\d\\.\\d{3}\\s+\\d\\.\\d{3}.*")).toList();
    assertThat(rows).hasSize(dampings * frequencies);
    // row k is damping k / frequencies, frequency k % frequencies: the order of the old table
    String last = rows.get(rows.size() - 1).trim();
    assertThat(last).startsWith("0.500   1.500");
    String first = rows.get(0).trim();
    assertThat(first).startsWith("0.050   0.500");
    assertThat(rows.get(frequencies).trim()).startsWith("0.275   0.500");
    assertThat(r.out()).contains("in chunks of " + chunk);
  }
}
