package org.jmor.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code ./jmor bench}: listed here for {@code ./jmor --help} and {@code ./jmor help bench}. The
 * launcher runs the benchmarks from their own jar ({@code jmor-bench}, {@code
 * org.jmor.bench.BenchMain}), which parses and checks these arguments; this command only says so
 * when the CLI jar is started directly.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "The benchmarks (JMH; a few minutes): pool overheads W1-W6 against plain-Java baselines, the recording overhead W7, and "
          + "the thermal-block demo timings. Writes bench/RESULTS.md.",
      "Run by the ./jmor launcher from jmor-bench/target/jmor-benchmarks.jar."
    },
    footer = {
      "",
      "  jmor bench thermalblock [--help | OPTIONS]",
      "      the thermal-block demo timings (cold and warm runs per pool, optionally pyMOR's);",
      "      they have their own section of bench/RESULTS.md, which the JMH runs keep."
    })
public final class BenchCommand implements Callable<Integer> {

  @Option(names = "--quick", description = "Fewer and shorter iterations.")
  boolean quick;

  @Option(
      names = "--only",
      paramLabel = "GROUPS",
      description = "Only these groups, comma-separated: W1,W2,W3,W4,W5,W6,W7.")
  String only;

  @Option(
      names = "--jmh",
      paramLabel = "JMH-ARGS",
      description = "Pass the remaining arguments to JMH's own command line.")
  boolean jmh;

  @Unmatched List<String> rest;

  @Override
  public Integer call() {
    throw new IllegalArgumentException(
        "the benchmarks are not in this jar; run them with ./jmor bench (jmor-bench)");
  }
}
