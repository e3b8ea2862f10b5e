package org.jmor.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.rb.algorithms.CartesianGrid;
import org.jmor.rb.algorithms.GreedyResult;
import org.jmor.rb.algorithms.RbGreedy;
import org.jmor.thermalblock.ThermalBlockModel;
import org.jmor.thermalblock.ThermalBlockProblem;
import picocli.CommandLine.Option;

/**
 * {@code ./jmor bench thermalblock}: times the thermal-block demo on the sequential pool and on
 * {@code threads:2}, for the two cases of the issue ({@code 2 2 3 5} and {@code --grid 50 2 3 4
 * 10}), and writes the "Thermal-block demo" section of {@code bench/RESULTS.md} (between {@value
 * #BEGIN} and {@value #END}; the JMH section is kept).
 *
 * <ul>
 *   <li><b>cold</b>, as a user runs it: a fresh JVM per run ({@code java [--java-opts] -jar
 *       jmor-cli/target/jmor-cli.jar thermalblock --no-plots --pool P --json FILE CASE}, started
 *       with the java binary of this JVM); the wall time is measured around the process, the greedy
 *       time is the demo's own ({@code greedy.time_s} in the JSON). The runs of all cases and pools
 *       are interleaved, {@code --reps} rounds.
 *   <li><b>warm</b>, in this JVM: {@link RbGreedy} on the same model and training set, {@code
 *       --warmup} runs per pool first, then {@code --warm-reps} runs, pools alternating.
 *   <li>optionally <b>pyMOR</b> ({@code --pymor DIR}, a pyMOR 2022.2.0 source tree): {@code python3
 *       DIR/src/pymordemos/thermalblock.py CASE}, its "Greedy search took" line.
 * </ul>
 *
 * Every reported time is a median. Every started process is waited for with a timeout and killed
 * when it exceeds it.
 *
 * <p>This class holds the cases, the pools, the goals and the options, and runs the three kinds of
 * measurement in turn: {@link ThermalBlockColdRuns}, {@link ThermalBlockWarmRuns} and {@link
 * ThermalBlockPymorRuns}; {@link ThermalBlockReport} writes the section.
 */
final class ThermalBlockBench {

  static final String BEGIN = "<!-- thermalblock:begin -->";
  static final String END = "<!-- thermalblock:end -->";

  private ThermalBlockBench() {}

  /** One demo invocation and pyMOR's serial greedy time for it (from the issue). */
  record Case(
      String label,
      List<String> args,
      int grid,
      int xBlocks,
      int yBlocks,
      int snapshots,
      int rbSize,
      double pymorGreedy) {}

  static final List<Case> CASES =
      List.of(
          new Case("2 2 3 5", List.of("2", "2", "3", "5"), 100, 2, 2, 3, 5, 0.53),
          new Case(
              "--grid 50 2 3 4 10",
              List.of("--grid", "50", "2", "3", "4", "10"),
              50,
              2,
              3,
              4,
              10,
              6.4),
          // the sweep-dominated case of issue 10 (9 parameters, 4^9 training points); no pyMOR
          // time in the issue
          new Case(
              "--grid 50 3 3 4 12",
              List.of("--grid", "50", "3", "3", "4", "12"),
              50,
              3,
              3,
              4,
              12,
              Double.NaN));

  /**
   * The pools; {@code mpi:N} runs the demo under {@code mpirun -n N} through {@code MpiMain} with
   * {@code --pool mpi}.
   */
  static final List<String> POOLS = List.of("sequential", "threads:2", "mpi:2", "cluster:2");

  /** The case of the MPI goal. */
  static final String SWEEP_CASE = "--grid 50 3 3 4 12";

  /** mpi:2 at most this factor slower than threads:2 on {@link #SWEEP_CASE}. */
  static final double GOAL_MPI = 1.10;

  /** cluster:2 at most this factor slower than threads:2 on {@link #SWEEP_CASE} (issue 9). */
  static final double GOAL_CLUSTER = 1.15;

  /** Serial greedy at least this much faster than pyMOR's. */
  static final double GOAL_VS_PYMOR = 3.0;

  /** threads:2 at least this much faster than sequential on the larger case. */
  static final double GOAL_PARALLEL = 1.7;

  /** Options of one run of the harness. */
  static final class Options {
    Path root = Paths.get(".");

    @Option(names = "--reps", paramLabel = "N", converter = BenchArgs.Positive.class)
    int reps = 5;

    @Option(names = "--warmup", paramLabel = "N", converter = BenchArgs.NonNegative.class)
    int warmup = 5;

    @Option(names = "--warm-reps", paramLabel = "N", converter = BenchArgs.Positive.class)
    int warmReps = 10;

    @Option(names = "--java-opts", paramLabel = "OPTS", converter = BenchArgs.Text.class)
    String javaOpts = System.getenv().getOrDefault("JMOR_JAVA_OPTS", "").trim();

    @Option(names = "--compare-opts", paramLabel = "OPTS", converter = BenchArgs.Text.class)
    List<String> compareOpts = new ArrayList<>();

    @Option(names = "--pymor", paramLabel = "DIR", converter = BenchArgs.PathValue.class)
    Path pymor;

    @Option(names = "--python", paramLabel = "EXE", converter = BenchArgs.Text.class)
    String python = "/usr/bin/python3";

    @Option(names = "--pymor-reps", paramLabel = "N", converter = BenchArgs.Positive.class)
    int pymorReps = 3;

    @Option(names = "--timeout", paramLabel = "SECONDS", converter = BenchArgs.Seconds.class)
    long timeoutSeconds = 600;

    @Option(names = "--no-cold")
    boolean noCold;

    @Option(names = "--no-warm")
    boolean noWarm;

    @Option(names = "--out", paramLabel = "FILE", converter = BenchArgs.PathValue.class)
    Path out;

    @Option(names = "--cli-jar", paramLabel = "JAR", converter = BenchArgs.PathValue.class)
    Path cliJar;

    @Option(names = "--case", paramLabel = "LABEL", converter = CaseLabel.class)
    List<Case> chosenCases = new ArrayList<>();

    @Option(names = "--pools", paramLabel = "P,P,...", split = ",", converter = PoolName.class)
    List<String> chosenPools = new ArrayList<>();

    @Option(
        names = {"-h", "--help"},
        usageHelp = true)
    boolean help;

    List<Case> cases = CASES;
    List<String> pools = POOLS;
  }

  /** A case of {@link #CASES}, by its label. */
  static final class CaseLabel implements picocli.CommandLine.ITypeConverter<Case> {
    @Override
    public Case convert(String v) {
      String label = v.trim();
      return CASES.stream()
          .filter(x -> x.label().equals(label))
          .findFirst()
          .orElseThrow(
              () ->
                  new picocli.CommandLine.TypeConversionException(
                      "unknown case '"
                          + label
                          + "'; expected one of "
                          + CASES.stream().map(Case::label).toList()));
    }
  }

  /** A pool of {@link #POOLS}. */
  static final class PoolName implements picocli.CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String v) {
      String q = v.trim();
      if (!POOLS.contains(q)) {
        throw new picocli.CommandLine.TypeConversionException(
            "unknown pool '" + q + "'; expected some of " + POOLS);
      }
      return q;
    }
  }

  static void usage() {
    System.out.println(
        "usage: jmor bench thermalblock [--reps N] [--warmup N]"
            + " [--warm-reps N]\n"
            + "    [--java-opts 'OPTS'] [--compare-opts 'OPTS']... [--pymor DIR [--python EXE]"
            + " [--pymor-reps N]]\n    [--no-cold] [--no-warm] [--timeout SECONDS]"
            + " [--out FILE] [--cli-jar JAR]\n"
            + "    [--case LABEL]... [--pools P,P,...]\n"
            + "  --case LABEL    only this case (repeatable), one of "
            + CASES.stream().map(c -> "'" + c.label() + "'").toList()
            + "\n  --pools         only these pools, of "
            + POOLS
            + " (mpi:N runs under mpirun -n N)\n"
            + "  --java-opts     JVM options of the demo runs (default: $JMOR_JAVA_OPTS, as"
            + " ./jmor)\n"
            + "  --compare-opts  also time the cold runs with these JVM options instead\n"
            + "  --pymor DIR     also time pyMOR's demo from the source tree DIR (DIR/src)\n"
            + "  --out FILE      the results file (default bench/RESULTS.md; only its"
            + " thermal-block section is replaced)\n"
            + "  --cli-jar JAR   the demo jar of the cold runs (default"
            + " jmor-cli/target/jmor-cli.jar)");
  }

  static void main(Path root, List<String> args) throws Exception {
    Options o = new Options();
    o.root = root;
    if (!BenchArgs.parse("jmor bench thermalblock", o, args)) {
      usage();
      return;
    }
    if (!o.chosenCases.isEmpty()) {
      o.cases = o.chosenCases;
    }
    if (!o.chosenPools.isEmpty()) {
      o.pools = o.chosenPools;
    }
    if (o.out == null) {
      o.out = root.resolve("bench").resolve("RESULTS.md");
    }
    // keep the greedy's INFO lines out of the harness output
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    String section = run(o);
    Path md = o.out;
    Files.createDirectories(md.toAbsolutePath().getParent());
    String old = Files.exists(md) ? Files.readString(md, StandardCharsets.UTF_8) : "";
    Files.writeString(md, replaceSection(old, section), StandardCharsets.UTF_8);
    System.out.println("wrote the thermal-block section of " + md.toAbsolutePath().normalize());
  }

  static String run(Options o) throws Exception {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    Path jar =
        o.cliJar != null
            ? o.cliJar
            : o.root.resolve("jmor-cli").resolve("target").resolve("jmor-cli.jar");
    List<String> optionSets = new ArrayList<>();
    optionSets.add(o.javaOpts);
    optionSets.addAll(o.compareOpts);
    Map<String, ThermalBlockColdRuns.Cold> cold = new LinkedHashMap<>();
    List<Double> capacity = new ArrayList<>();
    capacity.add(ParallelCapacity.measure());
    if (!o.noCold) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(
            jar + " is missing: build it first (./jmor --help" + " or mvn -o install -DskipTests)");
      }
      Path newer =
          ThermalBlockColdRuns.newerSource(o.root, Files.getLastModifiedTime(jar).toMillis());
      if (newer != null) {
        System.err.println(
            "jmor bench thermalblock: warning: "
                + newer
                + " is newer than "
                + jar
                + "; the cold runs time the jar as it is (./jmor --help rebuilds"
                + " it)");
      }
      for (int rep = 0; rep < o.reps; rep++) {
        for (String opts : optionSets) {
          for (Case c : o.cases) {
            for (String pool : o.pools) {
              ThermalBlockColdRuns.Cold k =
                  cold.computeIfAbsent(
                      ThermalBlockColdRuns.key(opts, c, pool),
                      x -> new ThermalBlockColdRuns.Cold());
              ThermalBlockColdRuns.runCli(java, opts, jar, pool, c, o.timeoutSeconds, k);
              System.out.printf(
                  Locale.ROOT,
                  "cold %d/%d [%s] %-20s %-10s wall" + " %.3f s, greedy %.3f s%n",
                  rep + 1,
                  o.reps,
                  opts,
                  c.label,
                  pool,
                  ThermalBlockColdRuns.last(k.wall),
                  ThermalBlockColdRuns.last(k.greedy));
            }
          }
        }
        capacity.add(ParallelCapacity.measure());
      }
    }
    Map<String, List<Double>> warm = new LinkedHashMap<>();
    Map<String, double[]> warmErrors = new LinkedHashMap<>();
    if (!o.noWarm) {
      for (Case c : o.cases) {
        ThermalBlockWarmRuns.warmRuns(o, c, warm, warmErrors);
        capacity.add(ParallelCapacity.measure());
      }
    }
    Map<String, List<Double>> pymor = new LinkedHashMap<>();
    if (o.pymor != null) {
      for (int rep = 0; rep < o.pymorReps; rep++) {
        for (Case c : o.cases) {
          if (Double.isNaN(c.pymorGreedy)) {
            continue;
          }
          double g = ThermalBlockPymorRuns.runPymor(o, c);
          pymor.computeIfAbsent(c.label, x -> new ArrayList<>()).add(g);
          System.out.printf(
              Locale.ROOT, "pyMOR %d/%d %-20s greedy %.3f s%n", rep + 1, o.pymorReps, c.label, g);
        }
      }
    }
    return ThermalBlockReport.report(o, java, optionSets, cold, warm, warmErrors, pymor, capacity);
  }

  /** N for a pool {@code mpi:N}, else 0. */
  static int mpiRanks(String pool) {
    return pool.startsWith("mpi:") ? Integer.parseInt(pool.substring(4)) : 0;
  }

  /**
   * The warm runs on the MPI pool: rank 0 of {@code mpirun -n N ... MpiMain
   * org.jmor.bench.ThermalBlockBench$MpiWarm CASE WARMUP REPS} runs the greedy {@code WARMUP}
   * times, then {@code REPS} times, printing {@code warm-greedy SECONDS MAX_ERRORS} per timed run.
   */
  public static final class MpiWarm {
    private MpiWarm() {}

    static final String PREFIX = "warm-greedy";

    /**
     * The program (MpiMain's entry point).
     *
     * @param args case label, warm-up runs, timed runs
     * @return the exit code
     */
    public static int run(String[] args) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
      Case c =
          CASES.stream()
              .filter(x -> x.label().equals(args[0]))
              .findFirst()
              .orElseThrow(() -> new IllegalArgumentException("unknown case " + args[0]));
      int warmup = Integer.parseInt(args[1]);
      int reps = Integer.parseInt(args[2]);
      ThermalBlockModel fom = ThermalBlockProblem.of(c.xBlocks, c.yBlocks).discretize(c.grid);
      CartesianGrid training = ThermalBlockWarmRuns.training(c);
      try (WorkerPool pool = WorkerPools.builder().backend("mpi").build()) {
        for (int w = 0; w < warmup; w++) {
          ThermalBlockWarmRuns.greedy(fom, training, c, pool);
        }
        for (int r = 0; r < reps; r++) {
          GreedyResult g = ThermalBlockWarmRuns.greedy(fom, training, c, pool);
          StringBuilder errs = new StringBuilder();
          for (double e : g.maxErrors()) {
            errs.append(errs.length() == 0 ? "" : ",").append(Double.toString(e));
          }
          System.out.println(PREFIX + " " + g.seconds() + " " + errs);
          System.out.flush();
        }
      }
      return 0;
    }
  }

  /** Replaces the section between {@link #BEGIN} and {@link #END} of {@code old}, or appends it. */
  static String replaceSection(String old, String section) {
    return replaceSection(old, section, BEGIN, END);
  }

  /**
   * Replaces the section between the markers {@code begin} and {@code end} of {@code old}, or
   * appends it.
   */
  static String replaceSection(String old, String section, String begin, String end) {
    return ResultsSections.replaceSection(old, section, begin, end);
  }

  /** The section of {@code text} between the markers (markers included), or "". */
  static String section(String text) {
    return section(text, BEGIN, END);
  }

  /** The section of {@code text} between {@code begin} and {@code end} (included), or "". */
  static String section(String text, String begin, String end) {
    return ResultsSections.section(text, begin, end);
  }
}
