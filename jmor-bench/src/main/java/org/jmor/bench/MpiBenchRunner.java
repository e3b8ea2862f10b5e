package org.jmor.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code ./jmor bench mpi}: the MPI pool's W1–W6 ({@link MpiPoolBench}) beside the C benchmark
 * ({@code jmor-parallel-mpi/target/native/mpi_bench}: 1-byte ping-pong, 8 MiB {@code MPI_Bcast})
 * and its Java counterpart ({@code org.jmor.bench.MpiBench}), all under {@code mpirun -n 2} in one
 * invocation, and writes the "MPI pool" section of {@code bench/RESULTS.md} (between {@value
 * #BEGIN} and {@value #END}; the other sections are kept).
 *
 * <p>Order of one run: C, Java, pool, then C and Java again ({@code --rounds 2}, the default), so
 * that the baselines bracket the pool's figures; the targets use the faster of the C medians (the
 * stricter goal).
 */
final class MpiBenchRunner {
  private MpiBenchRunner() {}

  static final String BEGIN = "<!-- mpi:begin -->";
  static final String END = "<!-- mpi:end -->";

  /** push 8 MB bandwidth at least this fraction of C's 8 MiB broadcast bandwidth. */
  static final double GOAL_PUSH = 0.80;

  /** push 8 MB at most this many times the copy-semantics floor (C bcast + copy + allocation). */
  static final double GOAL_PUSH_FLOOR = 1.3;

  /** apply round trip at most this many C ping-pong round trips, plus the codec cost. */
  static final double GOAL_APPLY_PINGPONGS = 5.0;

  /** pyMOR's MPI pool apply round trip through mpi4py (issue 10), in microseconds. */
  static final double PYMOR_APPLY_US = 500;

  static final class Options {
    Path root = Paths.get(".");

    @Option(names = "--quick")
    boolean quick;

    @Option(names = "--rounds", paramLabel = "N", converter = BenchArgs.Positive.class)
    int rounds = 2;

    @Option(names = "--timeout", paramLabel = "SECONDS", converter = BenchArgs.Seconds.class)
    long timeoutSeconds = 900;

    @Option(names = "--java-opts", paramLabel = "OPTS", converter = BenchArgs.Text.class)
    String javaOpts = System.getenv().getOrDefault("JMOR_JAVA_OPTS", "").trim();

    @Option(names = "--out", paramLabel = "FILE", converter = BenchArgs.PathValue.class)
    Path out;

    @Option(names = "--c-bench", paramLabel = "EXE", converter = BenchArgs.PathValue.class)
    Path cBench;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true)
    boolean help;
  }

  static void usage() {
    System.out.println(
        "usage: jmor bench mpi [--quick] [--rounds N] [--java-opts 'OPTS'] [--timeout SECONDS]\n"
            + "    [--out FILE] [--c-bench EXE]\n"
            + "  --quick      fewer iterations (a check that everything runs, not figures)\n"
            + "  --rounds N   runs of the C and Java baselines (default 2: before and after the"
            + " pool)\n"
            + "  --java-opts  JVM options of the ranks (default: $JMOR_JAVA_OPTS, as ./jmor)\n"
            + "  --out FILE   the results file (default bench/RESULTS.md; only its MPI section is"
            + " replaced)\n"
            + "  --c-bench    the C benchmark (default"
            + " jmor-parallel-mpi/target/native/mpi_bench)");
  }

  static void main(Path root, List<String> args) throws Exception {
    Options o = new Options();
    o.root = root;
    if (!BenchArgs.parse("jmor bench mpi", o, args)) {
      usage();
      return;
    }
    if (o.out == null) {
      o.out = root.resolve("bench").resolve("RESULTS.md");
    }
    if (o.cBench == null) {
      o.cBench =
          root.resolve("jmor-parallel-mpi")
              .resolve("target")
              .resolve("native")
              .resolve("mpi_bench");
    }
    MpiLaunch.requireMpirun();
    if (!Files.isExecutable(o.cBench)) {
      throw new IllegalStateException(
          o.cBench
              + " is missing: it is built with the MPI shim when mpicc is found (./jmor builds)");
    }
    String section = report(o, measure(o));
    Files.createDirectories(o.out.toAbsolutePath().getParent());
    String old = Files.exists(o.out) ? Files.readString(o.out, StandardCharsets.UTF_8) : "";
    Files.writeString(
        o.out, ResultsSections.replaceSection(old, section, BEGIN, END), StandardCharsets.UTF_8);
    System.out.println("wrote the MPI section of " + o.out.toAbsolutePath().normalize());
  }

  // ------------------------------------------------------------------ measurements

  /** One parsed result line. */
  record Line(
      String impl, String op, String kind, int iters, double min, double median, String unit) {
    String key() {
      return impl + " " + op + (kind.isEmpty() ? "" : " " + kind);
    }
  }

  /** Every line of every run, in order, and the commands. */
  static final class Measured {
    final List<Line> lines = new ArrayList<>();
    final List<String> commands = new ArrayList<>();
    final List<String> load = new ArrayList<>();
    final List<Double> capacity = new ArrayList<>();
  }

  /** The 1-minute load average from /proc/loadavg, or "?". */
  static String loadAverage() {
    try {
      return Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+")[0];
    } catch (java.io.IOException | RuntimeException e) {
      return "?";
    }
  }

  private static void sample(Measured m) throws InterruptedException {
    m.load.add(loadAverage());
    m.capacity.add(ParallelCapacity.measure());
  }

  static Measured measure(Options o) throws Exception {
    Measured m = new Measured();
    String cp = MpiLaunch.ownClassPath();
    String pp = o.quick ? "20000" : "100000";
    String bc = o.quick ? "20" : "200";
    List<String> c = MpiLaunch.prefix(2);
    c.addAll(List.of(o.cBench.toString(), pp, bc));
    List<String> java = MpiLaunch.prefix(2);
    java.addAll(MpiLaunch.java(o.javaOpts, cp));
    java.addAll(List.of("org.jmor.bench.MpiBench", pp, bc));
    List<String> pool = MpiLaunch.prefix(2);
    pool.addAll(MpiLaunch.java(o.javaOpts, cp));
    pool.addAll(List.of("org.jmor.parallel.mpi.MpiMain", MpiPoolBench.class.getName()));
    if (o.quick) {
      pool.add("--quick");
    }
    m.commands.addAll(List.of(String.join(" ", c), String.join(" ", java), String.join(" ", pool)));
    sample(m);
    for (int round = 0; round < o.rounds; round++) {
      runAndParse("C ping-pong and broadcast", c, o, m);
      runAndParse("Java ping-pong and broadcast (MpiBench)", java, o, m);
      if (round == 0) {
        runAndParse("MPI pool W1-W6 (MpiPoolBench)", pool, o, m);
      }
      sample(m);
    }
    return m;
  }

  private static void runAndParse(String what, List<String> cmd, Options o, Measured m)
      throws Exception {
    System.out.println("running " + what + ": " + String.join(" ", cmd));
    MpiLaunch.Result r = MpiLaunch.run(cmd, o.timeoutSeconds);
    int before = m.lines.size();
    for (String l : r.stdout().lines().toList()) {
      Line p = parse(l);
      if (p != null) {
        m.lines.add(p);
        System.out.println("  " + l.trim());
      }
    }
    if (m.lines.size() == before) {
      throw new IllegalStateException("no result lines from '" + String.join(" ", cmd) + "'");
    }
  }

  /**
   * Parses {@code mpibench impl=c op=pingpong bytes=1 iters=N min_us=X median_us=X} and {@code
   * mpipool op=NAME iters=N min=X median=X unit=U}; other lines give null.
   */
  static Line parse(String line) {
    String t = line.trim();
    boolean bench = t.startsWith("mpibench ");
    if (!bench && !(t.startsWith(MpiPoolBench.PREFIX + " op="))) {
      return null;
    }
    Map<String, String> kv = new LinkedHashMap<>();
    for (String tok : t.split("\\s+")) {
      int eq = tok.indexOf('=');
      if (eq > 0) {
        kv.put(tok.substring(0, eq), tok.substring(eq + 1));
      }
    }
    try {
      if (bench) {
        String unit = kv.containsKey("median_us") ? "us" : "ms";
        return new Line(
            kv.get("impl"),
            kv.get("op"),
            kv.containsKey("kind") ? "kind=" + kv.get("kind") : "",
            Integer.parseInt(kv.get("iters")),
            Double.parseDouble(kv.get("min_" + unit)),
            Double.parseDouble(kv.get("median_" + unit)),
            unit);
      }
      String op = kv.get("op");
      int comma = op.indexOf(',');
      return new Line(
          "pool",
          comma < 0 ? op : op.substring(0, comma),
          comma < 0 ? "" : op.substring(comma + 1),
          Integer.parseInt(kv.get("iters")),
          Double.parseDouble(kv.get("min")),
          Double.parseDouble(kv.get("median")),
          kv.get("unit"));
    } catch (RuntimeException e) {
      return null;
    }
  }

  // ------------------------------------------------------------------ report

  /** The lowest median among the lines of {@code key} (the best run), or NaN. */
  static double best(Measured m, String key) {
    return m.lines.stream()
        .filter(l -> l.key().equals(key))
        .mapToDouble(Line::median)
        .min()
        .orElse(Double.NaN);
  }

  static String report(Options o, Measured m) {
    StringBuilder md = new StringBuilder();
    md.append("## MPI pool\n\n");
    md.append("Produced by `./jmor bench mpi")
        .append(o.quick ? " --quick" : "")
        .append(o.rounds != 2 ? " --rounds " + o.rounds : "")
        .append("` on ")
        .append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .append(".\n\n");
    md.append("- Machine: ").append(BenchMain.Machine.describe()).append('\n');
    md.append("- JDK: ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.runtime.version"))
        .append("; rank JVM options: ")
        .append(o.javaOpts.isEmpty() ? "(none)" : "`" + o.javaOpts + "`")
        .append('\n');
    md.append(
        "- Open MPI, 2 ranks on this machine: `mpirun -n 2 --allow-run-as-root --oversubscribe"
            + " --bind-to none` with `OMPI_MCA_btl=self,vader"
            + " OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_pml=ob1` (as `./jmor mpi`"
            + " and the tests).\n");
    md.append(
        String.format(
            Locale.ROOT,
            "- Load of the machine (other jobs included) before and after each round: 1-minute"
                + " load average %s on %d cores; parallel capacity (2 threads of a CPU-bound"
                + " loop vs 1, 2.0 on an idle 2-core machine) %s.%n",
            String.join(" / ", m.load),
            Runtime.getRuntime().availableProcessors(),
            String.join(
                " / ",
                m.capacity.stream().map(x -> String.format(Locale.ROOT, "%.2f×", x)).toList())));
    md.append("- In one invocation, in this order: ");
    for (int r = 0; r < o.rounds; r++) {
      md.append(r == 0 ? "" : ", ").append("C, Java");
      if (r == 0) {
        md.append(", pool");
      }
    }
    md.append(
        ". The C and Java lines time every ping-pong round trip (reported one way: round"
            + " trip / 2) and every broadcast between two barriers; the pool harness"
            + " (`MpiPoolBench`, rank 0 under `MpiMain`) warms each operation up and then times"
            + " the calls one by one. All figures are medians (min beside); the targets use the"
            + " best median of each baseline over the rounds (the stricter goal).\n\n");

    double cPing = best(m, "c pingpong");
    double cBcast = best(m, "c bcast");
    double push8 = best(m, "pool w3Push megabytes=8");
    double apply = best(m, "pool w1Apply");
    double codec = best(m, "pool codec");
    md.append("### Targets (MPI pool, 2 ranks)\n\n| target | measured | goal | met |\n");
    md.append("|---|---|---|---|\n");
    double bw = cBcast / push8;
    md.append(
        String.format(
            Locale.ROOT,
            "| push 8 MB bandwidth / C `MPI_Bcast` 8 MiB bandwidth (W3: %.3f ms vs C %.3f ms) |"
                + " %.2f | >= %.2f | %s |%n",
            push8,
            cBcast,
            bw,
            GOAL_PUSH,
            yes(bw >= GOAL_PUSH, bw)));
    double floor =
        cBcast + best(m, "pool floorCopy megabytes=8") + best(m, "pool floorAlloc megabytes=8");
    md.append(
        String.format(
            Locale.ROOT,
            "| push 8 MB (W3) / copy-semantics floor: C `MPI_Bcast` 8 MiB + one `System.arraycopy`"
                + " + one zeroed allocation of 8 MB (%.3f + %.3f + %.3f ms) | %.2f | <= %.2f | %s"
                + " |%n",
            cBcast,
            best(m, "pool floorCopy megabytes=8"),
            best(m, "pool floorAlloc megabytes=8"),
            push8 / floor,
            GOAL_PUSH_FLOOR,
            yes(push8 / floor <= GOAL_PUSH_FLOOR, push8 / floor)));
    double goal = GOAL_APPLY_PINGPONGS * 2 * cPing + codec;
    md.append(
        String.format(
            Locale.ROOT,
            "| apply round trip (W1) <= 5 x C ping-pong round trip (2 x %.3f µs) + task"
                + " serialization (codec %.2f µs) | %.2f µs | <= %.2f µs | %s |%n",
            cPing,
            codec,
            apply,
            goal,
            yes(apply <= goal, apply)));
    double only = best(m, "pool w2ApplyOnly");
    md.append(
        String.format(
            Locale.ROOT,
            "| the same for one rank: `applyOnly` round trip to rank 1 (W2) <= 5 x C ping-pong"
                + " round trip + task serialization (W1 also runs worker 0's codec and task in"
                + " rank 0, in the caller's thread) | %.2f µs | <= %.2f µs |"
                + " %s |%n",
            only,
            goal,
            yes(only <= goal, only)));
    md.append(
        String.format(
            Locale.ROOT,
            "| apply round trip (W1) vs pyMOR's MPI pool through mpi4py (about %.0f µs) |"
                + " %.2f µs (%.1f× faster) | below | %s |%n%n",
            PYMOR_APPLY_US,
            apply,
            PYMOR_APPLY_US / apply,
            yes(apply < PYMOR_APPLY_US, apply)));
    md.append(
        "\"Task serialization\" (`codec`) is the whole codec work of one `apply` to one worker,"
            + " measured in the pool harness's JVM without a transport: encode the W1 request"
            + " frame (`Protocol.request`), decode and run it as a worker does"
            + " (`Protocol.handle`, which also encodes the reply) and decode the reply"
            + " (`Protocol.decodeReply`); `codecRequest` is the request encoding alone. The C"
            + " ping-pong is reported one way (round trip / 2), so an `apply` round trip is"
            + " compared with 5 round trips, 10 one-way latencies.\n\n");
    md.append(
        "### All results\n\n| program | operation | parameters | iterations | min | median |"
            + " unit |\n|---|---|---|---:|---:|---:|---|\n");
    for (Line l : m.lines) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %d | %.4f | %.4f | %s |%n",
              l.impl().equals("c")
                  ? "C `mpi_bench`"
                  : l.impl().equals("java") ? "Java `MpiBench`" : "MPI pool",
              l.op(),
              l.kind(),
              l.iters(),
              l.min(),
              l.median(),
              l.unit().equals("us") ? "µs" : l.unit()));
    }
    md.append(
        "\nPool operations as in `PoolBenchmarks` (JMH section above), on the `mpi` pool of 2"
            + " ranks (worker 0 is rank 0's in-process worker, worker 1 is rank 1): `w1Apply`"
            + " (a trivial task on every worker), `w2ApplyOnly` (on the last worker), `w3Push`"
            + " (push of 8 / 80 MB of doubles, then remove), `w4MapTrivial` (100,000 trivial"
            + " calls), `w4MapSpin` (200 calls of 5 ms busy spinning; ideal 500 ms),"
            + " `w5ScatterArray` (10,000 vectors of length 1,000, 80 MB, then remove),"
            + " `w6StartClose` (open a pool, one apply, close).\n\nCommands (run by the"
            + " harness):\n\n");
    for (String c : m.commands) {
      md.append("    ").append(c).append('\n');
    }
    return md.toString();
  }

  private static String yes(boolean met, double measured) {
    return Double.isNaN(measured) ? "not measured" : met ? "yes" : "NO";
  }
}
