package org.jmor.parallel.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Explicit discovery address lists ({@code host:port} or {@code host:first..last}). */
final class ClusterAddresses {
  private ClusterAddresses() {}

  private static final Pattern ADDRESS =
      Pattern.compile("([^:\\s]+):(\\d{1,5})(?:\\.\\.(\\d{1,5}))?");

  /**
   * Checks a list of addresses.
   *
   * @param addresses the addresses
   * @param source where they come from, for messages
   * @return a copy
   * @throws IllegalArgumentException naming a malformed address
   */
  static List<String> check(List<String> addresses, String source) {
    List<String> out = new ArrayList<>();
    for (String raw : addresses) {
      String a = raw.strip();
      if (a.isEmpty()) {
        continue;
      }
      Matcher m = ADDRESS.matcher(a);
      boolean ok = m.matches();
      if (ok) {
        int first = Integer.parseInt(m.group(2));
        int last = m.group(3) == null ? first : Integer.parseInt(m.group(3));
        ok = first > 0 && last <= 65535 && first <= last;
      }
      if (!ok) {
        throw new IllegalArgumentException(
            source
                + ": '"
                + a
                + "' is not an address such as 10.0.0.2:47500 or 10.0.0.2:47500..47509"
                + " (host:port or host:first..last)");
      }
      out.add(a);
    }
    return List.copyOf(out);
  }

  /**
   * Parses a comma-separated list.
   *
   * @param csv the list
   * @param source where it comes from, for messages
   * @return the addresses
   */
  static List<String> parse(String csv, String source) {
    return check(List.of(csv.split(",")), source);
  }

  static String host(String address) {
    return address.substring(0, address.lastIndexOf(':'));
  }

  static int firstPort(String address) {
    Matcher m = ADDRESS.matcher(address);
    if (!m.matches()) {
      throw new IllegalArgumentException("not an address: " + address);
    }
    return Integer.parseInt(m.group(2));
  }

  /**
   * The address of this host to bind: the first listed address that belongs to this host, else the
   * source address of the route to the first listed address (loopback when the list is on
   * loopback).
   *
   * @param addresses the discovery addresses
   * @return the address, as text
   * @throws IllegalArgumentException if a host cannot be resolved
   */
  static String localBind(List<String> addresses) {
    if (addresses.isEmpty()) {
      return "127.0.0.1";
    }
    List<InetAddress> resolved = new ArrayList<>();
    for (String a : addresses) {
      try {
        resolved.add(InetAddress.getByName(host(a)));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("cannot resolve the host of the address " + a, e);
      }
    }
    for (InetAddress ia : resolved) {
      try {
        if (!ia.isLoopbackAddress() && NetworkInterface.getByInetAddress(ia) != null) {
          return ia.getHostAddress();
        }
      } catch (SocketException e) {
        // not local
      }
    }
    InetAddress first = resolved.get(0);
    if (first.isLoopbackAddress()) {
      return first.getHostAddress();
    }
    try (DatagramSocket s = new DatagramSocket()) {
      s.connect(new InetSocketAddress(first, firstPort(addresses.get(0))));
      InetAddress local = s.getLocalAddress();
      if (local == null || local.isAnyLocalAddress()) {
        throw new IllegalArgumentException(
            "no route from this host to "
                + addresses.get(0)
                + ": give the address to bind (jmor.cluster.bind, --bind)");
      }
      return local.getHostAddress();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a route to " + addresses.get(0), e);
    }
  }

  /**
   * Checks that an address to bind belongs to this host.
   *
   * @param bind the address (or host name)
   * @param option the option that gave it, for the message
   * @throws IllegalArgumentException naming the address and the reason: it cannot be resolved, or
   *     it is not an address of this host (the message lists this host's addresses)
   */
  static void checkLocal(String bind, String option) {
    InetAddress a;
    try {
      a = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(option + " " + bind + ": cannot resolve the host", e);
    }
    if (a.isAnyLocalAddress() || a.isLoopbackAddress()) {
      return;
    }
    try {
      if (NetworkInterface.getByInetAddress(a) != null) {
        return;
      }
    } catch (SocketException e) {
      // reported below
    }
    List<String> own = new ArrayList<>();
    try {
      for (NetworkInterface ni :
          java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress ia : java.util.Collections.list(ni.getInetAddresses())) {
          if (ia instanceof java.net.Inet4Address) {
            own.add(ia.getHostAddress());
          }
        }
      }
    } catch (SocketException e) {
      // the list is only for the message
    }
    java.util.Collections.sort(own);
    throw new IllegalArgumentException(
        option
            + " "
            + bind
            + ": not an address of this host"
            + (own.isEmpty() ? "" : " (its addresses: " + String.join(", ", own) + ")"));
  }

  /**
   * Checks that at least one port of {@code first .. first + range - 1} can be bound on {@code
   * bind} (a node takes the first free one), so that a port in use is reported in one line before
   * the node starts.
   *
   * @param bind the address
   * @param first the first port
   * @param range how many ports
   * @param option the option of the first port, for the message
   * @param rangeOption the option of the range, for the message
   * @throws IllegalArgumentException naming the address, the ports and the reason (for example
   *     {@code address already in use})
   */
  static void checkFreePort(String bind, int first, int range, String option, String rangeOption) {
    InetAddress a;
    try {
      a = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cannot resolve the host " + bind, e);
    }
    String reason = "";
    for (int p = first; p < first + range; p++) {
      try (java.net.ServerSocket s = new java.net.ServerSocket()) {
        s.bind(new InetSocketAddress(a, p), 1);
        return;
      } catch (IOException e) {
        reason = e.getMessage() == null ? "cannot bind" : e.getMessage();
      }
    }
    reason = reason.replaceAll(" \\(Bind failed\\)$", "");
    if (!reason.isEmpty()) {
      reason = Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
    }
    throw new IllegalArgumentException(
        option
            + " "
            + first
            + (range > 1
                ? ": no port of " + first + ".." + (first + range - 1) + " can be bound on "
                : ": port " + first + " cannot be bound on ")
            + bind
            + " ("
            + reason
            + "); give another "
            + option
            + (range > 1 ? "" : " or a larger " + rangeOption)
            + ", or stop what listens there");
  }
}
