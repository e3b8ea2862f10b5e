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

/** The Ignite configuration of the nodes of a pool cluster: safe defaults for a worker pool. */
final class IgniteNodes {
  private IgniteNodes() {}

  /** Node attribute: the cluster id, so that nodes of other clusters are never used. */
  static final String ATTR_CLUSTER = "jmor.cluster.id";

  /** Node attribute: the worker index of a server node. */
  static final String ATTR_INDEX = "jmor.worker.index";

  /** The topic of requests on the worker nodes. */
  static final String REQUEST_TOPIC = "jmor.request";

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
   * The ports of one cluster: discovery on {@code discovery .. discovery+range-1}, communication on
   * {@code communication .. communication+range-1}, all on loopback.
   */
  record Ports(String host, int discovery, int communication, int range) {
    String addresses() {
      return host + ":" + discovery + ".." + (discovery + range - 1);
    }
  }

  static IgniteConfiguration config(
      String name,
      boolean client,
      String clusterId,
      int index,
      Ports ports,
      String workDir,
      long failureDetectionMillis,
      long regionBytes) {
    IgniteConfiguration cfg = new IgniteConfiguration();
    cfg.setIgniteInstanceName(name);
    cfg.setClientMode(client);
    cfg.setLocalHost(ports.host());
    cfg.setWorkDirectory(workDir);
    cfg.setUserAttributes(Map.of(ATTR_CLUSTER, clusterId, ATTR_INDEX, index));
    cfg.setGridLogger(new WarnLogger());
    cfg.setMetricsLogFrequency(0);
    cfg.setPeerClassLoadingEnabled(false);
    cfg.setFailureDetectionTimeout(failureDetectionMillis);
    cfg.setClientFailureDetectionTimeout(failureDetectionMillis);
    cfg.setIncludeEventTypes(EventType.EVT_NODE_FAILED, EventType.EVT_NODE_LEFT);
    // no REST or thin-client ports: nothing but discovery and communication listens
    cfg.setConnectorConfiguration(null);
    cfg.setClientConnectorConfiguration(null);
    if (client) {
      // the driver is the user's JVM: a critical Ignite failure stops the node, never the JVM
      cfg.setFailureHandler(new StopNodeFailureHandler());
    }

    TcpDiscoveryVmIpFinder finder = new TcpDiscoveryVmIpFinder();
    finder.setAddresses(List.of(ports.addresses()));
    TcpDiscoverySpi discovery = new TcpDiscoverySpi();
    discovery.setIpFinder(finder);
    discovery.setLocalAddress(ports.host());
    discovery.setLocalPort(ports.discovery());
    discovery.setLocalPortRange(ports.range());
    if (client) {
      discovery.setClientReconnectDisabled(true);
    }
    cfg.setDiscoverySpi(discovery);

    TcpCommunicationSpi communication = new TcpCommunicationSpi();
    communication.setLocalAddress(ports.host());
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
