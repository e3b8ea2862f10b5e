package org.jmor.parallel.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Worker JVMs started the way {@code ./jmor worker} runs them ({@link IgniteWorkerMain} with its
 * options), for tests of {@link IgnitePools#connect}. {@link #close()} ends every process.
 */
final class ExternalWorkers implements AutoCloseable {
  final Path dir;
  final ClusterKeyStore keyStore;
  final String id;
  final List<Process> processes = new ArrayList<>();

  ExternalWorkers(Path dir, ClusterKeyStore keyStore, String id) {
    this.dir = dir;
    this.keyStore = keyStore;
    this.id = id;
  }

  /**
   * Starts a worker; {@code prefix} runs before java (for example {@code ip netns exec NS}).
   *
   * @param index the worker index
   * @param prefix a command prefix, or empty
   * @param args worker options besides cluster id, index, key store and work directory
   */
  Process start(int index, List<String> prefix, List<String> args) throws IOException {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--cluster-id",
                id,
                "--index",
                String.valueOf(index),
                "--key-store",
                keyStore.path().toString(),
                "--failure-detection-ms",
                "4000",
                // ends the worker if this test JVM dies (its input closes); while the test runs the
                // input stays open, so the other options decide when a worker ends
                "--watch-stdin"));
    all.addAll(args);
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(
        IgnitePools.launcher(i -> List.of("-Xmx256m", "-XX:+UseParallelGC"))
            .arguments(i -> all)
            .command(index));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true);
    pb.redirectOutput(log(index).toFile());
    pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    char[] pw = keyStore.password();
    pb.environment().put(ClusterKeyStore.PASSWORD_ENV, new String(pw));
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  Path log(int index) {
    return dir.resolve("worker-" + index + ".log");
  }

  /** The workers' logs, for failure messages. */
  String logs() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < processes.size(); i++) {
      try {
        sb.append("--- worker ").append(i).append('\n').append(Files.readString(log(i)));
      } catch (IOException e) {
        sb.append("--- worker ").append(i).append(": no log\n");
      }
    }
    return sb.toString();
  }

  /** Waits for every process to end by itself, up to the timeout; returns whether they did. */
  boolean awaitExit(long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (Process p : processes) {
      if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : processes) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
