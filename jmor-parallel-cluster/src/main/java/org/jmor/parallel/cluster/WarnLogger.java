package org.jmor.parallel.cluster;

import java.util.ArrayList;
import java.util.List;
import org.apache.ignite.IgniteLogger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ignite's log routed through SLF4J at WARN and above: Ignite's info and debug output (its start
 * banner, topology snapshots) is dropped whatever the SLF4J configuration says.
 */
final class WarnLogger implements IgniteLogger {
  private final Logger log;
  private final Start start;

  WarnLogger() {
    this(LoggerFactory.getLogger("org.apache.ignite"), new Start());
  }

  private WarnLogger(Logger log, Start start) {
    this.log = log;
    this.start = start;
  }

  /**
   * The start of one node, shared by all its loggers: while it runs, Ignite's warnings and errors
   * are held back, since a failed start reports itself in one line (the exception's message, its
   * stack trace for those who ask) and Ignite's own account of it is a hundred lines of stack
   * traces. Once the start has ended, held errors are logged (held warnings at DEBUG) if the node
   * runs, all of them at DEBUG if it failed.
   */
  static final class Start {
    private static final int MAX_HELD = 200;
    private final List<Held> held = new ArrayList<>();
    private boolean holding = true;

    private record Held(Logger log, boolean error, @Nullable String msg, @Nullable Throwable e) {}

    private synchronized boolean hold(
        Logger log, boolean error, @Nullable String msg, @Nullable Throwable e) {
      if (!holding) {
        return false;
      }
      if (held.size() < MAX_HELD) {
        held.add(new Held(log, error, msg, e));
      }
      return true;
    }

    private List<Held> release() {
      synchronized (this) {
        holding = false;
        List<Held> out = List.copyOf(held);
        held.clear();
        return out;
      }
    }

    /** The node runs: logs the held errors at ERROR and the held warnings at DEBUG. */
    void started() {
      for (Held h : release()) {
        if (h.error()) {
          h.log().error(h.msg(), h.e());
        } else {
          h.log().debug(h.msg(), h.e());
        }
      }
    }

    /** The start failed (its exception says why): logs what was held at DEBUG. */
    void failed() {
      for (Held h : release()) {
        h.log().debug(h.msg(), h.e());
      }
    }
  }

  /** The start of the node that {@code cfg} configures (its logger must be a WarnLogger). */
  static Start startOf(org.apache.ignite.configuration.IgniteConfiguration cfg) {
    return ((WarnLogger) java.util.Objects.requireNonNull(cfg.getGridLogger())).start;
  }

  @Override
  public IgniteLogger getLogger(@Nullable Object category) {
    String name =
        category == null
            ? "org.apache.ignite"
            : category instanceof Class<?> c ? c.getName() : String.valueOf(category);
    return new WarnLogger(LoggerFactory.getLogger(name), start);
  }

  @Override
  public void trace(String msg) {}

  @Override
  public void debug(String msg) {}

  @Override
  public void info(String msg) {}

  /** Warnings that Ignite gives about settings this library chose on purpose. */
  private static final String[] EXPECTED = {
    "Please set system property '-Djava.net.preferIPv4Stack=true'",
    "Initial heap size is",
    "Message queue limit is set to 0",
    "Local node's value of 'java.net.preferIPv4Stack'",
    "User or internal attribute has the same name as environment or system property",
    // TLS: a peer that closes without close_notify (a node stopping)
    "Failed to shutdown socket: closing inbound before receiving peer's close_notify",
    // a node that joins while the cluster activates itself (the nodes of a cluster start at
    // once, and an in-memory cluster activates when its first server starts) receives the end of
    // an activation whose start it did not see; it takes the state from the join data instead
    "Received state finish message with unexpected ID",
  };

  @Override
  public void warning(String msg, @Nullable Throwable e) {
    if (msg != null) {
      for (String expected : EXPECTED) {
        if (msg.startsWith(expected)) {
          log.debug(msg, e);
          return;
        }
      }
    }
    if (!start.hold(log, false, msg, e)) {
      log.warn(msg, e);
    }
  }

  @Override
  public void error(String msg, @Nullable Throwable e) {
    if (!start.hold(log, true, msg, e)) {
      log.error(msg, e);
    }
  }

  @Override
  public boolean isTraceEnabled() {
    return false;
  }

  @Override
  public boolean isDebugEnabled() {
    return false;
  }

  @Override
  public boolean isInfoEnabled() {
    return false;
  }

  @Override
  public boolean isQuiet() {
    return false; // else Ignite prints its "quiet" lines to standard output
  }

  @Override
  public @Nullable String fileName() {
    return null;
  }
}
