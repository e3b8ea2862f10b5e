package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jmor.parallel.cluster.IgniteFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C (SIGINT) and SIGTERM at several moments of {@code thermalblock --pool cluster:2}: while
 * the cluster's directory is being made and keytool and the worker JVMs start, while the client
 * node joins (the key store exists), during the run, and during the close. Each time the run ends
 * with one line {@code thermalblock: interrupted} and exit code 130 (143 for SIGTERM), and leaves
 * nothing in its own temporary directory (no key store, no logs) and no process of its own. Each
 * run is a JVM of its own with Ignite's flags and {@code java.io.tmpdir} in the test's directory;
 * the moments are found from the files and the output, not from sleeps alone.
 */
@Timeout(900)
class ClusterInterruptTest {
  @TempDir Path tmp;

  private static final String[] CASE = {
    "thermalblock", "--pool", "cluster:2", "--grid", "10", "--no-plots", "2", "2", "3", "5"
  };

  @Test
  void sigint_whileTheClusterStarts_leavesNothing() throws Exception {
    interruptAt("INT", (out, dir) -> hasFile(dir, "worker-0.log"), "its directory exists");
  }

  @Test
  void sigint_whileTheDriverJoins_leavesNoKey() throws Exception {
    interruptAt("INT", (out, dir) -> hasFile(dir, "cluster.p12"), "the key store exists");
  }

  @Test
  void sigint_duringTheRun_leavesNothing() throws Exception {
    interruptAt("INT", (out, dir) -> out.contains("RB generation"), "the run started");
  }

  @Test
  void sigterm_duringTheClose_leavesNothing() throws Exception {
    interruptAt("TERM", (out, dir) -> out.contains("*** RESULTS ***"), "the results are out");
  }

  private interface Moment {
    boolean reached(String output, Path tmpdir) throws IOException;
  }

  private static boolean hasFile(Path dir, String name) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.anyMatch(p -> p.getFileName().toString().equals(name));
    } catch (java.io.UncheckedIOException e) {
      return false; // a file vanished while walking
    }
  }

  private void interruptAt(String signal, Moment moment, String what) throws Exception {
    Path tmpdir = Files.createDirectory(tmp.resolve("tmpdir"));
    Path log = tmp.resolve("run.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(IgniteFlags.FLAGS);
    cmd.addAll(
        List.of(
            "-Xmx512m",
            "-XX:+UseParallelGC",
            "-Djava.net.preferIPv4Stack=true",
            "-Djava.io.tmpdir=" + tmpdir,
            // a loaded machine starts a cluster slowly: the moments must come before a timeout
            "-Djmor.cluster.timeout=600s"));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(CASE));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    // the client JIT only (C1) in this run and the worker JVMs it starts (they inherit the
    // environment): a cluster's start is mostly JIT work, and takes about half as long on 2 cores
    pb.environment().put("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1");
    Process p = pb.start();
    List<ProcessHandle> children = new ArrayList<>();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
      boolean reached = false;
      while (p.isAlive() && System.nanoTime() < deadline) {
        p.descendants().forEach(d -> addNew(children, d));
        if (moment.reached(read(log), tmpdir)) {
          reached = true;
          break;
        }
        Thread.sleep(20);
      }
      assertThat(reached).as("reached the moment: " + what + "\n" + read(log)).isTrue();
      p.descendants().forEach(d -> addNew(children, d));
      String before = read(log);
      new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid()))
          .inheritIO()
          .start()
          .waitFor(10, TimeUnit.SECONDS);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ended after SIG" + signal).isTrue();
      String out = read(log);
      assertThat(p.exitValue()).as(out).isEqualTo(signal.equals("INT") ? 130 : 143);
      // everything after the signal: the one line, and nothing else
      String after = out.substring(Math.min(before.length(), out.length()));
      String line = "thermalblock: interrupted" + (signal.equals("INT") ? "" : " (SIGTERM)");
      assertThat(after.strip()).as(out).endsWith(line);
      assertThat(out.lines().filter(l -> l.contains("interrupted")).count()).as(out).isEqualTo(1);
      assertThat(after).doesNotContain("Exception", "\tat ");
      try (Stream<Path> left = Files.list(tmpdir)) {
        assertThat(left).as("left in java.io.tmpdir").isEmpty();
      }
      Predicate<ProcessHandle> mine =
          h ->
              ProcessCommandLines.of(h).contains(tmpdir.toString())
                  || h.info()
                      .arguments()
                      .map(a -> String.join(" ", a).contains(tmpdir.toString()))
                      .orElse(false);
      assertThat(children).as("child processes seen").isNotEmpty();
      assertThat(children.stream().filter(ProcessHandle::isAlive)).as("children alive").isEmpty();
      assertThat(ProcessHandle.allProcesses().filter(mine)).as("processes of this run").isEmpty();
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      children.forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void addNew(List<ProcessHandle> seen, ProcessHandle h) {
    if (!seen.contains(h)) {
      seen.add(h);
    }
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }
}
