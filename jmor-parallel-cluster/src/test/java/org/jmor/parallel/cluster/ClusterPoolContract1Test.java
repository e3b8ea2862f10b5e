package org.jmor.parallel.cluster;

/** The contract kit on the shared cluster of 1 worker JVM. */
class ClusterPoolContract1Test extends ClusterPoolContractTest {
  @Override
  int workers() {
    return 1;
  }
}
