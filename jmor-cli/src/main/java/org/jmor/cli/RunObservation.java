package org.jmor.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.jmor.cli.thermalblock.Outputs;
import org.jmor.parallel.events.Recorder;
import org.jmor.parallel.events.TraceFile;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * How a command lets a user watch its run: {@code --trace FILE} writes a timeline of the pool's
 * calls and the algorithm's steps (Trace Event Format, for Perfetto or {@code chrome://tracing})
 * when the run ends, also when it fails. A picocli mixin of every command that runs a pool.
 *
 * <p>The run's {@link Recorder} is on when {@code --trace} is given, or when a JDK Flight Recorder
 * recording runs ({@code java -XX:StartFlightRecording=...}), so that the recording shows the jmor
 * events; otherwise it is {@link Recorder#off()}.
 */
public final class RunObservation {
  @Option(
      names = "--trace",
      paramLabel = "FILE",
      description =
          "Write a timeline of the run to FILE when it ends (Trace Event Format JSON: open it in"
              + " https://ui.perfetto.dev or chrome://tracing): one track per worker and one for"
              + " the caller, each pool call a slice, the greedy's steps with their errors.")
  @Nullable Path trace;

  private Recorder recorder = Recorder.off();

  /** Creates the mixin; picocli sets its options. */
  public RunObservation() {}

  /**
   * Checks the output places, before any work.
   *
   * @throws IllegalArgumentException if the trace file cannot be written (one line naming it)
   */
  public void check() {
    if (trace != null) {
      Outputs.checkFile("--trace", trace);
    }
  }

  /**
   * Returns the run's recorder: {@link Recorder#off()} before {@link #start()}.
   *
   * @return the recorder to give the pool
   */
  public Recorder recorder() {
    return recorder;
  }

  /**
   * Starts observing: creates the recorder (see the class documentation) and the trace file's
   * collector. Call it before the pool opens; close the returned handle after the pool closed,
   * which writes the trace file.
   *
   * @return what writes the trace file on close
   * @throws IllegalArgumentException if the trace file cannot be written
   */
  public Run start() {
    check();
    recorder = trace != null ? Recorder.create() : Recorder.forFlightRecording();
    return new Run(trace != null ? TraceFile.writeTo(recorder, trace) : null);
  }

  /** An observed run: closing it writes the trace file, if any. */
  public static final class Run implements AutoCloseable {
    private final @Nullable TraceFile file;

    Run(@Nullable TraceFile file) {
      this.file = file;
    }

    /**
     * Writes the trace file, if {@code --trace} was given.
     *
     * @throws IOException if it cannot be written
     */
    @Override
    public void close() throws IOException {
      if (file != null) {
        file.close();
      }
    }
  }
}
