package org.jmor.cli;

import java.io.PrintWriter;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns resource exhaustion anywhere in a run (the heap, native threads), on the caller's thread or
 * wrapped by a worker pool, into one line on standard error and exit code 1, instead of a stack
 * trace: what ran out, the heap limit in effect, and what to do.
 */
public final class ResourceExhaustion {

  /** The exit code of a run that ran out of a resource. */
  public static final int EXIT_CODE = 1;

  private ResourceExhaustion() {}

  /**
   * Finds an {@link OutOfMemoryError} (which is also how the JVM reports a failure to create a
   * thread) in {@code t}, its causes or its suppressed exceptions.
   *
   * @param t the throwable
   * @return the error, or null if there is none
   */
  public static OutOfMemoryError find(Throwable t) {
    return find(t, new IdentityHashMap<>());
  }

  private static OutOfMemoryError find(Throwable t, Map<Throwable, Boolean> seen) {
    if (t == null || seen.put(t, Boolean.TRUE) != null) {
      return null;
    }
    if (t instanceof OutOfMemoryError oom) {
      return oom;
    }
    OutOfMemoryError found = find(t.getCause(), seen);
    if (found != null) {
      return found;
    }
    for (Throwable s : t.getSuppressed()) {
      found = find(s, seen);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /**
   * The one-line message for {@code error}.
   *
   * @param error the error
   * @param maxHeap the heap limit in bytes
   * @return the message, without the command name
   */
  public static String message(OutOfMemoryError error, long maxHeap) {
    String what = error.getMessage() == null ? "" : error.getMessage();
    String limit = gigabytes(maxHeap);
    if (what.contains("native thread") || what.contains("thread")) {
      return "could not create a thread ("
          + what
          + "; heap limit "
          + limit
          + "): use fewer workers (--pool threads:N) or raise the process limits (ulimit -u)";
    }
    String kind = what.isEmpty() ? "memory" : "memory (" + what + ")";
    return "ran out of "
        + kind
        + " with a heap limit of "
        + limit
        + ": raise it with JMOR_JAVA_OPTS=-Xmx"
        + Math.max(1, (long) Math.ceil(2.0 * maxHeap / (1L << 30)))
        + "g, or use a smaller --grid/--test";
  }

  /**
   * Reports {@code t} in one line on {@code err} if it is (or wraps) resource exhaustion.
   *
   * @param command the name to start the line with, e.g. {@code thermalblock}
   * @param t what was thrown
   * @param err where the line goes
   * @return {@link #EXIT_CODE} if it was reported, null if {@code t} is something else
   */
  public static Integer report(String command, Throwable t, PrintWriter err) {
    OutOfMemoryError oom = find(t);
    if (oom == null) {
      return null;
    }
    err.println(command + ": " + message(oom, Runtime.getRuntime().maxMemory()));
    err.flush();
    return EXIT_CODE;
  }

  private static String gigabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
  }
}
