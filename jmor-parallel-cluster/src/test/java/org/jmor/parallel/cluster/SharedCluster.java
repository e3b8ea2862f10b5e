package org.jmor.parallel.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One cluster per size (1, 2 or 3 worker JVMs) for the contract kit and the differential suite,
 * started on first use and stopped when the test JVM ends (by the cluster's shutdown hook): the
 * start of worker JVMs is the slowest part of these tests. A cluster with a dead worker is
 * replaced.
 */
final class SharedCluster {
  private SharedCluster() {}

  private static final Map<Integer, IgniteCluster> CLUSTERS = new HashMap<>();

  /** The shared cluster of 2 workers. */
  static IgniteCluster get() {
    return get(2);
  }

  /** The shared cluster of {@code workers} workers. */
  static synchronized IgniteCluster get(int workers) {
    IgniteCluster cluster = CLUSTERS.get(workers);
    if (cluster != null && !cluster.isClosed() && !allAlive(cluster)) {
      cluster.close();
    }
    if (cluster == null || cluster.isClosed()) {
      try {
        cluster = IgnitePools.start(workers, ClusterOptions.defaults());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      CLUSTERS.put(workers, cluster);
    }
    return cluster;
  }

  /**
   * Stops every shared cluster (they start again on next use): for a test class that needs the
   * machine's cores and memory for clusters of its own.
   */
  static synchronized void closeAll() {
    CLUSTERS.values().forEach(ClusterTestSupport::closeAndCheck);
    CLUSTERS.clear();
  }

  /**
   * Stops every shared cluster but the one of {@code workers} workers: for a test class that uses
   * that one and needs the cores for clusters of its own besides.
   */
  static synchronized void closeAllBut(int workers) {
    CLUSTERS
        .entrySet()
        .removeIf(
            e -> {
              if (e.getKey() == workers) {
                return false;
              }
              ClusterTestSupport.closeAndCheck(e.getValue());
              return true;
            });
  }

  private static boolean allAlive(IgniteCluster cluster) {
    for (int i = 0; i < cluster.size(); i++) {
      if (!ProcessHandle.of(cluster.pid(i)).map(ProcessHandle::isAlive).orElse(false)) {
        return false;
      }
    }
    return true;
  }
}
