package org.jmor.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Stack;
import org.jmor.cli.thermalblock.Outputs;
import org.jmor.dashboard.Dashboard;
import org.jmor.dashboard.DashboardOptions;
import org.jmor.parallel.events.Recorder;
import org.jmor.parallel.events.TraceFile;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How a command lets a user watch its run: {@code --trace FILE} writes a timeline of the pool's
 * calls and the algorithm's steps (Trace Event Format, for Perfetto or {@code chrome://tracing})
 * when the run ends, also when it fails. A picocli mixin of every command that runs a pool.
 *
 * <p>{@code --dashboard[=PORT]} serves a live dashboard of the run ({@link Dashboard}) on the
 * loopback address, prints its URL with its token on standard error when the run starts, and stops
 * it when the run ends.
 *
 * <p>The run's {@link Recorder} is on when {@code --trace} or {@code --dashboard} is given, or when
 * a JDK Flight Recorder recording runs ({@code java -XX:StartFlightRecording=...}), so that the
 * recording shows the jmor events; otherwise it is {@link Recorder#off()}.
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

  @Option(
      names = "--dashboard",
      arity = "0..1",
      paramLabel = "PORT",
      preprocessor = PortIfAttached.class,
      description =
          "Show the run live in a browser: serve a dashboard on 127.0.0.1, on a random free port"
              + " or on PORT (--dashboard=PORT), print its URL (with its access token) on"
              + " standard error, stop it when the run ends.")
  @Nullable Integer dashboard;

  @Spec(Spec.Target.MIXEE)
  @Nullable CommandSpec mixee;

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
    if (dashboard != null && (dashboard < 0 || dashboard > 65535)) {
      throw new IllegalArgumentException(
          "--dashboard=" + dashboard + ": the port must be 0 (a random free port) to 65535");
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
   * Starts observing: creates the recorder (see the class documentation), starts the dashboard and
   * prints its URL on the command's standard error (with {@code --dashboard}), and starts the trace
   * file's collector. Call it before the pool opens; close the returned handle after the pool
   * closed, which writes the trace file and stops the dashboard.
   *
   * @return what writes the trace file and stops the dashboard on close
   * @throws IllegalArgumentException if the trace file cannot be written, or the dashboard's port
   *     is out of range or cannot be bound (one line naming it)
   */
  public Run start() {
    check();
    recorder =
        trace != null || dashboard != null ? Recorder.create() : Recorder.forFlightRecording();
    Dashboard board = null;
    if (dashboard != null) {
      try {
        board = Dashboard.start(recorder, DashboardOptions.defaults().withPort(dashboard));
      } catch (UncheckedIOException e) {
        throw new IllegalArgumentException(
            "--dashboard" + (dashboard == 0 ? "" : "=" + dashboard) + ": " + e.getMessage(), e);
      }
      PrintWriter err =
          mixee != null && mixee.commandLine() != null
              ? mixee.commandLine().getErr()
              : new PrintWriter(System.err, true);
      err.println("dashboard: " + board.url());
      err.flush();
    }
    return new Run(trace != null ? TraceFile.writeTo(recorder, trace) : null, board);
  }

  /**
   * {@code --dashboard} takes a port only when attached ({@code --dashboard=8080}), so that {@code
   * --dashboard 3 3 4 10} leaves the numbers to the positional parameters.
   */
  static final class PortIfAttached implements IParameterPreprocessor {
    @Override
    public boolean preprocess(
        Stack<String> args, CommandSpec spec, ArgSpec arg, Map<String, Object> info) {
      if (" ".equals(info.get("separator"))) {
        args.push("0"); // as if --dashboard=0: a random free port
      }
      return false; // picocli goes on with the value
    }
  }

  /**
   * An observed run: closing it writes the trace file, if any, and stops the dashboard, if any.
   * Until then a shutdown hook writes the trace file if the JVM exits first (Ctrl-C and SIGTERM end
   * the CLI through {@code System.exit}; the dashboard's server ends with the JVM).
   */
  public static final class Run implements AutoCloseable {
    private final @Nullable TraceFile file;
    private final @Nullable Thread hook;
    private final @Nullable Dashboard dashboard;

    Run(@Nullable TraceFile file, @Nullable Dashboard dashboard) {
      this.file = file;
      this.dashboard = dashboard;
      if (file == null) {
        this.hook = null;
        return;
      }
      this.hook =
          new Thread(
              () -> {
                try {
                  file.close();
                } catch (IOException | RuntimeException e) {
                  // exiting: nothing else can be done
                }
              },
              "jmor-trace-writer");
      Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Writes the trace file, if {@code --trace} was given, and stops the dashboard, if {@code
     * --dashboard} was given (its open pages get the final state and show that the run ended).
     *
     * @throws IOException if the trace file cannot be written
     */
    @Override
    public void close() throws IOException {
      try {
        closeTrace();
      } finally {
        if (dashboard != null) {
          dashboard.close();
        }
      }
    }

    private void closeTrace() throws IOException {
      if (file == null) {
        return;
      }
      try {
        if (hook != null) {
          Runtime.getRuntime().removeShutdownHook(hook);
        }
      } catch (IllegalStateException exiting) {
        // the JVM is shutting down: the hook writes the file, and close() below does nothing
      }
      file.close();
    }
  }
}
