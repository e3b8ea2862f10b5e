package org.jmor.cache;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The key of a cache entry: a SHA-256 digest of everything the cached value depends on (pyMOR's
 * {@code build_cache_key}, which hashes the object's cache id, the method name and the arguments).
 *
 * <p>Built with {@link #builder(String)}; every component is written with its type and length, so
 * different sequences of components never give the same input to the digest. Doubles enter
 * bit-exactly ({@link Double#doubleToLongBits}): {@code 0.1} and the nearest other double are
 * different keys, {@code -0.0} and {@code 0.0} are different keys, and every NaN is one key.
 *
 * <p>Immutable and thread-safe.
 */
public final class CacheKey implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The length of a key in bytes. */
  public static final int LENGTH = 32;

  private final byte[] digest;

  private CacheKey(byte[] digest) {
    this.digest = digest;
  }

  /**
   * Returns a key from its 32 bytes.
   *
   * @param digest the bytes (copied)
   * @return the key
   * @throws IllegalArgumentException if {@code digest} is not {@value #LENGTH} bytes long
   */
  public static CacheKey ofBytes(byte[] digest) {
    if (digest.length != LENGTH) {
      throw new IllegalArgumentException(
          "a cache key has " + LENGTH + " bytes, got " + digest.length);
    }
    return new CacheKey(digest.clone());
  }

  /**
   * Starts a key.
   *
   * @param namespace what the key is for, e.g. the name of the cached method; the first component
   * @return a new builder
   */
  public static Builder builder(String namespace) {
    return new Builder().add(namespace);
  }

  /**
   * @return a copy of the 32 bytes
   */
  public byte[] bytes() {
    return digest.clone();
  }

  /**
   * @return the key as 64 lowercase hexadecimal digits
   */
  public String hex() {
    return HexFormat.of().formatHex(digest);
  }

  /** Writes the key into {@code out} at its position. */
  void writeTo(ByteBuffer out) {
    out.put(digest);
  }

  /** Whether the 32 bytes of {@code in} from {@code offset} are this key. */
  boolean matches(byte[] in, int offset) {
    return in.length >= offset + LENGTH
        && Arrays.equals(digest, 0, LENGTH, in, offset, offset + LENGTH);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CacheKey k && Arrays.equals(digest, k.digest);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(digest);
  }

  @Override
  public String toString() {
    return "CacheKey(" + hex().substring(0, 16) + "…)";
  }

  /** Builds a {@link CacheKey}; not thread-safe, and used once ({@link #build()}). */
  public static final class Builder {
    private final MessageDigest sha;
    private final ByteBuffer scratch = ByteBuffer.allocate(16);

    private Builder() {
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JVM has no SHA-256, which every JVM must have", e);
      }
    }

    private void tag(byte type, long length) {
      scratch.clear();
      scratch.put(type).putLong(length).flip();
      sha.update(scratch);
    }

    /**
     * Adds a string (UTF-8).
     *
     * @param s the string
     * @return this builder
     */
    public Builder add(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      tag((byte) 1, b.length);
      sha.update(b);
      return this;
    }

    /**
     * Adds a long.
     *
     * @param v the value
     * @return this builder
     */
    public Builder add(long v) {
      tag((byte) 2, v);
      return this;
    }

    /**
     * Adds doubles bit-exactly ({@link Double#doubleToLongBits}).
     *
     * @param values the values (not modified)
     * @return this builder
     */
    public Builder add(double[] values) {
      tag((byte) 3, values.length);
      ByteBuffer b = ByteBuffer.allocate(8 * Math.min(values.length, 4096));
      for (int from = 0; from < values.length; from += 4096) {
        b.clear();
        int to = Math.min(values.length, from + 4096);
        for (int i = from; i < to; i++) {
          b.putLong(Double.doubleToLongBits(values[i]));
        }
        b.flip();
        sha.update(b);
      }
      return this;
    }

    /**
     * Adds ints.
     *
     * @param values the values (not modified)
     * @return this builder
     */
    public Builder add(int[] values) {
      tag((byte) 4, values.length);
      ByteBuffer b = ByteBuffer.allocate(4 * Math.min(values.length, 8192));
      for (int from = 0; from < values.length; from += 8192) {
        b.clear();
        int to = Math.min(values.length, from + 8192);
        for (int i = from; i < to; i++) {
          b.putInt(values[i]);
        }
        b.flip();
        sha.update(b);
      }
      return this;
    }

    /**
     * Adds bytes.
     *
     * @param bytes the bytes (not modified)
     * @return this builder
     */
    public Builder add(byte[] bytes) {
      tag((byte) 5, bytes.length);
      sha.update(bytes);
      return this;
    }

    /**
     * Adds another key.
     *
     * @param key the key
     * @return this builder
     */
    public Builder add(CacheKey key) {
      tag((byte) 6, LENGTH);
      sha.update(key.digest);
      return this;
    }

    /**
     * @return the key of everything added
     */
    public CacheKey build() {
      return new CacheKey(sha.digest());
    }
  }
}
