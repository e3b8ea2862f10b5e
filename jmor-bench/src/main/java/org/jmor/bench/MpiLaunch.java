package org.jmor.bench;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jmor.parallel.mpi.MpiLauncher;

/**
 * Starts programs under {@code mpirun} for the MPI benchmarks through the project's one launcher
 * {@link MpiLauncher} (also used by {@code ./jmor mpi} and the MPI module's tests): shared-memory
 * transport without kernel assists, no binding to cores (a JVM per rank), allowed as root.
 */
final class MpiLaunch {
  private MpiLaunch() {}

  /** What one launch printed and how long it took. */
  record Result(String stdout, double seconds) {}

  /** Fails with a clear message when mpirun is missing ({@link MpiLauncher#requireMpirun}). */
  static void requireMpirun() {
    MpiLauncher.requireMpirun();
  }

  /** {@code mpirun -n RANKS --allow-run-as-root --oversubscribe --bind-to none}. */
  static List<String> prefix(int ranks) {
    return MpiLauncher.prefix(ranks);
  }

  /** {@code java [opts] -cp CP}, with the java binary of this JVM. */
  static List<String> java(String opts, String classPath) {
    List<String> cmd = new ArrayList<>();
    cmd.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
    if (!opts.isBlank()) {
      cmd.addAll(Arrays.asList(opts.trim().split("\\s+")));
    }
    cmd.add("-cp");
    cmd.add(classPath);
    return cmd;
  }

  /** The jar (or class directory) this class was loaded from. */
  static String ownClassPath() {
    try {
      return Paths.get(MpiLaunch.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException | RuntimeException e) {
      return System.getProperty("java.class.path");
    }
  }

  /**
   * Runs {@code cmd} (with {@link MpiLauncher}'s environment), waits at most {@code timeoutSeconds}
   * (then kills it and its descendants) and fails unless it exits with 0.
   */
  static Result run(List<String> cmd, long timeoutSeconds)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile("jmor-mpirun-", ".log");
    try {
      ProcessBuilder pb =
          MpiLauncher.processBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().remove("JMOR_POOL");
      long t0 = System.nanoTime();
      Process p = pb.start();
      BenchProcesses.waitOrKill(p, timeoutSeconds, String.join(" ", cmd));
      double seconds = (System.nanoTime() - t0) / 1e9;
      String out = Files.readString(log, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        List<String> lines = out.lines().toList();
        throw new IllegalStateException(
            "'"
                + String.join(" ", cmd)
                + "' failed with exit code "
                + p.exitValue()
                + ":\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
      }
      return new Result(out, seconds);
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
