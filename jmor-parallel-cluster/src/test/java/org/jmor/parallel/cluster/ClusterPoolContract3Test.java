package org.jmor.parallel.cluster;

/** The contract kit on the shared cluster of 3 worker JVMs. */
class ClusterPoolContract3Test extends ClusterPoolContractTest {
  @Override
  int workers() {
    return 3;
  }
}
