package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jmor.rb.algorithms.GreedyCheckpoint;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code thermalblock --checkpoint FILE} / {@code --resume FILE}: the whole demo, run in a JVM of
 * its own, is killed with SIGKILL (or stopped with SIGTERM) after extension k, resumed on another
 * pool, and every printed number and the JSON equal those of a run that was never stopped, bit for
 * bit. Checkpoints of another model, other options, another format version or with a bad checksum
 * are refused with one line.
 */
@Timeout(600)
class ThermalBlockCheckpointTest {

  @TempDir Path tmp;

  /** Where the sequential reference run of {@link #CASE} lives: made once for the class. */
  @TempDir static Path referenceDir;

  /** The sequential reference run of {@link #CASE} (its JSON is in {@link #referenceDir}). */
  private static @Nullable Run reference;

  private static final List<String> CASE =
      List.of("--no-plots", "--grid", "20", "2", "2", "3", "6");

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void noLeftovers() throws InterruptedException {
    for (Process p : started) {
      List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
      tree.add(p.toHandle());
      for (ProcessHandle h : tree) {
        h.destroyForcibly();
      }
      p.waitFor(20, TimeUnit.SECONDS);
    }
  }

  private Process start(Path out, List<String> args) throws IOException {
    return start(tmp, out, args);
  }

  private Process start(Path dir, Path out, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:+UseParallelGC");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.add("thermalblock");
    cmd.addAll(args);
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    started.add(p);
    return p;
  }

  private record Run(int code, String output) {}

  private Run run(String name, String... args) throws Exception {
    List<String> all = new ArrayList<>(CASE);
    all.addAll(Arrays.asList(args));
    return run(name, all);
  }

  private Run run(String name, List<String> args) throws Exception {
    return run(tmp, name, args);
  }

  private Run run(Path dir, String name, List<String> args) throws Exception {
    Path out = dir.resolve(name + ".txt");
    Process p = start(dir, out, args);
    if (!p.waitFor(240, TimeUnit.SECONDS)) {
      throw new AssertionError("timed out: " + args);
    }
    assertNoWorkersLeft(p);
    return new Run(p.exitValue(), Files.readString(out));
  }

  /** The worker processes of a pool end with the demo (within a timeout). */
  private static void assertNoWorkersLeft(Process p) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (p.descendants().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(p.descendants().filter(ProcessHandle::isAlive).toList())
        .as("processes left by the demo")
        .isEmpty();
  }

  /**
   * Starts the demo with {@code --checkpoint}, waits until the checkpoint after extension k is on
   * disk (the log line of the sweep after it), then sends the signal.
   */
  private Run stopAfter(String name, int k, String pool, boolean sigkill, Path ckpt)
      throws Exception {
    List<String> args = new ArrayList<>(CASE);
    args.addAll(List.of("--pool", pool, "--checkpoint", ckpt.toString()));
    Path out = tmp.resolve(name + ".txt");
    Process p = start(out, args);
    String line = "Maximum error after " + k + " extensions";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (!Files.readString(out).contains(line)) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("no '" + line + "': " + Files.readString(out));
      }
      Thread.sleep(20);
    }
    List<ProcessHandle> workers = p.descendants().toList();
    if (sigkill) {
      p.destroyForcibly(); // SIGKILL
    } else {
      p.destroy(); // SIGTERM
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ended after the signal").isTrue();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (workers.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < until) {
      Thread.sleep(100);
    }
    assertThat(workers.stream().filter(ProcessHandle::isAlive).toList())
        .as("worker processes left after the demo was killed")
        .isEmpty();
    return new Run(p.exitValue(), Files.readString(out));
  }

  /** The JSON without timings and the pool's description. */
  private static JsonNode numbers(Path json) throws IOException {
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    strip(root);
    return root;
  }

  private static void strip(JsonNode n) {
    if (n instanceof ObjectNode o) {
      o.remove(List.of("time_s", "sweep_time_s", "total_time_s", "pool"));
      o.forEach(ThermalBlockCheckpointTest::strip);
    } else if (n.isArray()) {
      n.forEach(ThermalBlockCheckpointTest::strip);
    }
  }

  /** The printed lines with numbers that a resumed run must repeat: greedy log and results. */
  private static List<String> printedNumbers(String output) {
    return output
        .lines()
        .filter(
            l ->
                l.contains("Maximum error after")
                    || l.startsWith("    maximum")
                    || l.startsWith("    minimum")
                    || l.startsWith("    number of samples")
                    || l.startsWith("   size of training set")
                    || l.startsWith("   actual basis size"))
        .collect(Collectors.toList());
  }

  /**
   * The sequential run of {@link #CASE}, made by the first case that needs it and compared with by
   * every case (the same command each time, so one run serves them all).
   */
  private Run reference() throws Exception {
    if (reference == null) {
      List<String> args = new ArrayList<>(CASE);
      args.addAll(List.of("--pool", "sequential", "--json", "reference.json"));
      Run r = run(referenceDir, "reference", args);
      assertThat(r.code()).as(r.output()).isZero();
      reference = r;
    }
    return reference;
  }

  @ParameterizedTest(name = "{0} after extension {1} on {2}, resumed on {3}")
  @CsvSource({
    "SIGKILL, 1, sequential, threads:2",
    "SIGKILL, 3, threads:2, processes:2",
    "SIGKILL, 2, processes:2, sequential",
    "SIGTERM, 3, processes:2, threads:2"
  })
  void stoppedAndResumed_printsTheNumbersOfARunNeverStopped(
      String signal, int k, String pool, String resumePool) throws Exception {
    Run expected = reference();
    Path ckpt = tmp.resolve("run.ckpt");
    Run stopped = stopAfter("stopped", k, pool, signal.equals("SIGKILL"), ckpt);
    int saved = GreedyCheckpoint.read(ckpt).extensions();
    assertThat(saved).as("extensions in the checkpoint").isGreaterThanOrEqualTo(k);
    if (signal.equals("SIGTERM")) {
      assertThat(stopped.code()).as(stopped.output()).isEqualTo(143);
      assertThat(stopped.output().lines().filter(l -> l.startsWith("thermalblock: ")).toList())
          .containsExactly(
              "thermalblock: terminated (SIGTERM) after "
                  + saved
                  + " extensions; checkpoint "
                  + ckpt
                  + " holds them (continue with --resume "
                  + ckpt
                  + ")");
      assertThat(stopped.output()).doesNotContain("Exception").doesNotContain("\tat ");
    } else {
      assertThat(stopped.code()).isEqualTo(137);
    }
    assertThat(stopped.output()).doesNotContain("*** RESULTS ***");

    Run resumed =
        run("resumed", "--pool", resumePool, "--resume", ckpt.toString(), "--json", "resumed.json");
    assertThat(resumed.code()).as(resumed.output()).isZero();
    assertThat(resumed.output()).contains("Resumed from checkpoint " + ckpt + " after " + saved);
    assertThat(numbers(tmp.resolve("resumed.json")))
        .isEqualTo(numbers(referenceDir.resolve("reference.json")));
    assertThat(printedNumbers(resumed.output()))
        .hasSizeGreaterThan(10)
        .containsExactlyElementsOf(printedNumbers(expected.output()));
    // the resumed run's own checkpoints went to the same file, up to the end
    assertThat(GreedyCheckpoint.read(ckpt).extensions()).isEqualTo(6);
    assertThat(Files.list(tmp).filter(f -> f.getFileName().toString().endsWith(".tmp")).toList())
        .as("temporary files (a SIGKILL during a write leaves one; the next run removes it)")
        .isEmpty();
  }

  @Test
  void adaptiveGreedy_killedAndResumed_isBitIdentical() throws Exception {
    List<String> adaptive =
        List.of("--no-plots", "--grid", "20", "--alg", "adaptive_greedy", "2", "2", "-5", "5");
    List<String> a = new ArrayList<>(adaptive);
    a.addAll(List.of("--pool", "sequential", "--json", "reference.json"));
    assertThat(run("reference", a).code()).isZero();
    Path ckpt = tmp.resolve("adaptive.ckpt");
    List<String> b = new ArrayList<>(adaptive);
    b.addAll(List.of("--pool", "threads:2", "--checkpoint", ckpt.toString()));
    Path out = tmp.resolve("stopped.txt");
    Process p = start(out, b);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (!Files.readString(out).contains("Maximum error after 2 extensions")) {
      assertThat(p.isAlive() && System.nanoTime() < deadline).as(Files.readString(out)).isTrue();
      Thread.sleep(20);
    }
    p.destroyForcibly();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    List<String> c = new ArrayList<>(adaptive);
    c.addAll(
        List.of("--pool", "sequential", "--resume", ckpt.toString(), "--json", "resumed.json"));
    Run resumed = run("resumed", c);
    assertThat(resumed.code()).as(resumed.output()).isZero();
    assertThat(numbers(tmp.resolve("resumed.json")))
        .isEqualTo(numbers(tmp.resolve("reference.json")));
  }

  // ------------------------------------------------------------------ refusals

  private Path checkpointOfTwoExtensions() throws Exception {
    Path ckpt = tmp.resolve("small.ckpt");
    Run r =
        run(
            "small",
            List.of(
                "--no-plots",
                "--grid",
                "20",
                "--test",
                "0",
                "2",
                "2",
                "3",
                "2",
                "--checkpoint",
                ckpt.toString()));
    assertThat(r.code()).as(r.output()).isZero();
    return ckpt;
  }

  private static void assertRefused(Run r, String message) {
    assertThat(r.code()).as(r.output()).isEqualTo(2);
    assertThat(r.output().strip()).endsWith(message);
    assertThat(r.output()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void refusesAnotherModelOtherOptionsVersionAndChecksum() throws Exception {
    Path ckpt = checkpointOfTwoExtensions();
    String c = ckpt.toString();
    Run otherModel =
        run("m", List.of("--no-plots", "--grid", "21", "2", "2", "3", "2", "--resume", c));
    assertThat(otherModel.code()).isEqualTo(2);
    assertThat(otherModel.output())
        .contains("thermalblock: checkpoint " + c + " is of another model");
    assertRefused(
        run("o", List.of("--no-plots", "--grid", "20", "2", "2", "3", "4", "--resume", c)),
        "thermalblock: checkpoint "
            + c
            + " was written with other options: max_extensions = 2 (this run: 4)");
    assertRefused(
        run(
            "t",
            List.of(
                "--no-plots",
                "--grid",
                "20",
                "--tie-rule",
                "first_maximum",
                "2",
                "2",
                "3",
                "2",
                "--resume",
                c)),
        "thermalblock: checkpoint "
            + c
            + " was written with other options: tie_rule = tolerance (this run: first_maximum)");

    byte[] good = Files.readAllBytes(ckpt);
    byte[] bad = good.clone();
    bad[bad.length / 2] ^= 1;
    Files.write(ckpt, bad);
    Run corrupt =
        run("c", List.of("--no-plots", "--grid", "20", "2", "2", "3", "2", "--resume", c));
    assertThat(corrupt.code()).isEqualTo(2);
    assertThat(corrupt.output().strip())
        .containsPattern(
            "thermalblock: checkpoint .*: corrupted: CRC32 [0-9a-f]{8}, the file says");

    byte[] later = good.clone();
    ByteBuffer.wrap(later).putInt(8, 2);
    Files.write(ckpt, later);
    assertRefused(
        run("v", List.of("--no-plots", "--grid", "20", "2", "2", "3", "2", "--resume", c)),
        "thermalblock: checkpoint "
            + c
            + ": checkpoint format version 2 is not supported (this release reads version 1);"
            + " it was written by a later release");
  }

  @Test
  void refusesBadPlacesAndAlgorithmsBeforeAnyWork() throws Exception {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    Run unwritable =
        run("w", List.of("--no-plots", "2", "2", "3", "2", "--checkpoint", file + "/sub/c"));
    assertThat(unwritable.code()).isEqualTo(2);
    assertThat(unwritable.output())
        .contains("thermalblock: --checkpoint " + file + "/sub/c: ")
        .doesNotContain("Discretize");
    assertRefused(
        run("n", List.of("--no-plots", "2", "2", "3", "2", "--resume", "missing.ckpt")),
        "thermalblock: --resume missing.ckpt: no such file");
    assertRefused(
        run("p", List.of("--no-plots", "--alg", "pod", "2", "2", "3", "2", "--checkpoint", "c")),
        "thermalblock: --checkpoint applies to --alg greedy and adaptive_greedy only (--alg pod"
            + " has no extensions to resume)");
    Files.writeString(tmp.resolve("not-a-checkpoint"), "hello");
    assertRefused(
        run("x", List.of("--no-plots", "2", "2", "3", "2", "--resume", "not-a-checkpoint")),
        "thermalblock: checkpoint not-a-checkpoint: not a jmor checkpoint (it does not start"
            + " with jmor's magic bytes)");
  }
}
