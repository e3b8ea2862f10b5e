package org.jmor.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The regions: copies, persistence, the disk region's lifetime, rejection of bad entries. */
class RegionTest {

  @TempDir Path tmp;

  static CacheKey key(int i) {
    return CacheKey.builder("RegionTest").add(i).build();
  }

  static double[] value(int i) {
    double[] v = new double[100];
    for (int k = 0; k < v.length; k++) {
      v[k] = Math.sin(i + 0.1 * k);
    }
    return v;
  }

  static Connection jdbc(Path dir) throws Exception {
    return org.sqlite.JDBC.createConnection(
        "jdbc:sqlite:" + dir.resolve(SqliteRegion.FILE_NAME), new java.util.Properties());
  }

  @Test
  void memory_copiesInAndOut() {
    try (CacheRegion r = CacheRegions.open(RegionKind.MEMORY, null)) {
      double[] v = value(1);
      r.put(key(1), v);
      v[0] = 42;
      double[] got = r.get(key(1));
      assertThat(got).containsExactly(value(1));
      got[1] = 42;
      assertThat(r.get(key(1))).containsExactly(value(1));
      assertThat(r.get(key(2))).isNull();
      assertThat(CacheRegions.attach(r.spec())).isSameAs(r);
    }
  }

  @Test
  void memory_evictsBeyondItsBound() {
    // 100 doubles weigh 864 bytes: a bound of 10,000 bytes holds at most 11 of them
    RegionSpec spec = new RegionSpec(RegionKind.MEMORY, UUID.randomUUID().toString(), null, 10_000);
    try (CacheRegion r = CacheRegions.attach(spec)) {
      for (int i = 0; i < 100; i++) {
        r.put(key(i), value(i));
      }
      assertThat(r.size()).isBetween(1L, 11L);
    }
  }

  @Test
  void persistent_survivesClosing_andCountsHits() {
    try (CacheRegion r = CacheRegions.open(RegionKind.PERSISTENT, tmp)) {
      for (int i = 0; i < 5; i++) {
        int at = i;
        assertThat(r.getOrCompute(key(i), () -> value(at))).containsExactly(value(i));
      }
      assertThat(r.statistics().computedCount()).isEqualTo(5);
      assertThat(r.statistics().hits()).isZero();
    }
    try (CacheRegion r = CacheRegions.open(RegionKind.PERSISTENT, tmp)) {
      assertThat(r.size()).isEqualTo(5);
      for (int i = 0; i < 5; i++) {
        assertThat(
                r.getOrCompute(
                    key(i),
                    () -> {
                      throw new AssertionError("computed although cached");
                    }))
            .containsExactly(value(i));
      }
      assertThat(r.statistics().hits()).isEqualTo(5);
      assertThat(r.statistics().computedCount()).isZero();
    }
  }

  @Test
  void disk_isEmptyAtStart_andItsDirectoryIsRemovedAtClose() {
    Path dir;
    try (CacheRegion r = CacheRegions.open(RegionKind.DISK, null)) {
      dir = Path.of(r.spec().directory());
      assertThat(dir.resolve(SqliteRegion.FILE_NAME)).exists();
      assertThat(r.size()).isZero();
      r.put(key(1), value(1));
      assertThat(r.get(key(1))).containsExactly(value(1));
    }
    assertThat(dir).doesNotExist();
    try (CacheRegion r = CacheRegions.open(RegionKind.DISK, null)) {
      assertThat(Path.of(r.spec().directory())).isNotEqualTo(dir);
      assertThat(r.get(key(1))).isNull();
    }
  }

  @Test
  void flippedBytes_foreignAndTruncatedEntries_areIgnoredAndRecomputed() throws Exception {
    try (CacheRegion r = CacheRegions.open(RegionKind.PERSISTENT, tmp)) {
      for (int i = 0; i < 4; i++) {
        r.put(key(i), value(i));
      }
    }
    try (Connection c = jdbc(tmp)) {
      // 0: one payload byte flipped
      byte[] v0 = read(c, key(0));
      v0[100] ^= 0x01;
      write(c, key(0), v0);
      // 1: a foreign entry: the (valid) entry of key 3 stored under key 1
      write(c, key(1), read(c, key(3)));
      // 2: truncated
      byte[] v2 = read(c, key(2));
      write(c, key(2), java.util.Arrays.copyOf(v2, v2.length / 2));
    }
    try (CacheRegion r = CacheRegions.open(RegionKind.PERSISTENT, tmp)) {
      for (int i = 0; i < 4; i++) {
        int at = i;
        assertThat(r.getOrCompute(key(i), () -> value(at))).containsExactly(value(i));
      }
      CacheStatistics s = r.statistics();
      assertThat(s.rejectedCount()).isEqualTo(3);
      assertThat(s.computedCount()).isEqualTo(3);
      assertThat(s.hits()).isEqualTo(1);
      // the recomputed entries replaced the bad ones
      for (int i = 0; i < 4; i++) {
        assertThat(r.get(key(i))).containsExactly(value(i));
      }
      assertThat(s.rejectedCount()).isEqualTo(3);
    }
  }

  @Test
  void aFileThatIsNoDatabase_runsWithoutTheCache() throws Exception {
    Files.writeString(tmp.resolve(SqliteRegion.FILE_NAME), "this is not an SQLite database");
    try (CacheRegion r = CacheRegions.open(RegionKind.PERSISTENT, tmp)) {
      r.put(key(1), value(1));
      assertThat(r.get(key(1))).isNull();
      assertThat(r.getOrCompute(key(1), () -> value(1))).containsExactly(value(1));
    }
    // the user's file is left alone
    assertThat(Files.readString(tmp.resolve(SqliteRegion.FILE_NAME)))
        .isEqualTo("this is not an SQLite database");
  }

  @Test
  void persistent_evictsTheOldestBeyondItsBound() throws Exception {
    // each entry: 52 + 800 bytes; a bound of 10,000 bytes keeps the newest 11
    RegionSpec spec =
        new RegionSpec(RegionKind.PERSISTENT, UUID.randomUUID().toString(), tmp.toString(), 10_000);
    try (CacheRegion r = CacheRegions.attach(spec)) {
      for (int i = 0; i < 30; i++) {
        r.put(key(i), value(i));
      }
      assertThat(r.size()).isBetween(1L, 11L);
      assertThat(r.get(key(29))).containsExactly(value(29));
      assertThat(r.get(key(0))).isNull();
    }
  }

  @Test
  void persistentDirectory_followsTheProperty() {
    System.setProperty(CacheRegions.DIRECTORY_PROPERTY, tmp.resolve("elsewhere").toString());
    try {
      assertThat(CacheRegions.defaultPersistentDirectory()).isEqualTo(tmp.resolve("elsewhere"));
      try (CacheRegion r = CacheRegions.open(RegionKind.PERSISTENT, null)) {
        assertThat(Path.of(r.spec().directory()).resolve(SqliteRegion.FILE_NAME))
            .isEqualTo(tmp.resolve("elsewhere").resolve(SqliteRegion.FILE_NAME).toAbsolutePath())
            .exists();
      }
    } finally {
      System.clearProperty(CacheRegions.DIRECTORY_PROPERTY);
    }
    // without it: $XDG_CACHE_HOME/jmor or ~/.cache/jmor, never created by this call
    Path d = CacheRegions.defaultPersistentDirectory();
    assertThat(d.getFileName().toString()).isEqualTo("jmor");
    assertThat(d.getParent().toString())
        .isIn(
            System.getenv("XDG_CACHE_HOME"),
            Path.of(System.getProperty("user.home"), ".cache").toString());
  }

  @Test
  void badSizeProperty_isOneClearError() {
    System.setProperty(CacheRegions.DISK_MAX_BYTES_PROPERTY, "lots");
    try {
      assertThatThrownBy(() -> CacheRegions.open(RegionKind.DISK, null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("jmor.cache.disk.maxBytes must be a number of bytes > 0, got 'lots'");
    } finally {
      System.clearProperty(CacheRegions.DISK_MAX_BYTES_PROPERTY);
    }
  }

  @Test
  void unwritableDirectory_isOneClearError() throws Exception {
    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    assertThatThrownBy(() -> CacheRegions.open(RegionKind.PERSISTENT, file.resolve("sub")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot create the cache directory");
  }

  static byte[] read(Connection c, CacheKey k) throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT value FROM jmor_snapshots WHERE key = ?")) {
      ps.setBytes(1, k.bytes());
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getBytes(1);
      }
    }
  }

  static void write(Connection c, CacheKey k, byte[] v) throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT OR REPLACE INTO jmor_snapshots (key, value, size) VALUES (?, ?, ?)")) {
      ps.setBytes(1, k.bytes());
      ps.setBytes(2, v);
      ps.setLong(3, v.length);
      ps.executeUpdate();
    }
  }

  static long count(Connection c) throws Exception {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM jmor_snapshots")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
