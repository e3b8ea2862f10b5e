package org.jmor.dashboard;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how a {@link Dashboard} serves: the address and port it binds, how many minutes of the
 * task stream it keeps, and how often it pushes an update to the page. Immutable; every {@code
 * with...} method returns a copy.
 */
public final class DashboardOptions {
  private static final DashboardOptions DEFAULTS =
      new DashboardOptions(
          InetAddress.getLoopbackAddress(), 0, Duration.ofMinutes(5), Duration.ofMillis(500));

  private final InetAddress bindAddress;
  private final int port;
  private final Duration window;
  private final Duration refresh;

  private DashboardOptions(InetAddress bindAddress, int port, Duration window, Duration refresh) {
    this.bindAddress = bindAddress;
    this.port = port;
    this.window = window;
    this.refresh = refresh;
  }

  /**
   * Returns the defaults: the loopback address ({@code 127.0.0.1}), a random free port, a window of
   * 5 minutes and an update every 500 ms.
   *
   * @return the default options
   */
  public static DashboardOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a copy that binds to the given port.
   *
   * @param port the TCP port, 0 for a random free one
   * @return the copy
   * @throws IllegalArgumentException if the port is not in 0..65535
   */
  public DashboardOptions withPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "dashboard port " + port + " is out of range: give 0 (a random free port) to 65535");
    }
    return new DashboardOptions(bindAddress, port, window, refresh);
  }

  /**
   * Returns a copy that binds to the given address instead of the loopback address. Anyone who can
   * reach that address and knows the token can read the run.
   *
   * @param address the address, e.g. {@code InetAddress.getByName("0.0.0.0")} for every interface
   * @return the copy
   * @throws NullPointerException if the address is null
   */
  public DashboardOptions withBindAddress(InetAddress address) {
    return new DashboardOptions(Objects.requireNonNull(address, "address"), port, window, refresh);
  }

  /**
   * Returns a copy that keeps the task stream of the given last span of time.
   *
   * @param window the span, at least one second
   * @return the copy
   * @throws IllegalArgumentException if the span is shorter than one second
   * @throws NullPointerException if the span is null
   */
  public DashboardOptions withWindow(Duration window) {
    if (window.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "dashboard window " + window + " is too short: give at least one second");
    }
    return new DashboardOptions(bindAddress, port, window, refresh);
  }

  /**
   * Returns a copy that pushes an update to the open pages at the given interval.
   *
   * @param refresh the interval, 50 ms to 1 minute
   * @return the copy
   * @throws IllegalArgumentException if the interval is outside 50 ms to 1 minute
   * @throws NullPointerException if the interval is null
   */
  public DashboardOptions withRefresh(Duration refresh) {
    if (refresh.compareTo(Duration.ofMillis(50)) < 0
        || refresh.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException(
          "dashboard refresh " + refresh + " is out of range: give 50 ms to 1 minute");
    }
    return new DashboardOptions(bindAddress, port, window, refresh);
  }

  /**
   * @return the address the server binds to
   */
  public InetAddress bindAddress() {
    return bindAddress;
  }

  /**
   * @return the port the server binds to, 0 for a random free one
   */
  public int port() {
    return port;
  }

  /**
   * @return the span of time the task stream keeps
   */
  public Duration window() {
    return window;
  }

  /**
   * @return the interval of the updates pushed to the page
   */
  public Duration refresh() {
    return refresh;
  }

  @Override
  public String toString() {
    return "DashboardOptions[bind="
        + bindAddress.getHostAddress()
        + ", port="
        + port
        + ", window="
        + window
        + ", refresh="
        + refresh
        + "]";
  }
}
