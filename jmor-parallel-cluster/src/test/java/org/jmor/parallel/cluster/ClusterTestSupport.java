package org.jmor.parallel.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class ClusterTestSupport {
  private ClusterTestSupport() {}

  /** Closes the cluster and checks that none of its worker JVMs is left. */
  static void closeAndCheck(IgniteCluster cluster) {
    List<Long> pids = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      pids.add(cluster.pid(i));
    }
    cluster.close();
    for (long pid : pids) {
      Optional<ProcessHandle> h = ProcessHandle.of(pid);
      assertTrue(h.isEmpty() || !h.get().isAlive(), "worker JVM " + pid + " is still alive");
    }
  }
}
