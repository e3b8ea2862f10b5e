/**
 * Snapshot caching, pyMOR's {@code pymor.core.cache}: cache regions that map a {@link
 * org.jmor.cache.CacheKey} (a SHA-256 digest) to a {@code double[]}.
 *
 * <ul>
 *   <li>{@link org.jmor.cache.RegionKind#MEMORY}: in this JVM, bounded by bytes (Caffeine);
 *   <li>{@link org.jmor.cache.RegionKind#DISK}: an SQLite file in a temporary directory of this
 *       run, removed when the region is closed or the JVM exits (pyMOR clears its disk region at
 *       start and exit);
 *   <li>{@link org.jmor.cache.RegionKind#PERSISTENT}: an SQLite file under the user's cache home
 *       that survives between runs and may be shared by concurrent runs.
 * </ul>
 *
 * <p>Values on disk carry a header and a checksum ({@link org.jmor.cache.SnapshotCodec}); an entry
 * that is corrupted, truncated, of another format version or stored under another key is never
 * returned: it counts as a miss and is recomputed. Regions are opened by their description ({@link
 * org.jmor.cache.RegionSpec}) through {@link org.jmor.cache.CacheRegions}, which shares one open
 * region per description in a JVM, so an object that carries only the description (such as the
 * cached thermal-block model of {@code jmor-thermalblock}) can travel to pool workers and reopen
 * its region there.
 */
@NullMarked
package org.jmor.cache;

import org.jspecify.annotations.NullMarked;
