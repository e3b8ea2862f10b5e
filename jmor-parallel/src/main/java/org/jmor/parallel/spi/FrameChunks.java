package org.jmor.parallel.spi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Cuts a {@link Frame} into chunks of bounded size for a transport that moves messages (a message
 * queue, a socket with length-prefixed records, an MPI message of bounded size), and puts the
 * chunks together again on the other side, straight into the final arrays.
 *
 * <h2>What a chunk holds</h2>
 *
 * A chunk is a run of bytes (little-endian): a 16-byte head (magic number, the frame's part count,
 * the number of chunks of the frame, this chunk's index), then segments, each a piece of one part
 * of the frame (its part index, whether the part is a {@code double[]}, the part's total size, the
 * piece's offset and length) followed by the piece's bytes, 8-aligned. So:
 *
 * <ul>
 *   <li><b>Small parts are packed together:</b> a frame whose parts fit in one chunk is one chunk,
 *       which {@link #read(ByteBuffer)} turns back into a frame <em>without copying</em> (its parts
 *       are views into the chunk).
 *   <li><b>Large parts are cut</b> into pieces, so that no chunk exceeds the {@linkplain
 *       #plan(Frame, int) chosen size} by more than {@value #SLACK} bytes (the end of a part a
 *       little beyond the limit stays in its chunk rather than making a tiny extra one).
 *   <li><b>Every part is allocated once at its final size</b> by the receiver's {@link Assembly},
 *       and each piece is copied straight into it; a {@code double[]} part arrives as a new {@code
 *       double[]} that the core adopts ({@link Frame#ofOwned(List)}), so a large array crosses with
 *       one copy on each side.
 *   <li><b>Chunks may arrive in any order</b> (each says how many the frame has), and several
 *       threads may add chunks of one frame at once.
 * </ul>
 *
 * <h2>Threads</h2>
 *
 * A {@link Plan} is immutable once built and may be written from several threads (for example one
 * per addressee). An {@link Assembly} is thread-safe. The static methods are pure.
 */
public final class FrameChunks {
  /** The magic number at the start of every chunk ("JMCK" in ASCII, little-endian). */
  private static final int MAGIC = 0x4B434D4A;

  /** The size of a chunk's head in bytes. */
  public static final int HEAD = 16;

  /** The size of a segment's header in bytes. */
  public static final int SEGMENT = 32;

  /** How far beyond the chosen size a chunk may grow to hold the end of a part: 64 KiB. */
  public static final int SLACK = 64 << 10;

  /** The smallest chunk size that {@link #plan(Frame, int)} accepts: 4 KiB. */
  public static final int MIN_CHUNK = 4 << 10;

  private static final int BYTES = 0;
  private static final int DOUBLES = 1;

  private FrameChunks() {}

  /**
   * Plans the chunks of a frame: every part once, small parts packed together, large parts cut into
   * pieces so that each chunk holds at most about {@code chunkBytes} bytes of data.
   *
   * @param frame the frame; not modified, and must not be modified while the plan is written
   * @param chunkBytes the most data bytes per chunk, at least {@value #MIN_CHUNK}; a multiple of 8
   *     is best (pieces of a {@code double[]} are cut at multiples of 8)
   * @return the plan
   * @throws IllegalArgumentException if {@code chunkBytes < }{@value #MIN_CHUNK}
   * @throws NullPointerException if the frame is null
   */
  public static Plan plan(Frame frame, int chunkBytes) {
    Objects.requireNonNull(frame, "frame");
    if (chunkBytes < MIN_CHUNK) {
      throw new IllegalArgumentException(
          "the chunk size must be >= " + MIN_CHUNK + " bytes, got " + chunkBytes);
    }
    return new Plan(frame, chunkBytes & ~7);
  }

  /**
   * Returns the number of chunks of the frame that {@code chunk} belongs to, read from its head.
   *
   * @param chunk a chunk, from its position to its limit (not moved)
   * @return the number of chunks, at least 1
   * @throws IllegalArgumentException if the bytes are not a chunk
   */
  public static int chunkCount(ByteBuffer chunk) {
    return head(chunk).getInt(8);
  }

  /**
   * Reads a frame that travelled as one chunk ({@link #chunkCount} 1) without copying: its parts
   * are views into {@code chunk}, which must not be modified afterwards.
   *
   * @param chunk the chunk, from its position to its limit (not moved)
   * @return the frame
   * @throws IllegalArgumentException if the bytes are not a whole frame's only chunk, or corrupt
   */
  public static Frame read(ByteBuffer chunk) {
    ByteBuffer b = head(chunk);
    int partCount = b.getInt(4);
    if (b.getInt(8) != 1) {
      throw new IllegalArgumentException(
          "the chunk is one of " + b.getInt(8) + "; put them together with an Assembly");
    }
    ByteBuffer[] parts = new ByteBuffer[partCount];
    int at = HEAD;
    while (at + SEGMENT <= b.limit()) {
      int part = b.getInt(at);
      int length = b.getInt(at + 8);
      long size = b.getLong(at + 16);
      long offset = b.getLong(at + 24);
      if (part < 0
          || part >= partCount
          || length < 0
          || at + SEGMENT + (long) length > b.limit()
          || offset != 0
          || size != length) {
        throw new IllegalArgumentException("corrupt chunk: segment at byte " + at);
      }
      parts[part] = b.slice(at + SEGMENT, length);
      at = align(at + SEGMENT + length);
    }
    for (int i = 0; i < parts.length; i++) {
      if (parts[i] == null) {
        throw new IllegalArgumentException("corrupt chunk: part " + i + " of the frame is missing");
      }
    }
    return Frame.of(List.of((Object[]) parts));
  }

  private static ByteBuffer head(ByteBuffer chunk) {
    ByteBuffer b = chunk.slice().order(ByteOrder.LITTLE_ENDIAN);
    if (b.limit() < HEAD || b.getInt(0) != MAGIC) {
      throw new IllegalArgumentException(
          "not a frame chunk (" + b.limit() + " bytes, no chunk magic number)");
    }
    int parts = b.getInt(4);
    int count = b.getInt(8);
    int index = b.getInt(12);
    if (parts < 1 || parts > Frame.MAX_PARTS || count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "corrupt chunk head: " + parts + " parts, chunk " + index + " of " + count);
    }
    return b;
  }

  private static int align(int pos) {
    return (pos + 7) & ~7;
  }

  /**
   * The chunks of one frame, built one at a time ({@link #write(int, ByteBuffer)} or {@link
   * #toByteArray(int, int)}), so that a sender holds one chunk at a time beside the frame.
   */
  public static final class Plan {
    private final Frame frame;
    private final List<int[]> chunks =
        new ArrayList<>(); // per chunk: part, length, part, length...
    private final List<long[]> offsets = new ArrayList<>(); // per chunk: offset per segment

    private Plan(Frame frame, int chunkBytes) {
      this.frame = frame;
      List<long[]> segments = new ArrayList<>(); // part, offset, length
      long used = 0;
      for (int p = 0; p < frame.partCount(); p++) {
        long size = frame.partSize(p);
        long off = 0;
        do {
          long want = size - off;
          long space = chunkBytes - used;
          if (used > 0 && want > space && space < (1 << 16)) {
            flush(segments);
            used = 0;
            space = chunkBytes;
          }
          if (want > space && want - space <= SLACK) {
            space = want; // the end of a part a little beyond the size: no tiny extra chunk
          }
          long n = Math.max(0, Math.min(want, space));
          segments.add(new long[] {p, off, n});
          used += SEGMENT + align((int) n);
          off += n;
        } while (off < size);
      }
      flush(segments);
    }

    private void flush(List<long[]> segments) {
      if (segments.isEmpty()) {
        return;
      }
      int[] c = new int[segments.size() * 2];
      long[] o = new long[segments.size()];
      for (int i = 0; i < segments.size(); i++) {
        long[] s = segments.get(i);
        c[2 * i] = (int) s[0];
        c[2 * i + 1] = (int) s[2];
        o[i] = s[1];
      }
      chunks.add(c);
      offsets.add(o);
      segments.clear();
    }

    /** Returns the frame this plan cuts. */
    public Frame frame() {
      return frame;
    }

    /** Returns the number of chunks, at least 1. */
    public int count() {
      return chunks.size();
    }

    /**
     * Returns the size of chunk {@code i} in bytes.
     *
     * @param i the chunk index
     * @return its size
     * @throws IndexOutOfBoundsException if there is no such chunk
     */
    public int length(int i) {
      int[] c = chunks.get(Objects.checkIndex(i, chunks.size()));
      int length = HEAD;
      for (int s = 0; s < c.length; s += 2) {
        length = align(length + SEGMENT + c[s + 1]);
      }
      return length;
    }

    /** Returns the size of the largest chunk in bytes (for a receive buffer). */
    public int maxLength() {
      int max = 0;
      for (int i = 0; i < chunks.size(); i++) {
        max = Math.max(max, length(i));
      }
      return max;
    }

    /**
     * Writes chunk {@code i} into {@code out} at its position, which advances by {@link
     * #length(int)}.
     *
     * @param i the chunk index
     * @param out where to write; its byte order is not changed
     * @throws IndexOutOfBoundsException if there is no such chunk
     * @throws java.nio.BufferOverflowException if {@code out} has less room than the chunk
     */
    public void write(int i, ByteBuffer out) {
      int length = length(i);
      if (out.remaining() < length) {
        throw new java.nio.BufferOverflowException();
      }
      int[] c = chunks.get(i);
      long[] o = offsets.get(i);
      ByteBuffer b = out.slice().order(ByteOrder.LITTLE_ENDIAN);
      b.putInt(MAGIC).putInt(frame.partCount()).putInt(chunks.size()).putInt(i);
      for (int s = 0; s < c.length; s += 2) {
        int part = c[s];
        int n = c[s + 1];
        long off = o[s / 2];
        double[] d = frame.doubleArray(part);
        b.putInt(part).putInt(d != null ? DOUBLES : BYTES).putInt(n).putInt(0);
        b.putLong(frame.partSize(part)).putLong(off);
        int at = b.position();
        if (d != null) {
          b.asDoubleBuffer().put(d, (int) (off / 8), n / 8);
        } else {
          ByteBuffer src = frame.part(part);
          src.position((int) off).limit((int) off + n);
          b.put(src);
        }
        b.position(at + n);
        int next = align(at + n);
        while (b.position() < next) {
          b.put((byte) 0);
        }
        b.position(next);
      }
      out.position(out.position() + length);
    }

    /**
     * Returns chunk {@code i} as a new array, with {@code headroom} zero bytes before it for the
     * transport's own header (so that header and chunk travel as one message without a copy); the
     * chunk starts at index {@code headroom}.
     *
     * @param i the chunk index
     * @param headroom bytes to leave free at the start, at least 0
     * @return a new array of {@code headroom + length(i)} bytes
     * @throws IndexOutOfBoundsException if there is no such chunk
     * @throws IllegalArgumentException if {@code headroom < 0}
     */
    public byte[] toByteArray(int i, int headroom) {
      if (headroom < 0) {
        throw new IllegalArgumentException("headroom must be >= 0, got " + headroom);
      }
      byte[] out = new byte[headroom + length(i)];
      ByteBuffer b = ByteBuffer.wrap(out);
      b.position(headroom);
      write(i, b);
      return out;
    }
  }

  /**
   * Puts the chunks of one frame together, in whatever order they arrive: each part is allocated
   * once at its final size when its first piece arrives, and each piece is copied straight into it.
   * Thread-safe: pieces of one frame may be copied by several threads at once.
   */
  public static final class Assembly {
    private Object @Nullable [] parts;
    private int missing = -1;
    private int added;

    /** Creates an empty assembly; the first chunk tells the frame's shape. */
    public Assembly() {}

    /**
     * Adds a chunk. The chunk's bytes are copied; the buffer may be reused afterwards.
     *
     * @param chunk the chunk, from its position to its limit (not moved)
     * @return the whole frame when this was its last chunk (built with {@link
     *     Frame#ofOwned(List)}), else null
     * @throws IllegalArgumentException if the bytes are not a chunk, belong to a frame of another
     *     shape, arrive after the frame was complete, or are corrupt
     */
    public @Nullable Frame add(ByteBuffer chunk) {
      ByteBuffer b = head(chunk);
      int partCount = b.getInt(4);
      int count = b.getInt(8);
      Object[] target;
      synchronized (this) {
        if (parts == null) {
          parts = new Object[partCount];
          missing = count;
        } else if (parts.length != partCount || added + missing != count) {
          throw new IllegalArgumentException(
              "a chunk of another frame: " + partCount + " parts in " + count + " chunks");
        }
        if (missing == 0) {
          throw new IllegalArgumentException("a chunk after the frame was complete");
        }
        target = parts;
      }
      int at = HEAD;
      while (at + SEGMENT <= b.limit()) {
        int part = b.getInt(at);
        int type = b.getInt(at + 4);
        int n = b.getInt(at + 8);
        long size = b.getLong(at + 16);
        long off = b.getLong(at + 24);
        if (part < 0
            || part >= partCount
            || n < 0
            || at + SEGMENT + (long) n > b.limit()
            || size < 0
            || size > Integer.MAX_VALUE - 16
            || off < 0
            || off + n > size
            || (type == DOUBLES && (size % 8 != 0 || off % 8 != 0 || n % 8 != 0))) {
          throw new IllegalArgumentException("corrupt chunk: segment at byte " + at);
        }
        Object array;
        synchronized (this) {
          array = target[part];
          if (array == null) {
            array = type == DOUBLES ? new double[(int) (size / 8)] : new byte[(int) size];
            target[part] = array;
          }
        }
        if (array instanceof double[]) {
          double[] d = (double[]) array;
          if (8L * d.length != size) {
            throw new IllegalArgumentException("corrupt chunk: part " + part + " changed size");
          }
          b.slice(at + SEGMENT, n)
              .order(ByteOrder.LITTLE_ENDIAN)
              .asDoubleBuffer()
              .get(d, (int) (off / 8), n / 8);
        } else {
          byte[] a = (byte[]) array;
          if (a.length != size) {
            throw new IllegalArgumentException("corrupt chunk: part " + part + " changed size");
          }
          b.slice(at + SEGMENT, n).get(a, (int) off, n);
        }
        at = align(at + SEGMENT + n);
      }
      synchronized (this) {
        added++;
        if (--missing > 0) {
          return null;
        }
      }
      for (int i = 0; i < target.length; i++) {
        if (target[i] == null) {
          throw new IllegalArgumentException("part " + i + " of the frame never arrived");
        }
      }
      return Frame.ofOwned(List.of(target));
    }

    /** Returns whether every chunk has arrived. */
    public synchronized boolean isComplete() {
      return missing == 0;
    }
  }
}
