package org.jmor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs the benchmarks and writes {@code bench/RESULTS.md}: {@code ./jmor bench} (all, a few
 * minutes), {@code ./jmor bench --quick} (fewer iterations), {@code ./jmor bench --only W1,W4}
 * (some groups), {@code ./jmor bench --jmh ARGS...} (plain JMH command line), {@code ./jmor bench
 * thermalblock [OPTIONS]} (the thermal-block demo timings, {@link ThermalBlockBench}; they have
 * their own section of {@code RESULTS.md}, which the JMH runs keep), {@code ./jmor bench mpi
 * [OPTIONS]} (the MPI pool beside C and Java MPI baselines under {@code mpirun -n 2}, {@link
 * MpiBenchRunner}; its own section too), {@code ./jmor bench cluster [OPTIONS]} (the cluster pool
 * beside raw Ignite and raw socket baselines, {@link ClusterBench}; its own section too), {@code
 * ./jmor bench processes [OPTIONS]} (the processes pool beside a raw socket, {@link
 * ProcessesBench}; prints a table).
 */
public final class BenchMain {
  private BenchMain() {}

  private static final Map<String, String> GROUPS = new LinkedHashMap<>();

  static {
    GROUPS.put("W1", "PoolBenchmarks.W1W2Apply.w1");
    GROUPS.put("W2", "PoolBenchmarks.W1W2Apply.w2");
    GROUPS.put("W3", "PoolBenchmarks.W3Push");
    GROUPS.put("W4", "PoolBenchmarks.W4Map");
    GROUPS.put("W5", "PoolBenchmarks.W5Scatter");
    GROUPS.put("W6", "PoolBenchmarks.W6StartClose");
    GROUPS.put("W7", "PoolBenchmarks.W7Recording");
  }

  /** Bad arguments: reported in one line with exit code 2, before any benchmark runs. */
  static final class Usage extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Usage(String message) {
      super(message);
    }
  }

  static final String USAGE =
      "usage: jmor bench [--quick] [--only W1,W2,...] [--jmh JMH-ARGS...]\n"
          + "       jmor bench thermalblock [--help | OPTIONS]\n"
          + "       jmor bench mpi [--help | OPTIONS]\n"
          + "       jmor bench cluster [--help | OPTIONS]\n"
          + "       jmor bench processes [--help | OPTIONS]";

  /**
   * Entry point: exits with 0 (done), 1 (a benchmark failed), 2 (bad arguments).
   *
   * @param args see the class documentation
   */
  public static void main(String[] args) {
    int code = run(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Runs the benchmarks; bad arguments and failures give one line on standard error.
   *
   * @param args see the class documentation
   * @return the exit code: 0, 1 for a failure while running, 2 for bad arguments
   */
  static int run(String... args) {
    try {
      runOrThrow(args);
      return 0;
    } catch (Usage e) {
      System.err.println(e.getMessage());
      return 2;
    } catch (Exception e) {
      System.err.println(
          "jmor bench: "
              + (e.getMessage() != null
                  ? e.getMessage()
                  : "failed (" + e.getClass().getName() + ")"));
      return 1;
    }
  }

  /** The options before a command word ({@code thermalblock}, {@code mpi}, {@code cluster}). */
  static final class TopOptions {
    @Option(names = "--root", paramLabel = "DIR", converter = BenchArgs.PathValue.class)
    Path root = Paths.get(".");

    @Option(names = "--quick")
    boolean quick;

    @Option(names = "--only", paramLabel = "W1,W2,...", converter = BenchArgs.Text.class)
    String only;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true)
    boolean help;

    /** The command word and its arguments, or {@code --jmh} and JMH's. */
    @Parameters List<String> rest = new ArrayList<>();
  }

  private static void runOrThrow(String[] args) throws Exception {
    TopOptions top = new TopOptions();
    // the top-level options end at the first command word, or at --jmh, whose arguments are JMH's
    CommandLine cl = new CommandLine(top).setStopAtPositional(true).setStopAtUnmatched(true);
    try {
      if (cl.parseArgs(args).isUsageHelpRequested()) {
        System.out.println(USAGE);
        return;
      }
    } catch (CommandLine.ParameterException e) {
      String m = String.valueOf(e.getMessage()).strip();
      throw new Usage("jmor bench: " + m.lines().findFirst().orElse(m) + " (see --help)");
    }
    List<String> rest = new ArrayList<>(top.rest);
    rest.addAll(cl.getUnmatchedArguments());
    if (!rest.isEmpty()) {
      List<String> tail = rest.subList(1, rest.size());
      switch (rest.get(0)) {
        case "thermalblock" -> ThermalBlockBench.main(top.root, tail);
        case "mpi" -> MpiBenchRunner.main(top.root, tail);
        case "cluster" -> ClusterBench.main(top.root, tail);
        case "processes" -> ProcessesBench.main(top.root, tail);
        case "--jmh" -> org.openjdk.jmh.Main.main(tail.toArray(new String[0]));
        default ->
            throw new Usage("jmor bench: unknown argument '" + rest.get(0) + "' (see --help)");
      }
      return;
    }
    Path root = top.root;
    boolean quick = top.quick;
    List<String> only =
        top.only == null
            ? new ArrayList<>(GROUPS.keySet())
            : List.of(top.only.toUpperCase(Locale.ROOT).split(",", -1));
    ChainedOptionsBuilder opts = new OptionsBuilder().shouldFailOnError(true);
    for (String g : only) {
      String pattern = GROUPS.get(g.trim());
      if (pattern == null) {
        throw new Usage("jmor bench: unknown group '" + g + "'; expected " + GROUPS.keySet());
      }
      opts.include(pattern);
    }
    if (quick) {
      opts.warmupIterations(1)
          .measurementIterations(2)
          .warmupTime(TimeValue.milliseconds(500))
          .measurementTime(TimeValue.milliseconds(500));
    }
    Collection<RunResult> results = new Runner(opts.build()).run();
    String command =
        "./jmor bench"
            + (quick ? " --quick" : "")
            + (only.size() == GROUPS.size() ? "" : " --only " + String.join(",", only));
    Path out = root.resolve("bench").resolve("RESULTS.md");
    Files.createDirectories(out.getParent());
    // keep the sections that other runs write (./jmor bench mpi, ./jmor bench thermalblock, and
    // the memory measurements of the command line, recorded by hand)
    String old = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
    StringBuilder keep = new StringBuilder();
    for (String[] markers :
        new String[][] {
          {MpiBenchRunner.BEGIN, MpiBenchRunner.END},
          {ClusterBench.BEGIN, ClusterBench.END},
          {ThermalBlockBench.BEGIN, ThermalBlockBench.END},
          {MEMORY_BEGIN, MEMORY_END}
        }) {
      String section = ResultsSections.section(old, markers[0], markers[1]);
      if (!section.isEmpty()) {
        keep.append(keep.length() == 0 ? "" : "\n").append(section);
      }
    }
    String kept = keep.toString();
    Files.writeString(
        out,
        report(results, command) + (kept.isEmpty() ? "" : "\n" + kept),
        StandardCharsets.UTF_8);
    System.out.println("wrote " + out.toAbsolutePath().normalize());
  }

  /** The markers of the hand-recorded memory section of {@code RESULTS.md}, kept by every run. */
  static final String MEMORY_BEGIN = "<!-- memory:begin -->";

  static final String MEMORY_END = "<!-- memory:end -->";

  static String key(RunResult r) {
    String label = r.getParams().getBenchmark();
    label = label.substring(label.lastIndexOf('.') + 1);
    StringBuilder sb = new StringBuilder(label);
    for (String p : new TreeMap<>(paramMap(r)).keySet()) {
      sb.append(' ').append(p).append('=').append(r.getParams().getParam(p));
    }
    return sb.toString();
  }

  private static Map<String, String> paramMap(RunResult r) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String k : r.getParams().getParamsKeys()) {
      m.put(k, r.getParams().getParam(k));
    }
    return m;
  }

  static String report(Collection<RunResult> results, String command) {
    Map<String, RunResult> byKey = new TreeMap<>();
    for (RunResult r : results) {
      byKey.put(key(r), r);
    }
    StringBuilder md = new StringBuilder();
    md.append("# Benchmark results\n\n");
    md.append("Produced by `")
        .append(command)
        .append("` on ")
        .append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .append(".\n\n");
    md.append("- Machine: ").append(Machine.describe()).append('\n');
    md.append("- JDK: ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.runtime.version"))
        .append('\n');
    md.append("- Workers: ")
        .append(PoolBenchmarks.WORKERS)
        .append("; JMH 1.37, 1 fork; baselines run in the same JMH run as the pools.\n\n");
    md.append("## Targets (thread pool, 2 workers)\n\n");
    md.append("| target | measured | goal | met |\n|---|---|---|---|\n");
    ratio(
        md,
        byKey,
        "apply / ExecutorService baseline (W1)",
        "w1Apply backend=THREADS",
        "w1ApplyBaseline",
        false,
        1.3);
    ratio(
        md,
        byKey,
        "apply with recording on / off (W7, issue 19)",
        "w7Apply recording=ON",
        "w7Apply recording=OFF",
        false,
        1.05);
    ratio(
        md,
        byKey,
        "map of 100,000 trivial calls / ExecutorService baseline (W4)",
        "w4MapTrivial backend=THREADS",
        "w4MapTrivialBaseline",
        false,
        2.0);
    RunResult spin = byKey.get("w4MapSpin backend=THREADS");
    if (spin != null) {
      double ideal = 200 * 5.0 / PoolBenchmarks.WORKERS;
      double eff = ideal / spin.getPrimaryResult().getScore();
      md.append(
          String.format(
              Locale.ROOT,
              "| spin-map efficiency: (200 x 5 ms / 2) / time (W4) "
                  + "| %.1f %% | >= 97 %% | %s |%n",
              100 * eff,
              eff >= 0.97 ? "yes" : "NO"));
    }
    ratio(
        md,
        byKey,
        "push 8 MB bandwidth / System.arraycopy bandwidth (W3; both move 2 x 8 MB)",
        "w3ArraycopyBaseline megabytes=8",
        "w3Push backend=THREADS megabytes=8",
        true,
        0.25);
    md.append(
        "\n## All results\n\n| benchmark | parameters | mode | score | error (99.9 %) | unit |\n"
            + "|---|---|---|---:|---:|---|\n");
    for (Map.Entry<String, RunResult> e : byKey.entrySet()) {
      RunResult r = e.getValue();
      String name = e.getKey();
      int sp = name.indexOf(' ');
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %.3f | %.3f | %s |%n",
              sp < 0 ? name : name.substring(0, sp),
              sp < 0 ? "" : name.substring(sp + 1),
              r.getParams().getMode().shortLabel(),
              r.getPrimaryResult().getScore(),
              r.getPrimaryResult().getScoreError(),
              r.getPrimaryResult().getScoreUnit()));
    }
    md.append(
        "\nScores are times per operation (lower is better). The baselines: a fixed thread "
            + "pool of 2 threads doing the same work (W1, W2, W4, W5, W6) and one-thread "
            + "`System.arraycopy` of the same bytes into one preallocated array per worker (W3).\n");
    return md.toString();
  }

  /** Appends a target row: ours/baseline (or baseline/ours when {@code inverse}). */
  private static void ratio(
      StringBuilder md,
      Map<String, RunResult> byKey,
      String what,
      String numerator,
      String denominator,
      boolean atLeast,
      double goal) {
    RunResult a = byKey.get(numerator);
    RunResult b = byKey.get(denominator);
    if (a == null || b == null) {
      md.append("| ").append(what).append(" | not measured in this run | | |\n");
      return;
    }
    double r = a.getPrimaryResult().getScore() / b.getPrimaryResult().getScore();
    boolean met = atLeast ? r >= goal : r <= goal;
    md.append(
        String.format(
            Locale.ROOT,
            "| %s | %.2f | %s %.2f | %s |%n",
            what,
            r,
            atLeast ? ">=" : "<=",
            goal,
            met ? "yes" : "NO"));
  }

  /** Describes the machine: CPU model, cores, memory, OS. */
  static final class Machine {
    private Machine() {}

    static String describe() {
      String cpu = "unknown CPU";
      try {
        for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
          if (line.startsWith("model name")) {
            cpu = line.substring(line.indexOf(':') + 1).trim();
            break;
          }
        }
      } catch (IOException | RuntimeException e) {
        // not Linux: keep the default
      }
      return String.format(
          Locale.ROOT,
          "%s, %d cores, %.0f GiB max heap, %s %s",
          cpu,
          Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().maxMemory() / (1024.0 * 1024 * 1024),
          System.getProperty("os.name"),
          System.getProperty("os.version"));
    }
  }
}
