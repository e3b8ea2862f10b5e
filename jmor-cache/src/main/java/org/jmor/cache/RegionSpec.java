package org.jmor.cache;

import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * The description of an open cache region, by which {@link CacheRegions#attach} finds or reopens
 * it: what travels to pool workers instead of an open region (never an open database connection).
 *
 * @param kind the kind of region
 * @param id identifies the region opened by one {@link CacheRegions#open} call (a random UUID), so
 *     that two runs in one JVM have regions, and statistics, of their own
 * @param directory the directory of the SQLite file ({@link RegionKind#DISK} and {@link
 *     RegionKind#PERSISTENT}), or null for {@link RegionKind#MEMORY}
 * @param maxBytes the size bound: of the values held ({@code MEMORY}) or of the stored entries
 *     ({@code DISK}, {@code PERSISTENT}); entries are evicted beyond it
 */
public record RegionSpec(RegionKind kind, String id, @Nullable String directory, long maxBytes)
    implements Serializable {

  /**
   * Checks the components.
   *
   * @throws IllegalArgumentException if {@code maxBytes} is not positive, or the directory is
   *     missing for a disk region or given for a memory region
   */
  public RegionSpec {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("the size bound must be > 0 bytes, got " + maxBytes);
    }
    if ((kind == RegionKind.MEMORY) != (directory == null)) {
      throw new IllegalArgumentException(
          kind == RegionKind.MEMORY
              ? "a memory region has no directory"
              : "a " + kind.pymorName() + " region needs a directory");
    }
  }

  @Override
  public String toString() {
    return kind.pymorName() + (directory == null ? "" : " " + directory);
  }
}
