package org.jmor.parallel.processes;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jmor.parallel.spi.PoolProvider;
import org.jmor.parallel.spi.PoolSpec;
import org.jmor.parallel.spi.Transport;
import org.jspecify.annotations.Nullable;

/**
 * The {@code processes} backend: {@code N} worker JVMs on this host, connected over loopback
 * sockets ({@link ProcessesTransport}); used only when named ({@code jmor.pool=processes:N}; {@code
 * processes} alone starts one worker per available processor, at least 1).
 *
 * <p>Keys (each also as a system property or an environment variable such as {@code
 * JMOR_PROCESSES_JVM_OPTIONS}):
 *
 * <ul>
 *   <li>{@value #JVM_OPTIONS}: extra JVM options for the workers, separated by spaces (for example
 *       {@code -Xmx1g}); they come after the caller's memory, garbage-collector, module and system
 *       property flags, which the workers inherit.
 *   <li>{@value #START_TIMEOUT} (default 30 s): how long the workers may take to start and connect;
 *       then the start fails with "k of N workers failed to start" and their last log lines.
 *   <li>{@value #HEARTBEAT_TIMEOUT} (default 8 s; {@code none} turns it off): a worker that sends
 *       nothing for that long (it sends a heartbeat several times per timeout, even while a task
 *       runs) counts as lost, so that a frozen or stopped worker process fails the call.
 * </ul>
 *
 * Durations are written {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code
 * PT30S}).
 */
public final class ProcessesProvider implements PoolProvider {
  /** The backend name. */
  public static final String NAME = "processes";

  /** Key: extra JVM options for the workers, separated by spaces. */
  public static final String JVM_OPTIONS = "jmor.processes.jvm-options";

  /** Key: how long the workers may take to start and connect. */
  public static final String START_TIMEOUT = "jmor.processes.start-timeout";

  /** Key: how long a worker may send nothing before it counts as lost; {@code none} for ever. */
  public static final String HEARTBEAT_TIMEOUT = "jmor.processes.heartbeat-timeout";

  private static final Pattern SHORT = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h)");

  /** Creates the provider (for {@link java.util.ServiceLoader}). */
  public ProcessesProvider() {}

  /** Returns {@value #NAME}. */
  /** The keys this backend reads, from where they are declared (for the factory's check). */
  @Override
  public java.util.Set<String> keys() {
    return org.jmor.parallel.spi.ConfigKeys.declaredIn(
        ProcessesProvider.class, ProcessesTransport.class);
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Returns null: a lost worker JVM fails only its own requests, the others go on, and close ends
   * every process (the pool may {@linkplain org.jmor.parallel.OnWorkerLoss#SHRINK shrink}).
   */
  @Override
  public @Nullable String shrinkUnsupported() {
    return null;
  }

  /** Returns {@code "org.jmor:jmor-parallel-processes"}. */
  @Override
  public String module() {
    return "org.jmor:jmor-parallel-processes";
  }

  /**
   * Starts the workers and connects to them.
   *
   * @param spec the number of workers (0: one per available processor) and the {@code
   *     jmor.processes.*} keys
   * @return the transport
   * @throws IllegalArgumentException if a key holds a malformed value (the message names it)
   * @throws IllegalStateException if some workers failed to start (nothing is left running)
   * @throws java.io.IOException if the server socket or a JVM cannot be started
   */
  @Override
  public Transport open(PoolSpec spec) throws java.io.IOException {
    Map<String, String> p = new java.util.HashMap<>(spec.properties());
    for (String key : List.of(JVM_OPTIONS, START_TIMEOUT, HEARTBEAT_TIMEOUT)) {
      String v = spec.config().get(key); // also from JMOR_PROCESSES_JVM_OPTIONS and the like
      if (v != null && !p.containsKey(key)) {
        p.put(key, v);
      }
    }
    int workers =
        spec.workers() > 0
            ? spec.workers()
            : Math.max(1, Runtime.getRuntime().availableProcessors());
    String options = p.getOrDefault(JVM_OPTIONS, "").trim();
    Duration start = duration(p, START_TIMEOUT, Duration.ofSeconds(30));
    return ProcessesTransport.start(
        workers,
        options.isEmpty() ? List.of() : List.of(options.split("\\s+")),
        start == null ? Duration.ofSeconds(30) : start,
        duration(p, HEARTBEAT_TIMEOUT, Duration.ofSeconds(8)));
  }

  /** Parses a duration key; {@code none} and 0 give null. */
  static @Nullable Duration duration(Map<String, String> p, String key, Duration dflt) {
    String v = p.get(key);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    String t = v.trim().toLowerCase(Locale.ROOT);
    if (t.equals("none") || t.equals("0")) {
      return null;
    }
    Matcher m = SHORT.matcher(t);
    try {
      Duration d =
          m.matches()
              ? Duration.of(
                  Long.parseLong(m.group(1)),
                  switch (m.group(2)) {
                    case "ms" -> java.time.temporal.ChronoUnit.MILLIS;
                    case "s" -> java.time.temporal.ChronoUnit.SECONDS;
                    case "m" -> java.time.temporal.ChronoUnit.MINUTES;
                    default -> java.time.temporal.ChronoUnit.HOURS;
                  })
              : Duration.parse(t.toUpperCase(Locale.ROOT));
      if (!d.isNegative()) {
        return d.isZero() ? null : d;
      }
    } catch (DateTimeParseException | ArithmeticException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        key + ": '" + v + "' is not a duration such as 500ms, 30s, 2m, PT30S or none");
  }
}
