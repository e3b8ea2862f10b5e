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
import java.util.Map;

/**
 * Starts programs under {@code mpirun} for the MPI benchmarks, with the settings of the {@code mpi}
 * branch of {@code ./jmor} and of the MPI module's tests: shared-memory transport without kernel
 * assists, no binding to cores (a JVM per rank), allowed as root.
 */
final class MpiLaunch {
  private MpiLaunch() {}

  /** The environment of every launch, on top of this JVM's. */
  static final Map<String, String> ENVIRONMENT =
      Map.of(
          "OMPI_MCA_btl", "self,vader",
          "OMPI_MCA_btl_vader_single_copy_mechanism", "none",
          "OMPI_MCA_pml", "ob1",
          "OMPI_ALLOW_RUN_AS_ROOT", "1",
          "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1",
          "OMPI_MCA_opal_signal", "");

  /** What one launch printed and how long it took. */
  record Result(String stdout, double seconds) {}

  /**
   * @return {@code $MPIRUN}, else {@code mpirun} on the PATH, else {@code /usr/bin/mpirun}
   */
  static String mpirun() {
    String env = System.getenv("MPIRUN");
    if (env != null && !env.isBlank()) {
      return env;
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        Path candidate = Paths.get(dir.isEmpty() ? "." : dir, "mpirun");
        if (Files.isExecutable(candidate)) {
          return candidate.toString();
        }
      }
    }
    return "/usr/bin/mpirun";
  }

  /** Fails with a clear message when mpirun is missing. */
  static void requireMpirun() {
    if (!Files.isExecutable(Paths.get(mpirun()))) {
      throw new IllegalStateException(
          "mpirun not found; install Open MPI (apt-get install openmpi-bin libopenmpi-dev) and"
              + " rebuild");
    }
  }

  /** {@code mpirun -n RANKS --allow-run-as-root --oversubscribe --bind-to none}. */
  static List<String> prefix(int ranks) {
    return new ArrayList<>(
        List.of(
            mpirun(),
            "-n",
            Integer.toString(ranks),
            "--allow-run-as-root",
            "--oversubscribe",
            "--bind-to",
            "none"));
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
   * Runs {@code cmd} (with {@link #ENVIRONMENT}), waits at most {@code timeoutSeconds} (then kills
   * it and its descendants) and fails unless it exits with 0.
   */
  static Result run(List<String> cmd, long timeoutSeconds)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile("jmor-mpirun-", ".log");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().putAll(ENVIRONMENT);
      pb.environment().remove("JMOR_POOL");
      long t0 = System.nanoTime();
      Process p = pb.start();
      ThermalBlockBench.waitOrKill(p, timeoutSeconds, String.join(" ", cmd));
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
