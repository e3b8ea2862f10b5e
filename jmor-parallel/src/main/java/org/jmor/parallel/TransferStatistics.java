package org.jmor.parallel;

/**
 * Counters of what a pool sent to its workers, for tests and diagnostics. Reading them is cheap and
 * thread-safe; the values only grow (except {@link #liveObjects()}).
 */
public interface TransferStatistics {

  /**
   * Returns how many objects were uploaded to the workers: one per {@code push} that transferred (a
   * repeated push of a pushed {@link org.jmor.base.Immutable} does not), one per scattered slice,
   * and one per task argument sent by value. An {@link org.jmor.base.Immutable} argument that is
   * currently pushed, and a handle, count nothing.
   */
  long uploads();

  /** Returns how many list elements or vectors {@code scatter*} sent to {@code worker}. */
  long scatteredElements(int worker);

  /** Returns how many remote objects (distinct remote ids) are alive on the workers. */
  int liveObjects();

  /** Returns how many commands (calls, stores, removals) were sent, counting once per worker. */
  long commands();
}
