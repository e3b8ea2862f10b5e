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
}
