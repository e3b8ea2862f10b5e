package org.jmor.rb.algorithms;

/**
 * A try-with-resources hook that releases what a greedy search left on a pool's workers (a
 * reductor's {@link org.jmor.rb.reductors.StationaryRBReductor#releaseWorkers()}); its exception is
 * added to the search's own as a suppressed one, never hides it.
 */
@FunctionalInterface
interface Releasing extends AutoCloseable {
  @Override
  void close();
}
