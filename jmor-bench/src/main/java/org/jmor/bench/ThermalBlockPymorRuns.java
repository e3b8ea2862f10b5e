package org.jmor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jmor.bench.ThermalBlockBench.Case;
import org.jmor.bench.ThermalBlockBench.Options;

/**
 * The optional pyMOR runs of {@code jmor bench thermalblock --pymor DIR}: {@code python3
 * DIR/src/pymordemos/thermalblock.py CASE} in a temporary directory, its "Greedy search took" line.
 */
final class ThermalBlockPymorRuns {

  private static final Pattern PYMOR_GREEDY =
      Pattern.compile("Greedy search took ([-0-9.eE+]+) seconds");

  private ThermalBlockPymorRuns() {}

  static double runPymor(Options o, Case c) throws IOException, InterruptedException {
    Path script = o.pymor.resolve("src").resolve("pymordemos").resolve("thermalblock.py");
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException(
          script + " not found (--pymor must name a pyMOR " + "source tree)");
    }
    Path log = Files.createTempFile("jmor-pymor-", ".log");
    Path dir = Files.createTempDirectory("jmor-pymor-");
    try {
      List<String> cmd = new ArrayList<>(List.of(o.python, script.toString()));
      cmd.addAll(c.args());
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().put("PYTHONPATH", o.pymor.resolve("src").toString());
      Process p = pb.start();
      BenchProcesses.waitOrKill(p, o.timeoutSeconds, String.join(" ", cmd));
      String text = Files.readString(log, StandardCharsets.UTF_8);
      Matcher m = PYMOR_GREEDY.matcher(text);
      if (p.exitValue() != 0 || !m.find()) {
        throw new IllegalStateException(
            "'"
                + String.join(" ", cmd)
                + "' failed (exit code "
                + p.exitValue()
                + "):\n"
                + BenchProcesses.tail(log));
      }
      return Double.parseDouble(m.group(1));
    } finally {
      Files.deleteIfExists(log);
      try (var files = Files.walk(dir)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(f -> f.toFile().delete());
      }
    }
  }
}
