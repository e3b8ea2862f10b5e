package org.jmor.cache;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The format of a cached value on disk: a header, the doubles, a checksum.
 *
 * <pre>
 *   offset  size  what
 *        0     8  magic "JMORSNAP" (ASCII)
 *        8     4  format version ({@value #VERSION})
 *       12    32  the entry's key ({@link CacheKey})
 *       44     4  n, the number of doubles
 *       48   8 n  the doubles (IEEE 754 bits, big-endian)
 *   48+8n     4  CRC-32C of bytes 0 .. 48+8n
 * </pre>
 *
 * <p>{@link #decode} accepts only an entry that has exactly this length, the magic, this version,
 * the key it is looked up under and a matching checksum; anything else (a truncated, corrupted or
 * foreign entry, or one of another version) is rejected with a {@link CorruptEntryException}, never
 * returned. The key in the value guards against a value stored under the wrong key (a foreign
 * entry); the checksum against flipped or lost bytes.
 *
 * <p>Stateless and thread-safe.
 */
public final class SnapshotCodec {

  /** The format version written and accepted. */
  public static final int VERSION = 1;

  private static final byte[] MAGIC = "JMORSNAP".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER = MAGIC.length + 4 + CacheKey.LENGTH + 4;

  private SnapshotCodec() {}

  /**
   * Encodes a value.
   *
   * @param key the key it is stored under
   * @param values the doubles (not modified)
   * @return the encoded entry, {@code 52 + 8 * values.length} bytes
   * @throws IllegalArgumentException if the value is too long for one entry (more than about 268
   *     million doubles)
   */
  public static byte[] encode(CacheKey key, double[] values) {
    long size = (long) HEADER + 8L * values.length + 4;
    if (size > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "a value of " + values.length + " doubles is too large for one cache entry");
    }
    ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.BIG_ENDIAN);
    b.put(MAGIC).putInt(VERSION);
    key.writeTo(b);
    b.putInt(values.length);
    b.asDoubleBuffer().put(values);
    b.position(b.position() + 8 * values.length);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    return b.array();
  }

  /**
   * Decodes an entry looked up under {@code key}.
   *
   * @param key the key it was looked up under
   * @param entry the stored bytes (not modified)
   * @return the doubles, a new array
   * @throws CorruptEntryException if the entry is not exactly a version-{@value #VERSION} entry of
   *     this key with a matching checksum; the message says what is wrong
   */
  public static double[] decode(CacheKey key, byte[] entry) throws CorruptEntryException {
    if (entry.length < HEADER + 4) {
      throw new CorruptEntryException(
          "truncated: " + entry.length + " bytes, shorter than the header");
    }
    ByteBuffer b = ByteBuffer.wrap(entry).order(ByteOrder.BIG_ENDIAN);
    byte[] magic = new byte[MAGIC.length];
    b.get(magic);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new CorruptEntryException("not a jmor snapshot entry (bad magic)");
    }
    int version = b.getInt();
    if (version != VERSION) {
      throw new CorruptEntryException(
          "format version " + version + ", this program reads version " + VERSION);
    }
    if (!key.matches(entry, b.position())) {
      throw new CorruptEntryException("stored under another key (a foreign entry)");
    }
    b.position(b.position() + CacheKey.LENGTH);
    int n = b.getInt();
    if (n < 0 || entry.length != HEADER + 8L * n + 4) {
      throw new CorruptEntryException(
          "length " + entry.length + " bytes does not fit " + n + " doubles (truncated?)");
    }
    CRC32C crc = new CRC32C();
    crc.update(entry, 0, entry.length - 4);
    int stored = ByteBuffer.wrap(entry, entry.length - 4, 4).order(ByteOrder.BIG_ENDIAN).getInt();
    if (stored != (int) crc.getValue()) {
      throw new CorruptEntryException("checksum mismatch (corrupted bytes)");
    }
    double[] values = new double[n];
    b.asDoubleBuffer().get(values);
    return values;
  }

  /** A stored entry that must not be trusted; the message says why. */
  public static final class CorruptEntryException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * @param reason what is wrong with the entry
     */
    public CorruptEntryException(String reason) {
      super(reason);
    }
  }
}
