package org.jmor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jmor.bench.ThermalBlockBench.Case;

/**
 * The cold runs of {@code jmor bench thermalblock}: one fresh JVM per run of the demo jar ({@code
 * java [OPTS] -jar jmor-cli.jar thermalblock --no-plots --pool P --json FILE CASE}, or under {@code
 * mpirun -n N} for {@code mpi:N}), its wall time measured around the process and its greedy and
 * total times read from the demo's JSON.
 */
final class ThermalBlockColdRuns {

  private static final Pattern GREEDY_TIME =
      Pattern.compile("\"greedy\"\\s*:\\s*\\{[^}]*?\"time_s\"\\s*:\\s*([-0-9.eE+]+)");
  private static final Pattern MAX_ERRS = Pattern.compile("\"max_errs\"\\s*:\\s*\\[([^\\]]*)\\]");
  private static final Pattern TOTAL_TIME =
      Pattern.compile("\"total_time_s\"\\s*:\\s*([-0-9.eE+]+)");

  private ThermalBlockColdRuns() {}

  /** Cold measurements of one case, pool and set of JVM options. */
  static final class Cold {
    final List<Double> wall = new ArrayList<>();
    final List<Double> greedy = new ArrayList<>();
    final List<Double> total = new ArrayList<>();
    final List<String> maxErrs = new ArrayList<>();
  }

  /** A source file or pom under {@code root} modified after {@code millis}, or null. */
  static Path newerSource(Path root, long millis) throws IOException {
    try (var files = Files.walk(root)) {
      return files
          .filter(
              f -> {
                String s = f.toString();
                return !s.contains("/.git/")
                    && !s.contains("/target/")
                    && (s.endsWith(".java") || s.endsWith("pom.xml"));
              })
          .filter(
              f -> {
                try {
                  return Files.getLastModifiedTime(f).toMillis() > millis;
                } catch (IOException e) {
                  return false;
                }
              })
          .findFirst()
          .orElse(null);
    }
  }

  static String key(String opts, Case c, String pool) {
    return opts + "|" + c.label() + "|" + pool;
  }

  static double last(List<Double> xs) {
    return xs.get(xs.size() - 1);
  }

  static void runCli(
      String java, String opts, Path jar, String pool, Case c, long timeoutSeconds, Cold into)
      throws IOException, InterruptedException {
    Path json = Files.createTempFile("jmor-thermalblock-", ".json");
    Path log = Files.createTempFile("jmor-thermalblock-", ".log");
    try {
      List<String> cmd = new ArrayList<>();
      int ranks = ThermalBlockBench.mpiRanks(pool);
      if (ranks > 0) {
        MpiLaunch.requireMpirun();
        cmd.addAll(MpiLaunch.prefix(ranks));
      }
      cmd.add(java);
      if (!opts.isEmpty()) {
        cmd.addAll(Arrays.asList(opts.split("\\s+")));
      }
      if (ranks > 0) {
        cmd.addAll(
            List.of(
                "-cp",
                jar.toString(),
                "org.jmor.parallel.mpi.MpiMain",
                "org.jmor.cli.Main",
                "thermalblock",
                "--no-plots",
                "--pool",
                "mpi",
                "--json",
                json.toString()));
      } else {
        cmd.addAll(
            List.of(
                "-jar",
                jar.toString(),
                "thermalblock",
                "--no-plots",
                "--pool",
                pool,
                "--json",
                json.toString()));
      }
      cmd.addAll(c.args());
      ProcessBuilder pb =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().remove("JMOR_POOL");
      if (ranks > 0) {
        pb.environment().putAll(org.jmor.parallel.mpi.MpiLauncher.environment(pb.environment()));
      }
      long t0 = System.nanoTime();
      Process p = pb.start();
      BenchProcesses.waitOrKill(p, timeoutSeconds, String.join(" ", cmd));
      double wall = (System.nanoTime() - t0) / 1e9;
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "'"
                + String.join(" ", cmd)
                + "' failed with exit "
                + "code "
                + p.exitValue()
                + ":\n"
                + BenchProcesses.tail(log));
      }
      String text = Files.readString(json, StandardCharsets.UTF_8);
      into.wall.add(wall);
      into.greedy.add(number(GREEDY_TIME, text, json));
      into.total.add(number(TOTAL_TIME, text, json));
      Matcher m = MAX_ERRS.matcher(text);
      into.maxErrs.add(m.find() ? m.group(1).replaceAll("\\s+", "") : "?");
    } finally {
      Files.deleteIfExists(json);
      Files.deleteIfExists(log);
    }
  }

  private static double number(Pattern pattern, String text, Path file) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("no " + pattern.pattern() + " in " + file);
    }
    return Double.parseDouble(m.group(1));
  }
}
