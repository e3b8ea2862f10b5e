package org.jmor.cache;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A cache region (pyMOR's {@code CacheRegion}): maps {@link CacheKey}s to {@code double[]} values.
 * Obtained from {@link CacheRegions}.
 *
 * <p>Thread-safe. Values are copied in and out: a caller may modify what it passed to {@link #put}
 * or got from {@link #get}. A region never fails a computation because of its storage: a failed
 * read is a miss, a failed write is skipped, both logged and counted ({@link CacheStatistics}).
 */
public interface CacheRegion extends AutoCloseable {

  /**
   * @return the description by which the region is found or reopened
   */
  RegionSpec spec();

  /**
   * @return this region's counts in this JVM
   */
  CacheStatistics statistics();

  /**
   * Looks a value up. An entry that fails its checks ({@link SnapshotCodec}) is logged, counted as
   * rejected, removed, and not returned.
   *
   * @param key the key
   * @return a new array with the value, or null if there is no usable entry
   */
  double @Nullable [] get(CacheKey key);

  /**
   * Stores a value, replacing any entry of the key. May evict other entries to stay within the
   * region's size bound.
   *
   * @param key the key
   * @param value the value (copied)
   */
  void put(CacheKey key, double[] value);

  /**
   * Returns the cached value of {@code key}, or computes, stores and returns it (pyMOR's {@code
   * cached_method_call}). Counts a hit or a computation. Two threads that miss the same key at the
   * same time both compute it (the results are the same; one entry remains).
   *
   * @param key the key
   * @param compute computes the value; its exceptions propagate and nothing is stored
   * @return the value: the computed array itself, or a new array from the cache
   */
  default double[] getOrCompute(CacheKey key, Supplier<double[]> compute) {
    double[] v = get(key);
    if (v != null) {
      statistics().hit();
      return v;
    }
    double[] computed = compute.get();
    statistics().computed();
    put(key, computed);
    return computed;
  }

  /**
   * Returns whether this region stores anything: false for the region that stands in for one whose
   * database could not be opened (every lookup misses; a warning said why).
   *
   * @return whether the region stores values
   */
  default boolean stores() {
    return true;
  }

  /**
   * @return the number of entries now stored (for a shared persistent region, by every user)
   */
  long size();

  /** Removes every entry (for a persistent region: for every user of its file). */
  void clear();

  /**
   * Closes the region and forgets it in {@link CacheRegions}; a disk region opened by {@link
   * CacheRegions#open} also deletes its directory. Idempotent. Afterwards {@link #get} returns null
   * and {@link #put} does nothing.
   */
  @Override
  void close();
}
