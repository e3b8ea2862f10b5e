package org.jmor.bench;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.jmor.parallel.RemoteObject;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import picocli.CommandLine.Option;

/**
 * {@code ./jmor bench processes}: the processes pool (worker JVMs on this host over loopback
 * sockets) beside a raw JDK socket between this JVM and others ({@link SocketEcho}), in one run:
 * the start of a 2-worker pool (build, and build plus the first {@code apply}); the {@code
 * applyOnly} round trip to one worker and {@code apply} on 2 workers against a 1-byte socket
 * ping-pong, with the strict thread pool (the same core and codec, in this JVM) as the floor of the
 * round trip; and a {@code push} of 8 MiB of doubles to 2 workers (then {@code remove}) against 8
 * MiB written to each of 2 echo JVMs at once. Every JVM is first warmed up with {@value
 * #WARM_UP_CALLS} calls of each kind. Latency and bulk rounds alternate, and within a round the
 * ping-pong and {@code applyOnly} alternate in blocks of {@value #ALTERNATE_BLOCK} calls, so that
 * the pool and its baseline see the same machine. Prints a table (min and median of each round),
 * and the voluntary context switches per round trip of the ping-pong and of {@code applyOnly}
 * (thread hops, which do not depend on the machine's load as times do).
 */
final class ProcessesBench {
  private ProcessesBench() {}

  /** apply round trip at most this factor of the raw socket ping-pong (issue 17). */
  static final double GOAL_APPLY_VS_RAW = 1.5;

  /** push of 8 MB to 2 workers: at least this aggregate bandwidth, in GB/s (issue 17). */
  static final double GOAL_PUSH_GBS = 1.5;

  /**
   * The raw ping-pong and {@code applyOnly} are timed in alternating blocks of this many calls
   * ({@link CallTimer#alternate}): timed one after the other, each round's ratio moved with the
   * machine (on this shared 2-core host the raw ping-pong alone had medians of 20, 29 or 35 µs from
   * one block of 500 calls to the next).
   */
  static final int ALTERNATE_BLOCK = 250;

  /** Calls of each kind that warm up every JVM once before the latency rounds. */
  static final int WARM_UP_CALLS = 20_000;

  /**
   * 8 MiB transfers that warm up every JVM once before the rounds, the pool's {@code push} and the
   * raw socket's alike: with only the 20 warm-up transfers of a round, the first round's {@code
   * push} had a median of 17.6–24.2 ms and the later ones 6–10 ms (the three JVMs were still
   * compiling its paths), as in the cluster and MPI harnesses ({@code ClusterBench.W3_WARM_UP}).
   */
  static final int PUSH_WARM_UP = 200;

  /** start of a 2-worker pool: at most this, in seconds (issue 17). */
  static final double GOAL_START_S = 1.0;

  static final class Options {
    @Option(names = "--quick")
    boolean quick;

    @Option(names = "--rounds", paramLabel = "N", converter = BenchArgs.Positive.class)
    int rounds = 3;

    @Option(names = "--starts", paramLabel = "N", converter = BenchArgs.Positive.class)
    int starts = 5;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true)
    boolean help;
  }

  /** The raw socket baseline of a push: {@code bytes} to both echo JVMs at once. */
  private static void bulkToBoth(SocketEcho.Client a, SocketEcho.Client b, byte[] bytes)
      throws java.io.IOException {
    CompletableFuture<Void> other =
        CompletableFuture.runAsync(
            () -> {
              try {
                b.bulk(bytes);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    a.bulk(bytes);
    other.join();
  }

  static void usage() {
    System.out.println(
        "usage: jmor bench processes [--quick] [--rounds N] [--starts N]\n"
            + "  --quick     fewer iterations (a check that everything runs, not figures)\n"
            + "  --rounds N  rounds of latency and bulk, pool and raw socket in turn (default 3)\n"
            + "  --starts N  how many times to start a 2-worker pool from scratch (default 5)");
  }

  private static final List<String> ROWS = new ArrayList<>();

  private static double[] row(String what, String unit, double[] sorted) {
    ROWS.add(
        String.format(
            Locale.ROOT,
            "| %s | %.1f | %.1f | %s | %d |",
            what,
            sorted[0],
            CallTimer.median(sorted),
            unit,
            sorted.length));
    return sorted;
  }

  /**
   * The voluntary context switches (a thread that blocks: each thread hop costs one) of this JVM
   * and its child processes so far, from {@code /proc} (Linux); -1 where it cannot be read. A
   * load-independent measure of a round trip: the raw ping-pong needs 2 (one blocking read on each
   * side).
   */
  static long switches() {
    long n = 0;
    List<Long> pids = new ArrayList<>(List.of(ProcessHandle.current().pid()));
    ProcessHandle.current().descendants().forEach(p -> pids.add(p.pid()));
    for (long pid : pids) {
      try (var tasks = java.nio.file.Files.list(Paths.get("/proc/" + pid + "/task"))) {
        for (Path t : (Iterable<Path>) tasks::iterator) {
          for (String l : java.nio.file.Files.readAllLines(t.resolve("status"))) {
            n +=
                l.startsWith("voluntary_ctxt_switches:")
                    ? Long.parseLong(l.substring(24).trim())
                    : 0;
          }
        }
      } catch (java.io.IOException | java.io.UncheckedIOException | NumberFormatException e) {
        return -1; // no /proc: not Linux (a thread or process that just ended is rare enough)
      }
    }
    return n;
  }

  private static double gbs(double ms) {
    return 2 * 8 * 1024 * 1024 / (ms / 1e3) / 1e9;
  }

  static void main(Path root, List<String> args) throws Exception {
    Options o = new Options();
    if (!BenchArgs.parse("jmor bench processes", o, args)) {
      usage();
      return;
    }
    try {
      measure(o);
    } catch (Exception | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private static void measure(Options o) throws Throwable {
    int sc = o.quick ? 10 : 1;
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    String cp = MpiLaunch.ownClassPath();
    String loadBefore = MpiBenchRunner.loadAverage();
    double[] start = new double[o.quick ? 1 : o.starts];
    double[] first = new double[start.length];
    for (int i = 0; i < start.length; i++) {
      long t0 = System.nanoTime();
      try (WorkerPool pool = WorkerPools.builder().backend("processes").workers(2).build()) {
        start[i] = (System.nanoTime() - t0) / 1e6;
        pool.apply(PoolBenchmarks.TRIVIAL);
        first[i] = (System.nanoTime() - t0) / 1e6;
      }
    }
    Arrays.sort(start);
    Arrays.sort(first);
    row("start of processes:2 (build)", "ms", start);
    row("start of processes:2 (build + first apply)", "ms", first);
    double[] data = new double[8 * 1024 * 1024 / 8];
    for (int i = 0; i < data.length; i++) {
      data[i] = i * 0.5;
    }
    byte[] bytes = new byte[8 * 1024 * 1024];
    List<String> ratios = new ArrayList<>();
    List<String> pushes = new ArrayList<>();
    List<String> hops = new ArrayList<>();
    try (SocketEcho.Client a = new SocketEcho.Client(java, cp);
        SocketEcho.Client b = new SocketEcho.Client(java, cp);
        WorkerPool pool = WorkerPools.builder().backend("processes").workers(2).build();
        WorkerPool strict = WorkerPools.builder().workers(2).strict(true).build()) {
      // one warm-up before the rounds, of every JVM involved: the worker and echo JVMs compile
      // their hot paths with C2 only after some 10,000 calls, so without it the first round
      // measured the workers' JIT (the first of 6 rounds was 6.2x, the others 1.1x-3.8x)
      for (int i = 0; i < WARM_UP_CALLS / sc; i++) {
        a.ping();
        pool.applyOnly(1, PoolBenchmarks.TRIVIAL);
        pool.apply(PoolBenchmarks.TRIVIAL);
        strict.applyOnly(1, PoolBenchmarks.TRIVIAL);
      }
      for (int i = 0; i < PUSH_WARM_UP / sc; i++) {
        pool.push(data).remove();
        bulkToBoth(a, b, bytes);
      }
      for (int r = 0; r < o.rounds; r++) {
        double[][] pair =
            CallTimer.alternate(
                "us",
                2000,
                5000,
                ALTERNATE_BLOCK,
                10,
                sc,
                () -> {
                  a.ping();
                  return null;
                },
                () -> pool.applyOnly(1, PoolBenchmarks.TRIVIAL));
        double[] ping = row("raw socket ping-pong (1 byte, round trip)", "µs", pair[0]);
        double[] one = row("applyOnly round trip (1 worker)", "µs", pair[1]);
        // the context switches of each kind, counted on its own (the alternation mixes them)
        int hopCalls = Math.max(1, 2000 / sc);
        long s0 = switches();
        for (int i = 0; i < hopCalls; i++) {
          a.ping();
        }
        long s1 = switches();
        for (int i = 0; i < hopCalls; i++) {
          pool.applyOnly(1, PoolBenchmarks.TRIVIAL);
        }
        long s2 = switches();
        hops.add(
            s0 < 0 || s2 < 0
                ? "n/a"
                : String.format(
                    Locale.ROOT,
                    "%.2f vs %.2f",
                    (s1 - s0) / (double) hopCalls,
                    (s2 - s1) / (double) hopCalls));
        row(
            "apply on 2 workers",
            "µs",
            CallTimer.time("us", 2000, 5000, 5, sc, () -> pool.apply(PoolBenchmarks.TRIVIAL)));
        row(
            "floor: applyOnly on threads:2 strict (same core and codec, in this JVM)",
            "µs",
            CallTimer.time(
                "us", 2000, 5000, 5, sc, () -> strict.applyOnly(1, PoolBenchmarks.TRIVIAL)));
        ratios.add(
            String.format(
                Locale.ROOT,
                "%.1fx (min %.1fx)",
                CallTimer.median(one) / CallTimer.median(ping),
                one[0] / ping[0]));
        row(
            "raw socket: 8 MiB to each of 2 echo JVMs at once",
            "ms",
            CallTimer.time(
                "ms",
                20,
                100,
                6,
                sc,
                () -> {
                  bulkToBoth(a, b, bytes);
                  return null;
                }));
        double[] push =
            row(
                "push of 8 MiB of doubles to 2 workers, then remove",
                "ms",
                CallTimer.time(
                    "ms",
                    20,
                    100,
                    6,
                    sc,
                    () -> {
                      RemoteObject<double[]> h = pool.push(data);
                      h.remove();
                      return h;
                    }));
        pushes.add(
            String.format(
                Locale.ROOT, "%.2f GB/s (best %.2f)", gbs(CallTimer.median(push)), gbs(push[0])));
      }
    }
    System.out.println("load average before: " + loadBefore);
    System.out.println("load average after:  " + MpiBenchRunner.loadAverage());
    System.out.println("| what | min | median | unit | n |");
    System.out.println("|---|---:|---:|---|---:|");
    ROWS.forEach(System.out::println);
    System.out.printf(
        Locale.ROOT,
        "start of processes:2 (median of builds): %.3f s (goal < %.1f s)%n"
            + "applyOnly / raw ping-pong, medians per round (after a warm-up of %d calls of"
            + " each kind): %s (goal <= %.1fx)%n"
            + "push of 8 MiB to 2 workers, aggregate, median per round: %s (goal >= %.1f GB/s)%n"
            + "voluntary context switches per round trip, raw ping-pong vs applyOnly, per round: %s%n",
        CallTimer.median(start) / 1e3,
        GOAL_START_S,
        WARM_UP_CALLS,
        String.join(", ", ratios),
        GOAL_APPLY_VS_RAW,
        String.join(", ", pushes),
        GOAL_PUSH_GBS,
        String.join(", ", hops));
  }
}
