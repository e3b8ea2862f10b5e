package org.jmor.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.jmor.parallel.Args;
import org.jmor.parallel.SplitRule;
import org.jmor.parallel.Task;
import org.jmor.parallel.WorkerContext;
import org.jmor.parallel.WorkerPool;

/**
 * The sweep of {@link SweepCommand} in bounded memory: the grid of {@code dampings x frequencies}
 * parameters is never stored. It is processed in chunks of at most {@link #CHUNK} indices; for each
 * chunk every worker gets only the bounds of its index range and computes its parameters from their
 * indices (row-major: the frequency varies fastest, the order of the table), and the rows of the
 * chunk are printed before the next one starts. A grid of one chunk prints exactly as before: the
 * header with the total time, then the table.
 */
final class OscillatorSweep {

  /** The number of parameters computed and printed at a time. */
  static final int CHUNK = 1 << 16;

  private OscillatorSweep() {}

  /** Damping ratio {@code i} of {@code dampings}, evenly from 0.05 to 0.5. */
  static double zeta(long i, int dampings) {
    return 0.05 + 0.45 * i / Math.max(1, dampings - 1);
  }

  /** Driving frequency {@code j} of {@code frequencies}, evenly from 0.5 to 1.5. */
  static double omega(long j, int frequencies) {
    return 0.5 + 1.0 * j / Math.max(1, frequencies - 1);
  }

  /** Runs the sweep on {@code pool} and prints the table to {@code out}. */
  static void run(WorkerPool pool, int dampings, int frequencies, PrintStream out) {
    run(pool, dampings, frequencies, out, CHUNK);
  }

  /**
   * Runs the sweep on {@code pool} in chunks of at most {@code chunk} parameters (the command uses
   * {@link #CHUNK}; tests use small chunks) and prints the table to {@code out}.
   */
  static void run(WorkerPool pool, int dampings, int frequencies, PrintStream out, int chunk) {
    long total = (long) dampings * frequencies;
    long t0 = System.nanoTime();
    for (long from = 0; from < total; from += chunk) {
      int len = (int) Math.min(chunk, total - from);
      int[] bounds = SplitRule.BALANCED.bounds(len, pool.size());
      List<double[]> parts = pool.apply(new Amplitudes(), from, bounds, dampings, frequencies);
      if (from == 0) {
        if (len == total) {
          out.printf(
              Locale.ROOT,
              "%d parameters on %s (%d workers), %.3f s%n",
              total,
              pool,
              pool.size(),
              (System.nanoTime() - t0) / 1e9);
        } else {
          out.printf(
              Locale.ROOT,
              "%d parameters on %s (%d workers), in chunks of %d%n",
              total,
              pool,
              pool.size(),
              chunk);
        }
        out.println("    zeta   omega   amplitude(numeric)   amplitude(exact)   rel. error");
      }
      long k = from;
      for (double[] part : parts) {
        for (double a : part) {
          double zeta = zeta(k / frequencies, dampings);
          double omega = omega(k % frequencies, frequencies);
          double exact = Oscillator.exactAmplitude(zeta, omega);
          out.printf(
              Locale.ROOT,
              "  %6.3f  %6.3f  %19.10f  %17.10f  %11.2e%n",
              zeta,
              omega,
              a,
              exact,
              Math.abs(a - exact) / exact);
          k++;
        }
      }
      out.flush();
    }
    if (total > chunk) {
      out.printf(Locale.ROOT, "%d parameters in %.3f s%n", total, (System.nanoTime() - t0) / 1e9);
    }
  }

  /**
   * Worker task: the numeric amplitudes of this worker's index range of a chunk. Arguments: the
   * chunk's first index (long), the range bounds of all workers within the chunk, the number of
   * dampings and of frequencies.
   */
  static final class Amplitudes implements Task<double[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public double[] run(WorkerContext context, Args args) {
      long from = args.get(0, Long.class);
      int[] bounds = args.get(1, int[].class);
      int dampings = args.get(2, Integer.class);
      int frequencies = args.get(3, Integer.class);
      int w = context.workerIndex();
      double[] out = new double[bounds[w + 1] - bounds[w]];
      for (int i = 0; i < out.length; i++) {
        long k = from + bounds[w] + i;
        out[i] =
            Oscillator.amplitude(
                zeta(k / frequencies, dampings), omega(k % frequencies, frequencies));
      }
      return out;
    }
  }
}
