package org.jmor.parallel.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One cluster of 2 worker JVMs for the contract kit and the differential suite, started on first
 * use and stopped when the test JVM ends (by the cluster's shutdown hook): the start of worker JVMs
 * is the slowest part of these tests.
 */
final class SharedCluster {
  private SharedCluster() {}

  private static IgniteCluster cluster;

  static synchronized IgniteCluster get() {
    if (cluster == null || cluster.isClosed()) {
      try {
        cluster = IgnitePools.start(2, ClusterOptions.defaults());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return cluster;
  }
}
