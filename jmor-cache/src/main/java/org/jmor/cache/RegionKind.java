package org.jmor.cache;

import java.util.Locale;

/** The kinds of cache region, pyMOR's {@code memory}, {@code disk} and {@code persistent}. */
public enum RegionKind {
  /** In this JVM only, bounded by bytes, least recently used entries evicted first (Caffeine). */
  MEMORY,
  /**
   * An SQLite file in a temporary directory of this run, removed when the region is closed or the
   * JVM exits: entries never outlive the run (pyMOR clears its disk region at start and exit).
   */
  DISK,
  /**
   * An SQLite file under the user's cache home, kept between runs and shared by concurrent runs.
   */
  PERSISTENT;

  /**
   * @return pyMOR's name of the region: {@code memory}, {@code disk} or {@code persistent}
   */
  public String pymorName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses pyMOR's name.
   *
   * @param name {@code memory}, {@code disk} or {@code persistent}
   * @return the kind
   * @throws IllegalArgumentException for any other name (the message lists the valid ones)
   */
  public static RegionKind ofPymorName(String name) {
    for (RegionKind k : values()) {
      if (k.pymorName().equals(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown cache region '" + name + "': use none, memory, disk or persistent");
  }
}
