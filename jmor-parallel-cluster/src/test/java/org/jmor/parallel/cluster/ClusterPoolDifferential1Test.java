package org.jmor.parallel.cluster;

/** The differential suite on the shared cluster of 1 worker JVM. */
class ClusterPoolDifferential1Test extends ClusterPoolDifferentialTest {
  @Override
  int workers() {
    return 1;
  }
}
