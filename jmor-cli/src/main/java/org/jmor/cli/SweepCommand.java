package org.jmor.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.jmor.parallel.ParallelPoolOptions;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin PoolOptions poolOptions = new PoolOptions();

  @Mixin RunObservation observation = new RunObservation();

  @Option(names = "--dampings", defaultValue = "4", description = "number of damping ratios")
  int dampings;

  @Option(names = "--frequencies", defaultValue = "5", description = "number of frequencies")
  int frequencies;

  PrintStream out = System.out;

  @Override
  public Integer call() throws java.io.IOException {
    if (dampings < 1 || frequencies < 1) {
      throw new IllegalArgumentException("--dampings and --frequencies must be >= 1");
    }
    // --pool, else the configuration; checked (one parser, bounds, backends) before any work
    ParallelPoolOptions options = poolOptions.check();
    try (RunObservation.Run run = observation.start()) {
      WorkerPool p = WorkerPools.newParallelPool(options.withRecorder(observation.recorder()));
      try (ParallelPoolScope reset = new ParallelPoolScope()) {
        // parameters computed from their indices on the workers, chunk by chunk: bounded memory
        OscillatorSweep.run(p, dampings, frequencies, out);
      }
    }
    return 0;
  }
}
