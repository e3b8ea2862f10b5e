package org.jmor.dashboard;

import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Objects;
import org.jmor.dashboard.internal.DashboardServer;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.events.Recorder;

/**
 * A live dashboard of a run, served over HTTP to a browser: one page with the task stream per
 * worker (the last minutes, colored by call kind, the caller's algorithm steps on their own lane),
 * the workers' states (busy, idle, lost, closed), the bytes moved, the call-latency histogram and,
 * for a greedy search, the maximum error per extension on a log scale with the current step and its
 * elapsed time. The page is updated live with server-sent events; everything it loads comes from
 * this jar (no CDN).
 *
 * <p>It binds to the loopback address and a random free port by default ({@link DashboardOptions}).
 * Every request must carry the random token of {@link #url()} (128 bits from {@link
 * java.security.SecureRandom}); without it, or with a wrong one, the answer is 403 with no body.
 * Only GET is answered (405 otherwise): the dashboard only reads.
 *
 * <pre>{@code
 * try (WorkerPool pool = WorkerPools.builder().backend("threads").workers(2)
 *         .recorder(Recorder.create()).build();
 *     Dashboard dashboard = Dashboard.start(pool)) {
 *   System.err.println("dashboard: " + dashboard.url());
 *   ... run on the pool ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops the server; until then it keeps the JVM running (the JDK
 * server's dispatcher thread is not a daemon), so close it when the run ends.
 */
public final class Dashboard implements AutoCloseable {
  private final DashboardServer server;

  private Dashboard(DashboardServer server) {
    this.server = server;
  }

  /**
   * Starts a dashboard of the given pool's recorder with the {@linkplain
   * DashboardOptions#defaults() default options} (loopback, a random port). It shows the events
   * recorded from now on.
   *
   * @param pool the pool; its {@link WorkerPool#recorder()} must be on
   * @return the running dashboard
   * @throws IllegalArgumentException if the pool's recorder is off
   * @throws UncheckedIOException if the server cannot bind
   * @throws NullPointerException if the pool is null
   */
  public static Dashboard start(WorkerPool pool) {
    return start(pool, DashboardOptions.defaults());
  }

  /**
   * Starts a dashboard of the given pool's recorder.
   *
   * @param pool the pool; its {@link WorkerPool#recorder()} must be on
   * @param options where to bind and how much to keep
   * @return the running dashboard
   * @throws IllegalArgumentException if the pool's recorder is off
   * @throws UncheckedIOException if the server cannot bind
   * @throws NullPointerException if an argument is null
   */
  public static Dashboard start(WorkerPool pool, DashboardOptions options) {
    Objects.requireNonNull(pool, "pool");
    Recorder recorder = pool.recorder();
    if (!recorder.isOn()) {
      throw new IllegalArgumentException(
          "the dashboard needs a pool that records its calls, but the recorder of pool "
              + pool.backend()
              + " is off: build the pool with PoolBuilder.recorder(Recorder.create()) or"
              + " ParallelPoolOptions.withRecorder(Recorder.create())");
    }
    return start(recorder, options);
  }

  /**
   * Starts a dashboard of the given recorder. It subscribes to the recorder (and unsubscribes on
   * {@link #close()}) and shows the events recorded from now on.
   *
   * @param recorder the recorder, on ({@link Recorder#create()})
   * @param options where to bind and how much to keep
   * @return the running dashboard
   * @throws IllegalArgumentException if the recorder is off
   * @throws UncheckedIOException if the server cannot bind, e.g. the port is taken
   * @throws NullPointerException if an argument is null
   */
  public static Dashboard start(Recorder recorder, DashboardOptions options) {
    Objects.requireNonNull(recorder, "recorder");
    Objects.requireNonNull(options, "options");
    if (!recorder.isOn()) {
      throw new IllegalArgumentException(
          "the dashboard needs a recorder that is on, but this one is off (Recorder.off()):"
              + " give Recorder.create()");
    }
    return new Dashboard(
        DashboardServer.start(
            recorder, options.bindAddress(), options.port(), options.window(), options.refresh()));
  }

  /**
   * Returns the page's URL with its token, e.g. {@code http://127.0.0.1:41234/?token=...}. Where
   * the dashboard binds to every interface, the host is this machine's name.
   *
   * @return the URL
   */
  public URI url() {
    return server.url();
  }

  /**
   * @return the port the dashboard listens on (the chosen one when the options asked for 0)
   */
  public int port() {
    return server.port();
  }

  /**
   * Stops the dashboard: unsubscribes from the recorder, sends every open page an end event (the
   * page then shows that the run ended and stops reconnecting), waits up to 2 s for those to be
   * written and closes the port. Idempotent; blocks at most about 4 s.
   */
  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "Dashboard[port=" + port() + "]";
  }
}
