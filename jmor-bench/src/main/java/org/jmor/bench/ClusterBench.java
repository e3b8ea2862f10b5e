package org.jmor.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jmor.bench.CallTimer.Op;
import org.jmor.parallel.RemoteObject;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.parallel.cluster.ClusterOptions;
import org.jmor.parallel.cluster.ClusterProvider;
import org.jmor.parallel.cluster.IgniteCluster;
import org.jmor.parallel.cluster.IgnitePools;
import org.jmor.vectors.VectorArray;
import picocli.CommandLine.Option;

/**
 * {@code ./jmor bench cluster}: the cluster pool's W1–W6 (as in {@link PoolBenchmarks}, timed call
 * by call like {@link MpiPoolBench}) on 2 worker JVMs, beside raw Apache Ignite operations on the
 * same nodes ({@link ClusterBaselines}: a targeted compute call, a messaging ping-pong, a bulk
 * messaging transfer) and a raw JDK socket between this JVM and two others ({@link SocketEcho}),
 * all in one run. Writes the "Cluster pool" section of {@code bench/RESULTS.md} (between {@value
 * #BEGIN} and {@value #END}; the other sections are kept).
 */
final class ClusterBench {
  private ClusterBench() {}

  static final String BEGIN = "<!-- cluster:begin -->";
  static final String END = "<!-- cluster:end -->";

  /** The suffix of the groups measured on a cluster without TLS. */
  static final String NO_TLS = "-notls";

  /** push of 8 MB to 2 workers with TLS: at least this aggregate bandwidth, in GB/s. */
  static final double GOAL_PUSH_TLS_GBS = 0.6;

  /** apply round trip at most this factor of the raw targeted Ignite call. */
  static final double GOAL_APPLY_VS_RAW = 1.3;

  /** ipyparallel's apply on 2 engines (issue 9), in microseconds; ours at least 10× faster. */
  static final double IPYPARALLEL_APPLY_US = 6000;

  /**
   * Warm-up transfers of 8 MB before the timed ones, for the pool's {@code push} and raw Ignite
   * messaging alike: the 20 of before left the 8 MB paths of all three JVMs compiling while they
   * were timed (a median of 23-28 ms over the first 300 pushes against 16 ms over the next 300).
   */
  static final int W3_WARM_UP = 200;

  /** push of 8 MB to 2 workers: at least this aggregate bandwidth, in GB/s (without TLS). */
  static final double GOAL_PUSH_GBS = 1.0;

  /** start of a 2-worker pool: at most this, in seconds. */
  static final double GOAL_START_S = 5.0;

  /** One timed operation. */
  record Line(String group, String op, int iters, double min, double median, String unit) {}

  static final class Options {
    Path root = Paths.get(".");

    @Option(names = "--out", paramLabel = "FILE", converter = BenchArgs.PathValue.class)
    Path out;

    @Option(names = "--quick")
    boolean quick;

    @Option(names = "--latency")
    boolean latency;

    @Option(names = "--starts", paramLabel = "N", converter = BenchArgs.Positive.class)
    int starts = 3;

    @Option(names = "--rounds", paramLabel = "N", converter = BenchArgs.Positive.class)
    int rounds = 3;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true)
    boolean help;
  }

  private static volatile Object sink;

  static void usage() {
    System.out.println(
        "usage: jmor bench cluster [--quick] [--latency] [--starts N] [--rounds N] [--out FILE]\n"
            + "  --quick     fewer iterations (a check that everything runs, not figures)\n"
            + "  --latency   only the latency rounds (raw Ignite calls and W1/W2, with and without"
            + " TLS)\n"
            + "  --rounds N  rounds of raw calls and W1/W2 in turn on each cluster (default 3)\n"
            + "  --starts N  how many times to start a 2-worker cluster from scratch (default 3)\n"
            + "  --out FILE  the results file (default bench/RESULTS.md; only its cluster section"
            + " is replaced)");
  }

  static void main(Path root, List<String> args) throws Exception {
    Options o = new Options();
    o.root = root;
    if (!BenchArgs.parse("jmor bench cluster", o, args)) {
      usage();
      return;
    }
    if (o.out == null) {
      o.out = root.resolve("bench").resolve("RESULTS.md");
    }
    org.jmor.parallel.cluster.IgniteFlags.check();
    List<Line> lines = new ArrayList<>();
    List<String> load = new ArrayList<>();
    try {
      measure(o, lines, load);
    } catch (Exception | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
    String section = report(o, lines, load);
    Files.createDirectories(o.out.toAbsolutePath().getParent());
    String old = Files.exists(o.out) ? Files.readString(o.out, StandardCharsets.UTF_8) : "";
    Files.writeString(
        o.out, ResultsSections.replaceSection(old, section, BEGIN, END), StandardCharsets.UTF_8);
    System.out.println("wrote the cluster section of " + o.out.toAbsolutePath().normalize());
  }

  private static int scale(Options o) {
    return o.quick ? 10 : 1;
  }

  static void measure(Options o, List<Line> lines, List<String> load) throws Throwable {
    int sc = scale(o);
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    String cp = MpiLaunch.ownClassPath();
    load.add(MpiBenchRunner.loadAverage());
    if (o.latency) {
      for (boolean tls : new boolean[] {true, false}) {
        try (IgniteCluster cluster = IgnitePools.start(2, ClusterOptions.defaults().withTls(tls));
            ClusterBaselines raw = new ClusterBaselines(cluster);
            WorkerPool pool =
                WorkerPools.builder()
                    .backend(ClusterProvider.NAME)
                    .property(ClusterProvider.ID, cluster.id())
                    .build()) {
          rounds(raw, pool, tls ? "" : NO_TLS, o.rounds, sc, lines);
        }
        load.add(MpiBenchRunner.loadAverage());
      }
      return;
    }
    // 1. the raw JDK socket between this JVM and two others
    socket(java, cp, sc, lines);
    load.add(MpiBenchRunner.loadAverage());
    // 2. start of a 2-worker cluster from scratch (JVMs, Ignite, join, first apply), then close
    List<Double> starts = new ArrayList<>();
    for (int i = 0; i < (o.quick ? 1 : o.starts); i++) {
      long t0 = System.nanoTime();
      try (WorkerPool pool =
          WorkerPools.builder().backend(ClusterProvider.NAME).workers(2).build()) {
        sink = pool.apply(PoolBenchmarks.TRIVIAL);
        starts.add((System.nanoTime() - t0) / 1e9);
      }
      System.out.printf(Locale.ROOT, "  start of cluster:2 + one apply: %.3f s%n", starts.get(i));
    }
    lines.add(
        summary(
            "start",
            "cluster:2 pool start + first apply",
            starts.stream().mapToDouble(Double::doubleValue).sorted().toArray(),
            "s"));
    load.add(MpiBenchRunner.loadAverage());
    // 3. one cluster (mutual TLS, the default): raw Ignite, the pool, raw Ignite again
    try (IgniteCluster cluster = IgnitePools.start(2, ClusterOptions.defaults());
        ClusterBaselines raw = new ClusterBaselines(cluster)) {
      byte[][] chunks8 = ClusterBaselines.chunks(8L << 20, 4 << 20);
      rawIgnite(raw, "", sc, lines, chunks8);
      try (WorkerPool pool =
          WorkerPools.builder()
              .backend(ClusterProvider.NAME)
              .property(ClusterProvider.ID, cluster.id())
              .build()) {
        poolOps(pool, "", true, sc, lines);
        rounds(raw, pool, "", o.rounds, sc, lines);
      }
      rawIgnite(raw, "", sc, lines, chunks8);
      time(
          lines,
          "pool",
          "w6OpenClose (a pool on the running cluster)",
          "us",
          20,
          200,
          6,
          sc,
          () -> {
            try (WorkerPool p =
                WorkerPools.builder()
                    .backend(ClusterProvider.NAME)
                    .property(ClusterProvider.ID, cluster.id())
                    .build()) {
              return p.apply(PoolBenchmarks.TRIVIAL);
            }
          });
    }
    load.add(MpiBenchRunner.loadAverage());
    // 4. the same without TLS: raw Ignite, the pool's W1-W3, raw Ignite again
    try (IgniteCluster cluster = IgnitePools.start(2, ClusterOptions.defaults().withTls(false));
        ClusterBaselines raw = new ClusterBaselines(cluster)) {
      byte[][] chunks8 = ClusterBaselines.chunks(8L << 20, 4 << 20);
      rawIgnite(raw, NO_TLS, sc, lines, chunks8);
      try (WorkerPool pool =
          WorkerPools.builder()
              .backend(ClusterProvider.NAME)
              .property(ClusterProvider.ID, cluster.id())
              .build()) {
        poolOps(pool, NO_TLS, false, sc, lines);
        rounds(raw, pool, NO_TLS, o.rounds, sc, lines);
      }
      rawIgnite(raw, NO_TLS, sc, lines, chunks8);
    }
    load.add(MpiBenchRunner.loadAverage());
    socket(java, cp, sc, lines);
    load.add(MpiBenchRunner.loadAverage());
  }

  /**
   * Rounds of the raw targeted call, the raw call to both workers, W1 and W2 in turn, so that the
   * pool and its baseline see the same conditions (load, JIT) in each round.
   */
  private static void rounds(
      ClusterBaselines raw, WorkerPool pool, String suffix, int rounds, int sc, List<Line> lines)
      throws Throwable {
    int w = pool.size();
    for (int r = 0; r < rounds; r++) {
      time(
          lines,
          "ignite" + suffix,
          "compute call, targeted (1 worker)",
          "us",
          1000,
          5000,
          2,
          sc,
          () -> raw.call(1));
      time(
          lines,
          "pool" + suffix,
          "w2ApplyOnly",
          "us",
          1000,
          5000,
          2,
          sc,
          () -> pool.applyOnly(w - 1, PoolBenchmarks.TRIVIAL));
      time(
          lines,
          "ignite" + suffix,
          "compute callAsync on both workers, wait for both",
          "us",
          1000,
          5000,
          2,
          sc,
          raw::callAll);
      time(
          lines,
          "pool" + suffix,
          "w1Apply",
          "us",
          1000,
          5000,
          2,
          sc,
          () -> pool.apply(PoolBenchmarks.TRIVIAL));
    }
  }

  private static void socket(String java, String cp, int sc, List<Line> lines) throws Throwable {
    try (SocketEcho.Client a = new SocketEcho.Client(java, cp);
        SocketEcho.Client b = new SocketEcho.Client(java, cp)) {
      time(
          lines,
          "socket",
          "pingpong (1 byte, round trip)",
          "us",
          20_000,
          50_000,
          4,
          sc,
          () -> {
            a.ping();
            return null;
          });
      byte[] data = new byte[8 << 20];
      Arrays.fill(data, (byte) 1);
      time(
          lines,
          "socket",
          "bulk 8 MiB to each of 2 JVMs, acknowledged",
          "ms",
          20,
          100,
          6,
          sc,
          () -> {
            a.bulk(data);
            b.bulk(data);
            return null;
          });
    }
  }

  private static void rawIgnite(
      ClusterBaselines raw, String suffix, int sc, List<Line> lines, byte[][] chunks8)
      throws Throwable {
    String ignite = "ignite" + suffix;
    time(
        lines,
        ignite,
        "compute call, targeted (1 worker)",
        "us",
        2000,
        20_000,
        5,
        sc,
        () -> raw.call(1));
    time(
        lines,
        ignite,
        "compute callAsync on both workers, wait for both",
        "us",
        2000,
        20_000,
        5,
        sc,
        raw::callAll);
    time(
        lines,
        ignite,
        "messaging ping-pong (1 worker)",
        "us",
        2000,
        20_000,
        5,
        sc,
        () -> {
          raw.ping(1);
          return null;
        });
    time(
        lines,
        ignite,
        "messaging bulk 8 MiB to each of 2 workers (4 MiB messages), acknowledged",
        "ms",
        W3_WARM_UP,
        100,
        6,
        sc,
        () -> {
          raw.bulk(chunks8);
          return null;
        });
  }

  private static void poolOps(WorkerPool pool, String suffix, boolean all, int sc, List<Line> lines)
      throws Throwable {
    int w = pool.size();
    String group = "pool" + suffix;
    time(
        lines,
        group,
        "w1Apply",
        "us",
        2000,
        20_000,
        5,
        sc,
        () -> pool.apply(PoolBenchmarks.TRIVIAL));
    time(
        lines,
        group,
        "w2ApplyOnly",
        "us",
        2000,
        20_000,
        5,
        sc,
        () -> pool.applyOnly(w - 1, PoolBenchmarks.TRIVIAL));
    for (int mb : all ? new int[] {8, 80, 64, 256} : new int[] {8, 80}) {
      double[] data = new double[mb * 1024 * 1024 / 8];
      for (int i = 0; i < data.length; i++) {
        data[i] = i * 0.5;
      }
      int warm = mb == 8 ? W3_WARM_UP : mb == 80 ? 5 : 1;
      int iters = mb == 8 ? 100 : mb == 80 ? 20 : 3;
      time(
          lines,
          group,
          "w3Push megabytes=" + mb,
          "ms",
          warm,
          iters,
          mb == 8 ? 6 : 10,
          sc,
          () -> {
            RemoteObject<double[]> h = pool.push(data);
            long id = h.remoteId();
            h.remove();
            return id;
          });
    }
    if (!all) {
      return;
    }
    List<Integer> items = PoolBenchmarks.range(100_000);
    time(
        lines,
        group,
        "w4MapTrivial",
        "ms",
        10,
        100,
        8,
        sc,
        () -> pool.map(PoolBenchmarks.INCREMENT, items));
    List<Integer> spins = PoolBenchmarks.range(200);
    time(
        lines,
        group,
        "w4MapSpin",
        "ms",
        2,
        5,
        30,
        sc,
        () -> pool.map(PoolBenchmarks.SPIN_5MS, spins));
    VectorArray u = VectorArray.zeros(10_000, 1_000);
    for (int i = 0; i < 10_000; i += 97) {
      u.set(i, i % 1000, i);
    }
    time(
        lines,
        group,
        "w5ScatterArray",
        "ms",
        5,
        20,
        8,
        sc,
        () -> {
          RemoteObject<VectorArray> h = pool.scatterArray(u, true);
          long id = h.remoteId();
          h.remove();
          return id;
        });
  }

  private static Line summary(String group, String op, double[] sorted, String unit) {
    return new Line(group, op, sorted.length, sorted[0], CallTimer.median(sorted), unit);
  }

  /**
   * Runs {@code op} {@code warm} times, then times up to {@code iters} runs one by one (fewer when
   * they take more than {@code budgetSeconds} in all).
   */
  static void time(
      List<Line> lines,
      String group,
      String name,
      String unit,
      int warm,
      int iters,
      double budgetSeconds,
      int scale,
      Op op)
      throws Throwable {
    double[] t = CallTimer.time(unit, warm, iters, budgetSeconds, scale, op);
    Line l = summary(group, name, t, unit);
    lines.add(l);
    System.out.printf(
        Locale.ROOT,
        "  %-7s %-75s iters %6d min %10.4f median %10.4f %s%n",
        group,
        name,
        l.iters(),
        l.min(),
        l.median(),
        unit);
  }

  /** The lowest median of the lines of {@code group} and {@code op} (the best run), or NaN. */
  static double best(List<Line> lines, String group, String op) {
    return lines.stream()
        .filter(l -> l.group().equals(group) && l.op().equals(op))
        .mapToDouble(Line::median)
        .min()
        .orElse(Double.NaN);
  }

  /** GB/s of 2 x 8 MiB moved in {@code ms} milliseconds. */
  private static double gb(double ms) {
    return 2 * 8 * 1024 * 1024 / (ms / 1e3) / 1e9;
  }

  private static String yes(boolean met, double measured) {
    return Double.isNaN(measured) ? "not measured" : met ? "yes" : "NO";
  }

  static String report(Options o, List<Line> lines, List<String> load) {
    StringBuilder md = new StringBuilder("## Cluster pool (Apache Ignite 2.17)\n\n");
    md.append("Produced by `./jmor bench cluster")
        .append(o.quick ? " --quick" : "")
        .append(o.starts != 3 ? " --starts " + o.starts : "")
        .append("` on ")
        .append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .append(".\n\n");
    md.append("- Machine: ").append(BenchMain.Machine.describe()).append('\n');
    md.append("- JDK: ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.runtime.version"))
        .append(
            "; worker JVMs: `ClusterOptions.defaults()` (mutual TLS with a fresh key pair), and"
                + " the same `.withTls(false)` for the rows marked \"no TLS\"; loopback only.\n");
    md.append(
        String.format(
            Locale.ROOT,
            "- Load of the machine (other jobs included), 1-minute load average at each step: %s"
                + " on %d cores.%n",
            String.join(" / ", load),
            Runtime.getRuntime().availableProcessors()));
    md.append(
        "- In one invocation, in this order: raw socket, cluster starts, then on one cluster with"
            + " TLS raw Ignite, the pool, rounds of (raw targeted call, W2, raw call to both, W1),"
            + " raw Ignite, then on one cluster without TLS raw Ignite, the pool (W1-W3), rounds,"
            + " raw Ignite, and the raw socket again. Each operation is warmed up, then timed call"
            + " by call; medians (min beside); the targets use the best median of each operation"
            + " (pool and baseline alike).\n\n");
    md.append("### Targets (cluster pool, 2 worker JVMs)\n\n| target | measured | goal | met |\n");
    md.append("|---|---|---|---|\n");
    for (String suffix : List.of(NO_TLS, "")) {
      String tls = suffix.isEmpty() ? "TLS" : "no TLS";
      double rawCall = best(lines, "ignite" + suffix, "compute call, targeted (1 worker)");
      double w1 = best(lines, "pool" + suffix, "w1Apply");
      double w2 = best(lines, "pool" + suffix, "w2ApplyOnly");
      double rawBoth =
          best(lines, "ignite" + suffix, "compute callAsync on both workers, wait for both");
      md.append(
          String.format(
              Locale.ROOT,
              "| %s: `applyOnly` round trip (W2) / raw targeted Ignite compute call (%.1f µs) |"
                  + " %.2f (%.1f µs) | <= %.2f | %s |%n",
              tls,
              rawCall,
              w2 / rawCall,
              w2,
              GOAL_APPLY_VS_RAW,
              yes(w2 / rawCall <= GOAL_APPLY_VS_RAW, w2 / rawCall)));
      md.append(
          String.format(
              Locale.ROOT,
              "| %s: `apply` on 2 workers (W1) / raw targeted Ignite compute calls to both workers"
                  + " at once (%.1f µs) | %.2f (%.1f µs) | <= %.2f | %s |%n",
              tls,
              rawBoth,
              w1 / rawBoth,
              w1,
              GOAL_APPLY_VS_RAW,
              yes(w1 / rawBoth <= GOAL_APPLY_VS_RAW, w1 / rawBoth)));
      md.append(
          String.format(
              Locale.ROOT,
              "| %s: `apply` on 2 workers (W1) vs ipyparallel (about %.0f µs): at least 10×"
                  + " faster | %.1f× | >= 10× | %s |%n",
              tls,
              IPYPARALLEL_APPLY_US,
              IPYPARALLEL_APPLY_US / w1,
              yes(IPYPARALLEL_APPLY_US / w1 >= 10, w1)));
      double push8 = best(lines, "pool" + suffix, "w3Push megabytes=8");
      double gbs = gb(push8);
      double goal = suffix.isEmpty() ? GOAL_PUSH_TLS_GBS : GOAL_PUSH_GBS;
      md.append(
          String.format(
              Locale.ROOT,
              "| %s: `push` of 8 MB to 2 workers (W3), aggregate bandwidth (raw Ignite messaging"
                  + " in this run: %.2f GB/s; raw socket: %.2f GB/s) | %.2f GB/s (%.2f ms) | >="
                  + " %.1f GB/s | %s |%n",
              tls,
              gb(
                  best(
                      lines,
                      "ignite" + suffix,
                      "messaging bulk 8 MiB to each of 2 workers (4 MiB messages), acknowledged")),
              gb(best(lines, "socket", "bulk 8 MiB to each of 2 JVMs, acknowledged")),
              gbs,
              push8,
              goal,
              yes(gbs >= goal, push8)));
    }
    double start = best(lines, "start", "cluster:2 pool start + first apply");
    md.append(
        String.format(
            Locale.ROOT,
            "| start of a 2-worker pool (`cluster:2`, TLS: worker JVMs, join, first `apply`) |"
                + " %.2f s | < %.1f s | %s |%n%n",
            start,
            GOAL_START_S,
            yes(start < GOAL_START_S, start)));
    md.append(
        "### All results\n\n| what | operation | iterations | min | median | unit |\n"
            + "|---|---|---:|---:|---:|---|\n");
    for (Line l : lines) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %.4f | %.4f | %s |%n",
              switch (l.group()) {
                case "socket" -> "raw JDK socket";
                case "ignite" -> "raw Ignite, TLS";
                case "ignite" + NO_TLS -> "raw Ignite, no TLS";
                case "start" -> "start (TLS)";
                case "pool" + NO_TLS -> "cluster pool, no TLS";
                default -> "cluster pool, TLS";
              },
              l.op(),
              l.iters(),
              l.min(),
              l.median(),
              l.unit().equals("us") ? "µs" : l.unit()));
    }
    md.append(
        "\nPool operations as in `PoolBenchmarks` on a `cluster` pool of 2 worker JVMs:"
            + " `w1Apply` (a trivial task on every worker), `w2ApplyOnly` (on the last worker),"
            + " `w3Push` (push of 8 / 80 / 64 / 256 MB of doubles, then remove; default heaps:"
            + " workers `-Xmx512m`), `w4MapTrivial` (100,000 trivial calls), `w4MapSpin` (200"
            + " calls of 5 ms busy spinning; ideal 500 ms), `w5ScatterArray` (10,000 vectors of"
            + " length 1,000, 80 MB, then remove), `w6OpenClose` (open a pool on the running"
            + " cluster, one apply, close); \"start\" opens a `cluster:2` pool from scratch"
            + " (starting the worker JVMs), runs one apply and closes it. Raw Ignite: the same"
            + " nodes, without the pool: `compute(forNodeId(id)).call(closure)`, a messaging"
            + " ping-pong on the worker's request topic, and `byte[]` messages to a listener"
            + " that acknowledges the last byte. Raw socket: this JVM and two `SocketEcho`"
            + " JVMs over loopback (one round trip of 1 byte; 8 MiB to each in turn, one"
            + " acknowledgement each).\n");
    return md.toString();
  }
}
