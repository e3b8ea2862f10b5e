package org.jmor.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;

/**
 * pyMOR's {@code MemoryRegion} on Caffeine: values held in this JVM up to a size bound in bytes
 * (pyMOR bounds the number of keys, 1000 by default; a bound in bytes keeps the heap safe for any
 * grid), evicted by Caffeine's W-TinyLFU policy. Values are copied in and out, as pyMOR deep-copies
 * them.
 */
final class MemoryRegion implements CacheRegion {

  private final RegionSpec spec;
  private final CacheStatistics statistics = new CacheStatistics();
  private final Cache<CacheKey, double[]> cache;
  private volatile boolean closed;

  MemoryRegion(RegionSpec spec) {
    this.spec = spec;
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(spec.maxBytes())
            .weigher(
                (CacheKey k, double[] v) -> (int) Math.min(Integer.MAX_VALUE, 64L + 8L * v.length))
            // maintenance on the calling thread: no background threads, evictions happen in put
            .executor(Runnable::run)
            .build();
  }

  @Override
  public RegionSpec spec() {
    return spec;
  }

  @Override
  public CacheStatistics statistics() {
    return statistics;
  }

  @Override
  public double @Nullable [] get(CacheKey key) {
    double[] v = cache.getIfPresent(key);
    return v == null ? null : v.clone();
  }

  @Override
  public void put(CacheKey key, double[] value) {
    if (!closed) {
      cache.put(key, value.clone());
    }
  }

  @Override
  public long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  @Override
  public void clear() {
    cache.invalidateAll();
  }

  @Override
  public void close() {
    closed = true;
    cache.invalidateAll();
    CacheRegions.forget(this);
  }

  @Override
  public String toString() {
    return "cache region " + spec;
  }
}
