package org.jmor.parallel.cluster;

import java.util.List;
import java.util.Map;
import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.configuration.SystemDataRegionConfiguration;
import org.apache.ignite.events.EventType;
import org.apache.ignite.failure.StopNodeFailureHandler;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;
import org.apache.ignite.ssl.SslContextFactory;
import org.jspecify.annotations.Nullable;

/** The Ignite configuration of the nodes of a pool cluster: safe defaults for a worker pool. */
final class IgniteNodes {
  private IgniteNodes() {}

  /** Node attribute: the cluster id, so that nodes of other clusters are never used. */
  static final String ATTR_CLUSTER = "jmor.cluster.id";

  /** Node attribute: the worker index of a server node. */
  static final String ATTR_INDEX = "jmor.worker.index";

  /** The topic of requests on the worker nodes. */
  static final String REQUEST_TOPIC = "jmor.request";

  /** How often a node retries to find the cluster while it joins (Ignite's default: 2 s). */
  static final int RETRY_MILLIS = 100;

  /** The system properties that keep Ignite quiet and from calling home. */
  static final Map<String, String> QUIET =
      Map.of(
          "IGNITE_UPDATE_NOTIFIER", "false",
          "IGNITE_QUIET", "true",
          "IGNITE_NO_ASCII", "true",
          "IGNITE_PERFORMANCE_SUGGESTIONS_DISABLED", "true",
          "IGNITE_NO_SHUTDOWN_HOOK", "false");

  /** Sets {@link #QUIET} in this JVM where not set already. */
  static void quiet() {
    QUIET.forEach(
        (k, v) -> {
          if (System.getProperty(k) == null) {
            System.setProperty(k, v);
          }
        });
  }

  /**
   * Where a node listens and whom it asks to join: it binds discovery to {@code bind:discovery ..
   * discovery+range-1} and communication to {@code bind:communication .. communication+range-1},
   * and finds the cluster through the explicit list {@code addresses} ({@code host:port} or {@code
   * host:first..last}; no multicast).
   */
  record Net(String bind, int discovery, int communication, int range, List<String> addresses) {
    Net {
      addresses = List.copyOf(addresses);
    }

    /** The net of a cluster on one host: every node binds {@code host}, the list is its ports. */
    static Net local(String host, int discovery, int communication, int range) {
      return new Net(
          host,
          discovery,
          communication,
          range,
          List.of(host + ":" + discovery + ".." + (discovery + range - 1)));
    }
  }

  /**
   * Starts a node of {@link #config}: Ignite's warnings and errors during the start are held back
   * ({@link WarnLogger.Start}), since a failed start says why in its exception.
   *
   * @param cfg the configuration
   * @return the running node
   * @throws org.apache.ignite.IgniteException if the node cannot start
   */
  static org.apache.ignite.Ignite start(IgniteConfiguration cfg) {
    WarnLogger.Start phase = WarnLogger.startOf(cfg);
    try {
      org.apache.ignite.Ignite node = org.apache.ignite.Ignition.start(cfg);
      phase.started();
      return node;
    } catch (RuntimeException | Error e) {
      phase.failed();
      throw e;
    }
  }

  /** The innermost message of a failed start, for one line (Ignite's are nested). */
  static String rootMessage(Throwable e) {
    String msg = e.getMessage();
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        msg = t.getMessage();
      }
    }
    if (msg == null) {
      return e.getClass().getSimpleName();
    }
    int nl = msg.indexOf('\n');
    return (nl < 0 ? msg : msg.substring(0, nl)).strip();
  }

  static IgniteConfiguration config(
      String name,
      boolean client,
      String clusterId,
      int index,
      Net ports,
      String workDir,
      long failureDetectionMillis,
      long regionBytes,
      @Nullable SslContextFactory ssl) {
    IgniteConfiguration cfg = new IgniteConfiguration();
    cfg.setIgniteInstanceName(name);
    cfg.setClientMode(client);
    cfg.setLocalHost(ports.bind());
    cfg.setWorkDirectory(workDir);
    cfg.setUserAttributes(Map.of(ATTR_CLUSTER, clusterId, ATTR_INDEX, index));
    cfg.setGridLogger(new WarnLogger());
    cfg.setMetricsLogFrequency(0);
    // no code travels: workers share the driver's class path (with it on, any node that can join
    // could inject classes)
    cfg.setPeerClassLoadingEnabled(false);
    if (ssl != null) {
      // mutual TLS on discovery and communication (both require the peer's certificate)
      cfg.setSslContextFactory(ssl);
    }
    cfg.setFailureDetectionTimeout(failureDetectionMillis);
    cfg.setClientFailureDetectionTimeout(failureDetectionMillis);
    cfg.setIncludeEventTypes(
        EventType.EVT_NODE_FAILED,
        EventType.EVT_NODE_LEFT,
        EventType.EVT_NODE_SEGMENTED,
        EventType.EVT_CLIENT_NODE_DISCONNECTED);
    // no REST or thin-client ports: nothing but discovery and communication listens
    cfg.setConnectorConfiguration(null);
    cfg.setClientConnectorConfiguration(null);
    if (client) {
      // the driver is the user's JVM: a critical Ignite failure stops the node, never the JVM
      cfg.setFailureHandler(new StopNodeFailureHandler());
    }

    TcpDiscoveryVmIpFinder finder = new TcpDiscoveryVmIpFinder();
    finder.setAddresses(ports.addresses());
    TcpDiscoverySpi discovery = new TcpDiscoverySpi();
    discovery.setIpFinder(finder);
    discovery.setLocalAddress(ports.bind());
    discovery.setLocalPort(ports.discovery());
    discovery.setLocalPortRange(ports.range());
    // a node that finds no other node yet (the JVMs of a cluster start at once) retries every
    // RETRY_MILLIS instead of Ignite's 2 s: the start of a pool no longer waits for that pause
    discovery.setReconnectDelay(RETRY_MILLIS);
    if (client) {
      discovery.setClientReconnectDisabled(true);
    }
    cfg.setDiscoverySpi(discovery);

    TcpCommunicationSpi communication = new TcpCommunicationSpi();
    communication.setLocalAddress(ports.bind());
    communication.setLocalPort(ports.communication());
    communication.setLocalPortRange(ports.range());
    cfg.setCommunicationSpi(communication);

    DataStorageConfiguration storage = new DataStorageConfiguration();
    storage.setDefaultDataRegionConfiguration(
        new DataRegionConfiguration()
            .setName("default")
            .setInitialSize(regionBytes)
            .setMaxSize(regionBytes));
    storage.setSystemDataRegionConfiguration(
        new SystemDataRegionConfiguration()
            .setInitialSize(regionBytes / 2)
            .setMaxSize(regionBytes / 2));
    cfg.setDataStorageConfiguration(storage);
    return cfg;
  }
}
