package org.jmor.parallel.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.jmor.parallel.PoolBuilder;
import org.jmor.parallel.testkit.WorkerPoolContract;
import org.junit.jupiter.api.AfterAll;

/** The contract kit on one cluster of 2 worker JVMs; each pool of the kit is a pool on it. */
class ClusterPoolContractTest extends WorkerPoolContract {
  private IgniteCluster cluster;

  @Override
  protected PoolBuilder configure(PoolBuilder builder) {
    if (cluster == null) {
      try {
        cluster = IgnitePools.start(2, ClusterOptions.defaults());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return builder.backend(ClusterProvider.NAME).property(ClusterProvider.ID, cluster.id());
  }

  @Override
  protected boolean serializes() {
    return true;
  }

  @Override
  protected boolean fixedSize() {
    return true;
  }

  @Override
  protected boolean supportsSplitRule() {
    return true;
  }

  @Override
  protected int[] workerCounts() {
    return new int[] {2};
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      ClusterTestSupport.closeAndCheck(cluster);
    }
  }
}
