package org.jmor.cache;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a region did in this JVM since it was opened: lookups answered from the cache (hits: the
 * computations saved), values computed after a miss, entries rejected (corrupted, truncated,
 * foreign or of another version: recomputed, never used), and storage errors (a failed read or
 * write, logged and treated as a miss or skipped).
 *
 * <p>Thread-safe; the counts only grow.
 */
public final class CacheStatistics {
  private final LongAdder hits = new LongAdder();
  private final LongAdder computed = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder errors = new LongAdder();

  CacheStatistics() {}

  void hit() {
    hits.increment();
  }

  void computed() {
    computed.increment();
  }

  void rejected() {
    rejected.increment();
  }

  void error() {
    errors.increment();
  }

  /**
   * @return lookups answered from the cache: the computations it saved
   */
  public long hits() {
    return hits.sum();
  }

  /**
   * @return values computed because the cache had none (or only a rejected one)
   */
  public long computedCount() {
    return computed.sum();
  }

  /**
   * @return entries found but rejected as corrupted, truncated, foreign or of another version
   */
  public long rejectedCount() {
    return rejected.sum();
  }

  /**
   * @return reads or writes of the storage that failed (logged; the value was computed or not
   *     stored)
   */
  public long errorCount() {
    return errors.sum();
  }

  @Override
  public String toString() {
    return hits()
        + " hits, "
        + computedCount()
        + " computed, "
        + rejectedCount()
        + " rejected, "
        + errorCount()
        + " errors";
  }
}
