package org.jmor.bench;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import org.jmor.parallel.mpi.jni.Mpi;

/**
 * The Java counterpart of {@code jmor-parallel-mpi/src/test/c/mpi_bench.c}, through the internal
 * binding {@link Mpi}: 1-byte ping-pong (one-way latency = round trip / 2) and 8 MiB broadcasts
 * between 2 ranks, each timed between two barriers. Prints on rank 0 lines in the C benchmark's
 * format, {@code impl=java}, one per buffer kind ({@code kind=bytes|doubles|direct}).
 *
 * <p>Run: {@code mpirun -n 2 --bind-to none java -cp <classes> org.jmor.bench.MpiBench [pingpong
 * iterations] [bcast iterations]}; {@code ./jmor bench mpi} runs it beside the C benchmark and the
 * MPI pool's timings, and {@code MpiBenchTest} (C, in jmor-parallel-mpi) and {@code
 * MpiJavaBenchTest} (here) run them with few iterations. (A main program, not a test class, so that
 * the benchmark jar can run it; it only touches {@link Mpi}.)
 */
public final class MpiBench {
  private MpiBench() {}

  /**
   * Runs the benchmark on every rank of a 2-rank job.
   *
   * @param args ping-pong iterations (default 100,000), broadcast iterations (default 200)
   */
  public static void main(String[] args) {
    Mpi.abortOnUncaughtException(4);
    int pp = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int bc = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Mpi.initThread();
    int rank = Mpi.rank();
    if (Mpi.size() < 2) {
      System.err.println("MpiBench needs 2 ranks");
      Mpi.abort(2);
    }
    double[] t = new double[Math.max(pp, bc)];
    pingPong(rank, pp, t, false);
    pingPong(rank, pp, t, true);
    int n = 8 << 20;
    byte[] b = new byte[n];
    double[] d = new double[n / Double.BYTES];
    ByteBuffer buf = ByteBuffer.allocateDirect(n);
    if (rank == 0) {
      Arrays.fill(b, (byte) 7);
      Arrays.fill(d, 7.0);
      buf.put(0, (byte) 7).put(n - 1, (byte) 7);
    }
    for (String kind : new String[] {"bytes", "doubles", "direct"}) {
      for (int i = -5; i < bc; i++) {
        Mpi.barrier();
        long t0 = System.nanoTime();
        switch (kind) {
          case "bytes" -> Mpi.bcast(b, 0, n, 0);
          case "doubles" -> Mpi.bcast(d, 0, d.length, 0);
          default -> Mpi.bcast(buf, n, 0);
        }
        Mpi.barrier();
        if (i >= 0) {
          t[i] = (System.nanoTime() - t0) / 1e6;
        }
      }
      report(rank, "op=bcast kind=" + kind + " bytes=" + n, bc, t, "ms", "%.4f");
    }
    if (b[n - 1] != 7 || d[d.length - 1] != 7.0 || buf.get(n - 1) != 7) {
      throw new AssertionError("bcast delivered wrong data on rank " + rank);
    }
    Mpi.barrier();
    Mpi.finalizeMpi();
  }

  private static void pingPong(int rank, int pp, double[] t, boolean direct) {
    byte[] one = new byte[1];
    ByteBuffer buf = ByteBuffer.allocateDirect(1);
    int warm = pp / 10 + 1000;
    Mpi.barrier();
    for (int i = -warm; i < pp; i++) {
      long t0 = System.nanoTime();
      if (rank == 0) {
        if (direct) {
          Mpi.send(buf, 1, 1, 0);
          Mpi.recv(buf, 1, 1, 0);
        } else {
          Mpi.send(one, 0, 1, 1, 0);
          Mpi.recv(one, 0, 1, 1, 0);
        }
      } else if (rank == 1) {
        if (direct) {
          Mpi.recv(buf, 1, 0, 0);
          Mpi.send(buf, 1, 0, 0);
        } else {
          Mpi.recv(one, 0, 1, 0, 0);
          Mpi.send(one, 0, 1, 0, 0);
        }
      }
      if (i >= 0) {
        t[i] = (System.nanoTime() - t0) / 2 / 1e3;
      }
    }
    report(
        rank,
        "op=pingpong kind=" + (direct ? "direct" : "bytes") + " bytes=1",
        pp,
        t,
        "us",
        "%.3f");
  }

  private static void report(int rank, String what, int n, double[] t, String unit, String fmt) {
    if (rank != 0) {
      return;
    }
    double[] s = Arrays.copyOf(t, n);
    Arrays.sort(s);
    System.out.println(
        String.format(
            Locale.ROOT,
            "mpibench impl=java %s iters=%d min_%s=" + fmt + " median_%s=" + fmt,
            what,
            n,
            unit,
            s[0],
            unit,
            s[n / 2]));
    System.out.flush();
  }
}
