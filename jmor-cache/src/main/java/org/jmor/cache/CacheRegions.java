package org.jmor.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jmor.base.IoReasons;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens cache regions and finds them by their description (pyMOR's module-level {@code
 * cache_regions}).
 *
 * <ul>
 *   <li>{@link #open} opens a new region for a run: a memory region, a disk region in a new
 *       temporary directory, or a connection to the persistent cache file. Each call gives a region
 *       of its own (its own statistics, its own database connection), registered in this JVM under
 *       its {@link RegionSpec} until it is closed.
 *   <li>{@link #attach} returns the registered region of a description, or, in another JVM (a pool
 *       worker that received an object carrying the description), opens one: an empty memory
 *       region, or a new connection to the same SQLite file.
 * </ul>
 *
 * <p>Default locations and sizes (pyMOR's {@code default_regions}): the persistent region lives in
 * {@code $XDG_CACHE_HOME/jmor}, else {@code ~/.cache/jmor}; the system property {@value
 * #DIRECTORY_PROPERTY} overrides it. Disk and persistent regions hold at most 1 GiB of entries
 * (pyMOR's {@code disk_max_size}; system property {@value #DISK_MAX_BYTES_PROPERTY}), the memory
 * region an eighth of the maximum heap ({@value #MEMORY_MAX_BYTES_PROPERTY}). Regions still open
 * when the JVM exits are closed then, and disk regions' directories deleted (pyMOR clears its
 * non-persistent regions at exit).
 *
 * <p>Thread-safe.
 */
public final class CacheRegions {

  private static final Logger LOG = LoggerFactory.getLogger(CacheRegions.class);

  /** The system property that sets the directory of the persistent region. */
  public static final String DIRECTORY_PROPERTY = "jmor.cache.dir";

  /** The system property that sets the size bound of disk and persistent regions, in bytes. */
  public static final String DISK_MAX_BYTES_PROPERTY = "jmor.cache.disk.maxBytes";

  /** The system property that sets the size bound of memory regions, in bytes. */
  public static final String MEMORY_MAX_BYTES_PROPERTY = "jmor.cache.memory.maxBytes";

  private static final Map<RegionSpec, CacheRegion> OPEN = new ConcurrentHashMap<>();
  private static final Set<String> CLOSED = ConcurrentHashMap.newKeySet();
  private static volatile boolean hookInstalled;

  private CacheRegions() {}

  /**
   * The directory of the persistent region: the system property {@value #DIRECTORY_PROPERTY}, else
   * {@code $XDG_CACHE_HOME/jmor} (if that variable is an absolute path, as the XDG specification
   * requires), else {@code ~/.cache/jmor}.
   *
   * @return the directory (not created)
   * @throws IllegalArgumentException if the property is empty or not a valid path
   */
  public static Path defaultPersistentDirectory() {
    String p = System.getProperty(DIRECTORY_PROPERTY);
    if (p != null) {
      if (p.isBlank()) {
        throw new IllegalArgumentException(DIRECTORY_PROPERTY + " is empty");
      }
      try {
        return Path.of(p);
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException(DIRECTORY_PROPERTY + ": not a path: " + p, e);
      }
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isEmpty()) {
      try {
        Path x = Path.of(xdg);
        if (x.isAbsolute()) {
          return x.resolve("jmor");
        }
      } catch (InvalidPathException e) {
        // ignored, as the XDG specification says for an invalid value
      }
    }
    return Path.of(System.getProperty("user.home"), ".cache", "jmor");
  }

  private static long bytesProperty(String name, long fallback) {
    String v = System.getProperty(name);
    if (v == null) {
      return fallback;
    }
    try {
      long b = Long.parseLong(v.trim());
      if (b > 0) {
        return b;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be a number of bytes > 0, got '" + v + "'");
  }

  /**
   * Opens a new region for a run.
   *
   * @param kind the kind of region
   * @param persistentDirectory the directory of a persistent region, or null for {@link
   *     #defaultPersistentDirectory()}; ignored for other kinds
   * @return the open region; close it at the end of the run
   * @throws IllegalArgumentException if a size property is malformed, or the directory of the
   *     persistent region (or the temporary directory of a disk region) cannot be created; the
   *     message names it and says why
   */
  public static CacheRegion open(RegionKind kind, @Nullable Path persistentDirectory) {
    String id = UUID.randomUUID().toString();
    long diskMax = bytesProperty(DISK_MAX_BYTES_PROPERTY, 1L << 30);
    CacheRegion region =
        switch (kind) {
          case MEMORY ->
              new MemoryRegion(
                  new RegionSpec(
                      kind,
                      id,
                      null,
                      bytesProperty(
                          MEMORY_MAX_BYTES_PROPERTY, Runtime.getRuntime().maxMemory() / 8)));
          case DISK -> {
            Path dir;
            try {
              dir = Files.createTempDirectory("jmor-cache-");
            } catch (IOException e) {
              throw new IllegalArgumentException(
                  "cannot create a temporary directory for the disk cache region in "
                      + System.getProperty("java.io.tmpdir")
                      + ": "
                      + IoReasons.reason(e, Path.of(System.getProperty("java.io.tmpdir"))),
                  e);
            }
            yield sqlite(new RegionSpec(kind, id, dir.toString(), diskMax), true);
          }
          case PERSISTENT -> {
            Path dir =
                (persistentDirectory != null ? persistentDirectory : defaultPersistentDirectory())
                    .toAbsolutePath();
            try {
              Files.createDirectories(dir);
            } catch (IOException e) {
              throw new IllegalArgumentException(
                  "cannot create the cache directory " + dir + ": " + IoReasons.reason(e, dir), e);
            }
            if (!Files.isWritable(dir)) {
              throw new IllegalArgumentException(
                  "cannot write to the cache directory " + dir + ": permission denied");
            }
            yield sqlite(new RegionSpec(kind, id, dir.toString(), diskMax), false);
          }
        };
    register(region);
    return region;
  }

  /**
   * Returns the region of a description: the one registered in this JVM, or a newly opened one (an
   * empty memory region; a new connection to the SQLite file of a disk or persistent region). A
   * region whose file cannot be opened becomes a region that stores nothing (logged as a warning).
   * A description whose region was closed in this JVM gives a region that stores nothing.
   *
   * @param spec the description
   * @return the region; shared, so the caller does not close it
   */
  public static CacheRegion attach(RegionSpec spec) {
    CacheRegion r = OPEN.get(spec);
    if (r != null) {
      return r;
    }
    if (CLOSED.contains(spec.id())) {
      return new UnusableRegion(spec);
    }
    synchronized (OPEN) {
      r = OPEN.get(spec);
      if (r == null) {
        r = spec.kind() == RegionKind.MEMORY ? new MemoryRegion(spec) : sqlite(spec, false);
        register(r);
      }
      return r;
    }
  }

  private static CacheRegion sqlite(RegionSpec spec, boolean ownsDirectory) {
    try {
      return new SqliteRegion(spec, ownsDirectory);
    } catch (SQLException e) {
      LOG.warn(
          "cache ({}): the database {} cannot be used ({}); running without the cache. Delete the"
              + " file to start a new cache.",
          spec,
          Path.of(java.util.Objects.requireNonNull(spec.directory()))
              .resolve(SqliteRegion.FILE_NAME),
          e.getMessage());
      if (ownsDirectory) {
        SqliteRegion.deleteRecursively(Path.of(spec.directory()));
      }
      return new UnusableRegion(spec);
    }
  }

  private static void register(CacheRegion region) {
    OPEN.put(region.spec(), region);
    if (!hookInstalled) {
      synchronized (CacheRegions.class) {
        if (!hookInstalled) {
          Runtime.getRuntime()
              .addShutdownHook(new Thread(CacheRegions::closeAll, "jmor-cache-shutdown"));
          hookInstalled = true;
        }
      }
    }
  }

  static void forget(CacheRegion region) {
    CLOSED.add(region.spec().id());
    OPEN.remove(region.spec(), region);
  }

  private static void closeAll() {
    for (CacheRegion r : new ArrayList<>(OPEN.values())) {
      try {
        r.close();
      } catch (RuntimeException e) {
        LOG.debug("closing {} at exit failed", r, e);
      }
    }
  }

  /** A region that stores nothing: every lookup misses. */
  static final class UnusableRegion implements CacheRegion {
    private final RegionSpec spec;
    private final CacheStatistics statistics = new CacheStatistics();

    UnusableRegion(RegionSpec spec) {
      this.spec = spec;
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
      return null;
    }

    @Override
    public void put(CacheKey key, double[] value) {}

    @Override
    public boolean stores() {
      return false;
    }

    @Override
    public long size() {
      return 0;
    }

    @Override
    public void clear() {}

    @Override
    public void close() {
      CacheRegions.forget(this);
    }

    @Override
    public String toString() {
      return "unusable cache region " + spec;
    }
  }
}
