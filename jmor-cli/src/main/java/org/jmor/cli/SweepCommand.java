package org.jmor.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jmor.parallel.ParallelPoolOptions;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A parameter sweep on the default pool: the steady-state amplitude of a damped, driven oscillator
 * {@code x'' + 2 zeta x' + x = cos(omega t)}, integrated numerically for a grid of damping ratios
 * and driving frequencies and compared with the exact amplitude {@code 1 / sqrt((1 - omega^2)^2 +
 * (2 zeta omega)^2)}.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = "Parameter sweep (damped driven oscillator) on a worker pool; prints a table.")
public final class SweepCommand implements Callable<Integer> {

  @Option(
      names = "--pool",
      description =
          "auto, sequential, threads or threads:N (default: the configuration, -Djmor.pool, "
              + "JMOR_POOL or jmor.properties, else auto)")
  @Nullable String pool;

  @Option(
      names = "--force",
      description =
          "Allow more than "
              + PoolChoice.WORKERS_PER_PROCESSOR
              + " worker threads per available processor.")
  boolean force;

  @Option(names = "--dampings", defaultValue = "4", description = "number of damping ratios")
  int dampings;

  @Option(names = "--frequencies", defaultValue = "5", description = "number of frequencies")
  int frequencies;

  PrintStream out = System.out;

  @Override
  public Integer call() {
    if (dampings < 1 || frequencies < 1) {
      throw new IllegalArgumentException("--dampings and --frequencies must be >= 1");
    }
    // --pool, else the configuration; checked (one parser, bounds, backends) before any work
    ParallelPoolOptions options = PoolChoice.check(pool, force);
    List<double[]> params = new ArrayList<>();
    for (int i = 0; i < dampings; i++) {
      for (int j = 0; j < frequencies; j++) {
        double zeta = 0.05 + 0.45 * i / Math.max(1, dampings - 1);
        double omega = 0.5 + 1.0 * j / Math.max(1, frequencies - 1);
        params.add(new double[] {zeta, omega});
      }
    }
    WorkerPool p = WorkerPools.newParallelPool(options);
    try {
      long t0 = System.nanoTime();
      List<Double> amplitudes =
          p.map((ctx, mu, args) -> Oscillator.amplitude(mu[0], mu[1]), params);
      double seconds = (System.nanoTime() - t0) / 1e9;
      out.printf(
          Locale.ROOT,
          "%d parameters on %s (%d workers), %.3f s%n",
          params.size(),
          p,
          p.size(),
          seconds);
      out.println("    zeta   omega   amplitude(numeric)   amplitude(exact)   rel. error");
      for (int k = 0; k < params.size(); k++) {
        double[] mu = params.get(k);
        double exact = Oscillator.exactAmplitude(mu[0], mu[1]);
        double a = amplitudes.get(k);
        out.printf(
            Locale.ROOT,
            "  %6.3f  %6.3f  %19.10f  %17.10f  %11.2e%n",
            mu[0],
            mu[1],
            a,
            exact,
            Math.abs(a - exact) / exact);
      }
    } finally {
      WorkerPools.resetParallelPool();
    }
    return 0;
  }
}
