package org.jmor.parallel.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerProcessesTest {

  /** A worker main: prints its secret's length and its argument, then fails or waits. */
  public static final class FakeWorker {
    private FakeWorker() {}

    public static void main(String[] args) throws Exception {
      WorkerProcesses.exitWithParent(0);
      String secret = System.getenv("FAKE_SECRET");
      System.out.println("worker " + args[0] + " has a secret of " + secret.length() + " chars");
      if (args[0].equals("1")) {
        System.out.println("cannot start: bad luck");
        System.exit(3);
      }
      Thread.sleep(60_000);
    }
  }

  /**
   * A worker that, when its standard input ends (its launcher closed it or died), deletes its log
   * only if the launcher died ({@link WorkerProcesses#deleteLogIfOrphaned}), as the processes
   * worker does when its connection ends; with the argument {@code check} it asks once at start.
   */
  public static final class OrphanWorker {
    private OrphanWorker() {}

    public static void main(String[] args) throws Exception {
      if (args.length > 0 && args[0].equals("check")) {
        WorkerProcesses.deleteLogIfOrphaned();
        System.out.println("checked");
        System.out.flush();
      }
      while (System.in.read() >= 0) {
        // until the launcher closes it or dies
      }
      WorkerProcesses.deleteLogIfOrphaned();
      System.exit(0);
    }
  }

  /** A launcher JVM for {@link OrphanWorker}: prints the worker's log path, then waits. */
  public static final class OrphanLauncher {
    private OrphanLauncher() {}

    public static void main(String[] args) throws Exception {
      WorkerProcesses w =
          WorkerProcesses.builder(OrphanWorker.class.getName())
              .jvmOptions(List.of("-Xmx64m"))
              .name("orphan")
              .start();
      System.out.println(w.log(0));
      System.out.flush();
      Thread.sleep(60_000);
    }
  }

  private static WorkerProcesses start() throws Exception {
    return WorkerProcesses.builder(FakeWorker.class.getName())
        .workers(2)
        .arguments(i -> List.of(String.valueOf(i)))
        .environment(Map.of("FAKE_SECRET", "s3cr3t"))
        .jvmOptions(List.of("-Xmx64m", "-Xshare:auto"))
        .name("fake")
        .start();
  }

  @Test
  void workersStart_secretsStayOffTheCommandLine_failuresAreReportedWithTheirLogs()
      throws Exception {
    Map<Integer, String> exits = new ConcurrentHashMap<>();
    List<ProcessHandle> handles;
    Path dir;
    try (WorkerProcesses w = start()) {
      handles = List.of(w.process(0).toHandle(), w.process(1).toHandle());
      dir = w.log(0).getParent();
      w.onExit(exits::put);
      assertThat(w.process(1).waitFor(30, TimeUnit.SECONDS)).isTrue();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!exits.containsKey(1) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(exits).containsOnlyKeys(1);
      assertThat(exits.get(1)).contains("exited with code 3");
      String cmd = String.join(" ", w.process(0).info().arguments().orElse(new String[0]));
      assertThat(cmd).doesNotContain("s3cr3t");
      IllegalStateException e = w.startFailure(List.of(1), "no handshake within 10 ms");
      assertThat(e.getMessage())
          .startsWith("1 of 2 workers failed to start: no handshake within 10 ms")
          .contains("exit code 3")
          .contains("worker 1 has a secret of 6 chars")
          .contains("cannot start: bad luck");
      assertThat(w.lastLines(1, 1)).isEqualTo("cannot start: bad luck");
      assertThat(w.process(0).isAlive()).isTrue();
    }
    for (ProcessHandle h : handles) {
      assertThat(h.isAlive()).as("no worker is left after close").isFalse();
    }
    assertThat(Files.exists(dir)).as("the log directory it made is gone").isFalse();
    assertThat(exits).as("close is no loss").containsOnlyKeys(1);
  }

  @Test
  void aWorkerEnds_whenItsParentClosesItsInput_andDeletesItsOwnLog() throws Exception {
    WorkerProcesses w = start();
    try {
      assertThat(w.log(0)).exists();
      w.process(0).getOutputStream().close();
      assertThat(w.process(0).waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(w.process(0).exitValue()).isZero();
      // what a worker does when its caller was SIGKILLed: nothing is left in the temp directory
      assertThat(w.log(0)).as("an orphaned worker deletes its log").doesNotExist();
    } finally {
      w.close(Duration.ZERO);
    }
  }

  @Test
  void aWorkerWhoseLauncherWasKilled_deletesItsLogAndTheDirectory() throws Exception {
    Process launcher =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                OrphanLauncher.class.getName())
            .redirectErrorStream(true)
            .start();
    try {
      java.io.BufferedReader out =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  launcher.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      String line = out.readLine(); // the test's timeout bounds this
      assertThat(line).as("the launcher printed its worker's log").isNotNull();
      Path log = Path.of(line.trim());
      assertThat(log).exists();
      launcher.destroyForcibly(); // SIGKILL: no hook runs, the worker's input ends
      assertThat(launcher.waitFor(10, TimeUnit.SECONDS)).isTrue();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (Files.exists(log.getParent()) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(log.getParent()).as("the orphaned worker cleaned up").doesNotExist();
    } finally {
      launcher.descendants().forEach(ProcessHandle::destroyForcibly);
      launcher.destroyForcibly();
    }
  }

  @Test
  void aWorkerWhoseLauncherLives_keepsItsLog() throws Exception {
    WorkerProcesses w =
        WorkerProcesses.builder(OrphanWorker.class.getName())
            .arguments(i -> List.of("check"))
            .jvmOptions(List.of("-Xmx64m"))
            .name("orphan-check")
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!w.lastLines(0, 1).contains("checked") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(w.lastLines(0, 1)).contains("checked");
      assertThat(w.log(0)).as("its launcher lives: the log stays").exists();
    } finally {
      w.close(Duration.ZERO);
    }
  }

  @Test
  void inheritedFlags_leaveOutAgentsAndRecordings() {
    assertThat(
            WorkerProcesses.Builder.inherited(
                List.of(
                    "-Xmx2g",
                    "-agentlib:jdwp=transport=dt_socket",
                    "-XX:StartFlightRecording=x.jfr",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "-Dfoo=bar")))
        .containsExactly("-Xmx2g", "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Dfoo=bar");
  }

  @Test
  void perWorkerJvmOptions_followTheCommonOnes_beforeTheMainClass() {
    WorkerProcesses.Builder b =
        WorkerProcesses.builder("com.example.Main")
            .inheritJvmOptions(false)
            .workers(2)
            .jvmOptions(List.of("-Xmx64m"))
            .jvmOptions(i -> i == 0 ? List.of("-Dfirst=true") : List.of())
            .classPath("cp")
            .arguments(i -> List.of("--index", String.valueOf(i)));
    assertThat(b.command(0).subList(1, b.command(0).size()))
        .containsExactly(
            "-Xmx64m", "-Dfirst=true", "-cp", "cp", "com.example.Main", "--index", "0");
    assertThat(b.command(1).subList(1, b.command(1).size()))
        .containsExactly("-Xmx64m", "-cp", "cp", "com.example.Main", "--index", "1");
  }
}
