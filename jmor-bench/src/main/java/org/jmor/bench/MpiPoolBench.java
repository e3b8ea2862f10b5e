package org.jmor.bench;

import java.io.ObjectInputFilter;
import java.util.List;
import java.util.Locale;
import org.jmor.bench.CallTimer.Op;
import org.jmor.parallel.RemoteObject;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.parallel.internal.Commands;
import org.jmor.parallel.internal.FrameCodec;
import org.jmor.parallel.internal.Protocol;
import org.jmor.parallel.internal.WorkerState;
import org.jmor.parallel.spi.Frame;
import org.jmor.vectors.VectorArray;

/**
 * The W1–W6 benchmarks of {@link PoolBenchmarks} on the {@code mpi} pool, as a plain timing harness
 * (JMH forks JVMs, which cannot join an MPI job). Runs on rank 0 of an MPI job under {@link
 * org.jmor.parallel.mpi.MpiMain}, the other ranks serving the pool:
 *
 * <pre>
 * mpirun -n 2 --bind-to none java -cp jmor-benchmarks.jar org.jmor.parallel.mpi.MpiMain \
 *     org.jmor.bench.MpiPoolBench [--quick] [--only w1Apply,w3Push]
 * </pre>
 *
 * ({@code ./jmor bench mpi} does this, beside the C and Java MPI benchmarks.) Every rank is first
 * warmed up with {@value #WARM_UP_CALLS} calls of {@code apply} and of {@code applyOnly}; each
 * operation is warmed up again, then timed one by one; rank 0 prints one line per operation, {@code
 * mpipool op=NAME iters=N min=X median=X unit=U}. The same operations and sizes as {@link
 * PoolBenchmarks}; one more, {@code codec}: the task-serialization cost of one {@code apply} round
 * trip in this JVM (encode the W1 request frame, decode and run it as a worker does, encode the
 * reply, decode it), without any transport; and {@code floorCopy} and {@code floorAlloc}: one
 * {@code System.arraycopy} and one zeroed allocation of W3's 8 MB, which with C's {@code MPI_Bcast}
 * make W3's copy-semantics floor.
 */
public final class MpiPoolBench {
  private MpiPoolBench() {}

  /** Calls of {@code apply} and {@code applyOnly} that warm up every rank before W1. */
  static final int WARM_UP_CALLS = 20_000;

  /**
   * Warm-up pushes of 8 MB before the timed ones. The 20 of before left both ranks compiling the
   * push's paths while it was timed: in a harness of 300 pushes per round after 20,000 warm-up
   * calls, the first round's median was 3.3-9.1 ms and the later rounds' 1.8-3.3 ms.
   */
  static final int W3_WARM_UP = 200;

  /** The line prefix of the results. */
  static final String PREFIX = "mpipool";

  /** How much to scale the iteration counts and time budgets down ({@code --quick}: 10). */
  private static int scale = 1;

  /** Name prefixes of the operations to time ({@code --only w1,w3}); empty: all. */
  private static List<String> only = List.of();

  /**
   * Runs the benchmarks on rank 0 (MpiMain's entry point).
   *
   * @param args {@code --quick} for fewer iterations; {@code --only P1,P2} times only the
   *     operations whose names start with one of the prefixes
   * @return the exit code
   * @throws Throwable what a benchmark throws
   */
  public static int run(String[] args) throws Throwable {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--quick")) {
        scale = 10;
      } else if (a.equals("--only") && i + 1 < args.length) {
        only = List.of(args[++i].split(","));
      } else {
        System.err.println("MpiPoolBench: unknown argument '" + a + "'");
        return 2;
      }
    }
    codec();
    try (WorkerPool pool = WorkerPools.builder().backend("mpi").build()) {
      int w = pool.size();
      System.out.println(PREFIX + " info workers=" + w);
      // warm every rank up first: a rank's JVM compiles its hot paths with C2 only after some
      // 10,000 calls, which the 2,000 warm-up calls of W1 did not reach
      for (int i = 0; i < WARM_UP_CALLS / scale; i++) {
        pool.apply(PoolBenchmarks.TRIVIAL);
        pool.applyOnly(w - 1, PoolBenchmarks.TRIVIAL);
      }
      time("w1Apply", "us", 2000, 20_000, 4, () -> pool.apply(PoolBenchmarks.TRIVIAL));
      time(
          "w2ApplyOnly",
          "us",
          2000,
          20_000,
          4,
          () -> pool.applyOnly(w - 1, PoolBenchmarks.TRIVIAL));
      for (int mb : new int[] {8, 80}) {
        double[] data = new double[mb * 1024 * 1024 / 8];
        for (int i = 0; i < data.length; i++) {
          data[i] = i * 0.5;
        }
        if (mb == 8) {
          // W3's copy-semantics floor, beside the C broadcast: one copy and one zeroed allocation
          double[] target = new double[data.length];
          time(
              "floorCopy megabytes=8",
              "ms",
              20,
              200,
              3,
              () -> {
                System.arraycopy(data, 0, target, 0, data.length);
                return target;
              });
          time("floorAlloc megabytes=8", "ms", 20, 200, 3, () -> new double[data.length]);
        }
        time(
            "w3Push megabytes=" + mb,
            "ms",
            mb == 8 ? W3_WARM_UP : 5,
            mb == 8 ? 200 : 30,
            mb == 8 ? 6 : 8,
            () -> {
              RemoteObject<double[]> h = pool.push(data);
              long id = h.remoteId();
              h.remove();
              return id;
            });
      }
      List<Integer> items = PoolBenchmarks.range(100_000);
      time("w4MapTrivial", "ms", 30, 200, 8, () -> pool.map(PoolBenchmarks.INCREMENT, items));
      List<Integer> spins = PoolBenchmarks.range(200);
      time("w4MapSpin", "ms", 2, 5, 30, () -> pool.map(PoolBenchmarks.SPIN_5MS, spins));
      VectorArray u = VectorArray.zeros(10_000, 1_000);
      for (int i = 0; i < 10_000; i += 97) {
        u.set(i, i % 1000, i);
      }
      time(
          "w5ScatterArray",
          "ms",
          5,
          30,
          8,
          () -> {
            RemoteObject<VectorArray> h = pool.scatterArray(u, true);
            long id = h.remoteId();
            h.remove();
            return id;
          });
    }
    time(
        "w6StartClose",
        "us",
        50,
        500,
        6,
        () -> {
          try (WorkerPool p = WorkerPools.builder().backend("mpi").build()) {
            return p.apply(PoolBenchmarks.TRIVIAL);
          }
        });
    return 0;
  }

  /** The codec cost of one apply round trip to one worker, in this JVM, without a transport. */
  private static void codec() throws Throwable {
    ObjectInputFilter filter = FrameCodec.filter();
    WorkerState worker = new WorkerState(1, 2, 42);
    long[] seq = {0};
    time(
        "codecRequest",
        "us",
        20_000,
        50_000,
        3,
        () -> Protocol.request(++seq[0], Commands.call(PoolBenchmarks.TRIVIAL, new Object[0])));
    time(
        "codec",
        "us",
        20_000,
        50_000,
        3,
        () -> {
          long s = ++seq[0];
          Frame req = Protocol.request(s, Commands.call(PoolBenchmarks.TRIVIAL, new Object[0]));
          Frame reply = Protocol.handle(worker, req, filter);
          return Protocol.decodeReply(reply, s, filter);
        });
  }

  /**
   * Runs {@code op} {@code warm} times, then times up to {@code iters} runs one by one (fewer when
   * they take more than {@code budgetSeconds} in all), and prints the line of {@code name}.
   */
  private static void time(
      String name, String unit, int warm, int iters, double budgetSeconds, Op op) throws Throwable {
    if (!only.isEmpty() && only.stream().noneMatch(name::startsWith)) {
      return;
    }
    double[] s = CallTimer.time(unit, warm, iters, budgetSeconds, scale, op);
    System.out.println(
        String.format(
            Locale.ROOT,
            "%s op=%s iters=%d min=%.4f median=%.4f unit=%s",
            PREFIX,
            name.replace(' ', ','),
            s.length,
            s[0],
            CallTimer.median(s),
            unit));
    System.out.flush();
  }
}
