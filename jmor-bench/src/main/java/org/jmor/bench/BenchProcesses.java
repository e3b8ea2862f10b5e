package org.jmor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Waiting for the processes a benchmark starts, with a timeout, and reading their logs. */
final class BenchProcesses {

  private BenchProcesses() {}

  /** Waits for {@code p}; kills it (and fails) if it runs longer than the timeout. */
  static void waitOrKill(Process p, long timeoutSeconds, String what) throws InterruptedException {
    boolean done;
    try {
      done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      throw e;
    }
    if (!done) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "'" + what + "' did not finish within " + timeoutSeconds + " s and was killed");
    }
  }

  /** The last 20 lines of {@code log}. */
  static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }
}
