package org.jmor.parallel.cluster;

import org.jmor.parallel.PoolBuilder;
import org.jmor.parallel.testkit.WorkerPoolContract;

/**
 * The contract kit on the shared cluster of 2 worker JVMs (1 and 3: the subclasses) ({@link
 * SharedCluster}); each pool of the kit is a pool on it.
 */
class ClusterPoolContractTest extends WorkerPoolContract {
  @Override
  protected PoolBuilder configure(PoolBuilder builder) {
    return builder
        .backend(ClusterProvider.NAME)
        .property(ClusterProvider.ID, SharedCluster.get(workers()).id());
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

  /** The size of this class's cluster. */
  int workers() {
    return 2;
  }

  @Override
  protected int[] workerCounts() {
    return new int[] {workers()};
  }
}
