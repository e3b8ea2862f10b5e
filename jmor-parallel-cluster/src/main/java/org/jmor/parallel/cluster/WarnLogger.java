package org.jmor.parallel.cluster;

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

  WarnLogger() {
    this(LoggerFactory.getLogger("org.apache.ignite"));
  }

  private WarnLogger(Logger log) {
    this.log = log;
  }

  @Override
  public IgniteLogger getLogger(@Nullable Object category) {
    String name =
        category == null
            ? "org.apache.ignite"
            : category instanceof Class<?> c ? c.getName() : String.valueOf(category);
    return new WarnLogger(LoggerFactory.getLogger(name));
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
  };

  @Override
  public void warning(String msg, @Nullable Throwable e) {
    if (msg != null) {
      for (String expected : EXPECTED) {
        if (msg.startsWith(expected)) {
          return;
        }
      }
    }
    log.warn(msg, e);
  }

  @Override
  public void error(String msg, @Nullable Throwable e) {
    log.error(msg, e);
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
