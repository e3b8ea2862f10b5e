package org.jmor.cli.thermalblock;

import java.io.IOException;
import java.util.function.Function;
import org.jmor.cli.ParallelPoolScope;
import org.jmor.cli.RunObservation;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.events.Recorder;

/**
 * The frame of a command that computes on a worker pool, shared by {@code thermalblock} and {@code
 * analyze-pickle}: starts the observation ({@code --trace}, {@code --dashboard}), opens the pool
 * with the run's recorder, runs the body, and resets the process-wide parallel pool and ends the
 * observation at the end, in this order, whatever the body throws.
 */
final class PooledRun {
  private PooledRun() {}

  /** What runs on the pool. */
  interface Body {
    /**
     * Runs on the pool.
     *
     * @param workers the open pool
     * @return the exit code
     * @throws IOException if an output cannot be written
     */
    int run(WorkerPool workers) throws IOException;
  }

  /**
   * Runs {@code body} on the pool that {@code open} opens.
   *
   * @param observation the run's observation options, checked before
   * @param open opens the pool with the run's recorder; its exceptions (a bad pool choice) pass
   * @param body the work
   * @return the body's exit code
   * @throws IOException from the body, or if the trace cannot be written
   */
  static int run(RunObservation observation, Function<Recorder, WorkerPool> open, Body body)
      throws IOException {
    try (RunObservation.Run observed = observation.start()) {
      WorkerPool workers = open.apply(observation.recorder());
      try (ParallelPoolScope reset = new ParallelPoolScope()) {
        return body.run(workers);
      }
    }
  }
}
