package org.jmor.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * pyMOR's {@code DiskRegion} (python-diskcache, itself on SQLite) on SQLite through sqlite-jdbc:
 * one table {@code jmor_snapshots(key BLOB PRIMARY KEY, value BLOB, size INTEGER)} in {@code
 * snapshots.sqlite} of the region's directory, values in {@link SnapshotCodec}'s format.
 *
 * <p>Several processes (and several regions of one process, each with its own connection) may use
 * one file at the same time: SQLite locks the file for each write transaction, the journal is in
 * write-ahead-log mode (readers do not block the writer), and a connection waits up to {@value
 * #BUSY_TIMEOUT_MS} ms for a lock. Each region has one connection, used under the region's lock.
 *
 * <p>Beyond {@link RegionSpec#maxBytes} the least recently stored entries are deleted (diskcache's
 * default policy), checked every {@value #EVICTION_CHECK_EVERY} stores or when this region's count
 * passes the bound.
 */
final class SqliteRegion implements CacheRegion {

  private static final Logger LOG = LoggerFactory.getLogger(SqliteRegion.class);

  /** The name of the database file in the region's directory. */
  static final String FILE_NAME = "snapshots.sqlite";

  static final int BUSY_TIMEOUT_MS = 60_000;
  static final int EVICTION_CHECK_EVERY = 64;
  private static final int LOUD_WARNINGS = 3;

  private final RegionSpec spec;
  private final Path directory;
  private final boolean ownsDirectory;
  private final CacheStatistics statistics = new CacheStatistics();
  private final AtomicInteger warnings = new AtomicInteger();
  private @Nullable Connection connection; // guarded by this
  private long approxBytes; // guarded by this
  private int storesSinceCheck; // guarded by this

  /**
   * Opens (creating if needed) the database in {@code spec.directory()}.
   *
   * @param ownsDirectory whether {@link #close} deletes the directory (the disk region of a run)
   * @throws SQLException if the file cannot be opened or is not a usable database
   */
  SqliteRegion(RegionSpec spec, boolean ownsDirectory) throws SQLException {
    this.spec = spec;
    this.directory = Path.of(java.util.Objects.requireNonNull(spec.directory()));
    this.ownsDirectory = ownsDirectory;
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    Connection c =
        config.createConnection("jdbc:sqlite:" + directory.resolve(FILE_NAME).toAbsolutePath());
    try (Statement st = c.createStatement()) {
      st.executeUpdate(
          "CREATE TABLE IF NOT EXISTS jmor_snapshots"
              + " (key BLOB PRIMARY KEY NOT NULL, value BLOB NOT NULL, size INTEGER NOT NULL)");
      approxBytes = totalBytes(c);
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    this.connection = c;
  }

  private static long totalBytes(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COALESCE(SUM(size), 0) FROM jmor_snapshots")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  @Override
  public RegionSpec spec() {
    return spec;
  }

  @Override
  public CacheStatistics statistics() {
    return statistics;
  }

  /** The database file. */
  Path file() {
    return directory.resolve(FILE_NAME);
  }

  private void warn(String message, @Nullable Throwable t) {
    if (warnings.incrementAndGet() <= LOUD_WARNINGS) {
      LOG.warn("cache ({}): {}", spec, message, t);
    } else {
      LOG.debug("cache ({}): {}", spec, message, t);
    }
  }

  @Override
  public synchronized double @Nullable [] get(CacheKey key) {
    Connection c = connection;
    if (c == null) {
      return null;
    }
    byte[] stored;
    try (PreparedStatement ps =
        c.prepareStatement("SELECT value FROM jmor_snapshots WHERE key = ?")) {
      ps.setBytes(1, key.bytes());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        stored = rs.getBytes(1);
      }
    } catch (SQLException e) {
      statistics.error();
      warn("reading an entry failed, computing it instead: " + e.getMessage(), null);
      return null;
    }
    try {
      return SnapshotCodec.decode(key, stored == null ? new byte[0] : stored);
    } catch (SnapshotCodec.CorruptEntryException e) {
      statistics.rejected();
      warn("entry " + key.hex() + " rejected (" + e.getMessage() + "); recomputing it", null);
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM jmor_snapshots WHERE key = ?")) {
        ps.setBytes(1, key.bytes());
        ps.executeUpdate();
      } catch (SQLException ex) {
        statistics.error();
        warn("deleting a rejected entry failed: " + ex.getMessage(), null);
      }
      return null;
    }
  }

  @Override
  public synchronized void put(CacheKey key, double[] value) {
    Connection c = connection;
    if (c == null) {
      return;
    }
    byte[] entry = SnapshotCodec.encode(key, value);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT OR REPLACE INTO jmor_snapshots (key, value, size) VALUES (?, ?, ?)")) {
      ps.setBytes(1, key.bytes());
      ps.setBytes(2, entry);
      ps.setLong(3, entry.length);
      ps.executeUpdate();
      approxBytes += entry.length;
      if (++storesSinceCheck >= EVICTION_CHECK_EVERY || approxBytes > spec.maxBytes()) {
        evict(c);
      }
    } catch (SQLException e) {
      statistics.error();
      warn("storing an entry failed, going on without it: " + e.getMessage(), null);
    }
  }

  /** Deletes the least recently stored entries until the stored bytes are within the bound. */
  private void evict(Connection c) throws SQLException {
    storesSinceCheck = 0;
    long total = totalBytes(c);
    while (total > spec.maxBytes()) {
      try (Statement st = c.createStatement()) {
        int n =
            st.executeUpdate(
                "DELETE FROM jmor_snapshots WHERE rowid IN"
                    + " (SELECT rowid FROM jmor_snapshots ORDER BY rowid LIMIT 16)");
        if (n == 0) {
          break;
        }
      }
      total = totalBytes(c);
    }
    approxBytes = total;
  }

  @Override
  public synchronized long size() {
    Connection c = connection;
    if (c == null) {
      return 0;
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM jmor_snapshots")) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (SQLException e) {
      statistics.error();
      warn("counting the entries failed: " + e.getMessage(), null);
      return 0;
    }
  }

  @Override
  public synchronized void clear() {
    Connection c = connection;
    if (c == null) {
      return;
    }
    try (Statement st = c.createStatement()) {
      st.executeUpdate("DELETE FROM jmor_snapshots");
      approxBytes = 0;
    } catch (SQLException e) {
      statistics.error();
      warn("clearing the region failed: " + e.getMessage(), null);
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      Connection c = connection;
      connection = null;
      if (c != null) {
        try {
          c.close();
        } catch (SQLException e) {
          LOG.debug("cache ({}): closing the database failed", spec, e);
        }
      }
    }
    CacheRegions.forget(this);
    if (ownsDirectory) {
      deleteRecursively(directory);
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn("cache: could not delete the directory {}: {}", dir, e.toString());
    }
  }

  @Override
  public String toString() {
    return "cache region " + spec;
  }
}
