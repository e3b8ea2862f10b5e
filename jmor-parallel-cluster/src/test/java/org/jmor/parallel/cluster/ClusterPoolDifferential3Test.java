package org.jmor.parallel.cluster;

/** The differential suite on the shared cluster of 3 worker JVMs. */
class ClusterPoolDifferential3Test extends ClusterPoolDifferentialTest {
  @Override
  int workers() {
    return 3;
  }
}
