package org.jmor.parallel.spi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One message between the caller and a worker: a list of parts, as in Dask's protocol and Python's
 * pickle protocol 5. Part 0 is a small header written by the core (magic number, protocol version,
 * message kind, sequence number, and the Java-serialized object graph); every further part is one
 * large primitive array (a {@code double[]}, for example the data of a {@code VectorArray} or a
 * {@code scatterArray} slice) as raw little-endian bytes, never serialized element by element.
 *
 * <h2>For transport authors</h2>
 *
 * A transport moves frames and never looks inside them. It has two ways to do so:
 *
 * <ul>
 *   <li><b>Part by part</b> (a transport that can send memory directly, such as MPI through JNI):
 *       send {@link #partCount()} and each part's {@link #partSize(int) size}, then each part. A
 *       part that holds a Java {@code double[]} returns it from {@link #doubleArray(int)}, so that
 *       the transport can pin and send it without a copy; otherwise {@link #part(int)} gives its
 *       bytes. The receiver allocates each part at its final size and builds the frame with {@link
 *       #of(List)}.
 *   <li><b>Joined</b> (a transport that needs one byte array, such as a message or compute
 *       payload): {@link #toByteArray()} joins the parts once (every array is copied exactly once,
 *       straight into the joined array), and the receiver calls {@link #read(ByteBuffer)}, which
 *       makes views into that array without copying.
 * </ul>
 *
 * A frame is immutable once built; the arrays it holds must not be modified while it is in flight.
 * Frames are safe to share between threads, so one frame may be sent to several workers.
 */
public final class Frame {
  /** The magic number that starts the joined form ("JMF1" in ASCII, little-endian). */
  private static final int JOINED_MAGIC = 0x31464D4A;

  /** The most parts a frame may have. */
  public static final int MAX_PARTS = 1 << 20;

  private final Object[] parts; // read-only little-endian ByteBuffer, or double[]
  private final boolean owned;

  private Frame(Object[] parts, boolean owned) {
    this.parts = parts;
    this.owned = owned;
  }

  /**
   * Builds a frame from its parts.
   *
   * @param parts at least one part, each a {@link ByteBuffer} (its remaining bytes; the buffer is
   *     not modified), a {@code byte[]} or a {@code double[]}; not copied
   * @return the frame
   * @throws IllegalArgumentException if there is no part, too many, or a part of another type
   * @throws NullPointerException if a part is null
   */
  public static Frame of(List<?> parts) {
    return new Frame(check(parts), false);
  }

  /**
   * Builds a frame from parts that a receiving transport allocated for it and hands over: the core
   * may adopt a {@code double[]} part as the final array of the value it decodes, instead of
   * copying it (a frame built with {@link #of(List)} never lends its arrays, so that a worker never
   * aliases the sender's memory). Use it on the receiving side for arrays received straight into
   * new Java arrays; the transport must not touch them afterwards.
   *
   * @param parts the parts, as for {@link #of(List)}
   * @return the frame
   * @throws IllegalArgumentException as for {@link #of(List)}
   */
  public static Frame ofOwned(List<?> parts) {
    return new Frame(check(parts), true);
  }

  /**
   * Returns whether the frame's arrays were handed over by a receiving transport ({@link
   * #ofOwned(List)}), so that the reader may adopt them.
   */
  public boolean isOwned() {
    return owned;
  }

  private static Object[] check(List<?> parts) {
    Objects.requireNonNull(parts, "parts");
    if (parts.isEmpty() || parts.size() > MAX_PARTS) {
      throw new IllegalArgumentException(
          "a frame has 1 to " + MAX_PARTS + " parts, got " + parts.size());
    }
    Object[] p = new Object[parts.size()];
    for (int i = 0; i < p.length; i++) {
      Object part = Objects.requireNonNull(parts.get(i), "part " + i);
      if (part instanceof ByteBuffer) {
        p[i] = ((ByteBuffer) part).slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
      } else if (part instanceof byte[]) {
        p[i] = ByteBuffer.wrap((byte[]) part).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
      } else if (part instanceof double[]) {
        p[i] = part;
      } else {
        throw new IllegalArgumentException(
            "part "
                + i
                + " is a "
                + part.getClass().getName()
                + "; expected ByteBuffer, byte[] or double[]");
      }
    }
    return p;
  }

  /**
   * Builds a frame from its parts.
   *
   * @param parts at least one part
   * @return the frame
   * @see #of(List)
   */
  public static Frame of(ByteBuffer... parts) {
    return of(List.of((Object[]) parts));
  }

  /** Returns the number of parts, at least 1. */
  public int partCount() {
    return parts.length;
  }

  /**
   * Returns the size of a part in bytes.
   *
   * @param part the part index
   * @return its size
   * @throws IndexOutOfBoundsException if there is no such part
   */
  public long partSize(int part) {
    Object p = parts[Objects.checkIndex(part, parts.length)];
    return p instanceof double[] ? 8L * ((double[]) p).length : ((ByteBuffer) p).remaining();
  }

  /** Returns the total size of the parts in bytes. */
  public long byteSize() {
    long n = 0;
    for (int i = 0; i < parts.length; i++) {
      n += partSize(i);
    }
    return n;
  }

  /**
   * Returns a part as a read-only little-endian buffer. A part that holds a {@code double[]} is
   * converted, which copies it; a transport that can send memory directly asks {@link
   * #doubleArray(int)} first.
   *
   * @param part the part index
   * @return a new read-only view (position 0, limit the part's size)
   * @throws IndexOutOfBoundsException if there is no such part
   */
  public ByteBuffer part(int part) {
    Object p = parts[Objects.checkIndex(part, parts.length)];
    if (p instanceof double[]) {
      double[] d = (double[]) p;
      ByteBuffer b = ByteBuffer.allocate(8 * d.length).order(ByteOrder.LITTLE_ENDIAN);
      b.asDoubleBuffer().put(d);
      return b.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }
    return ((ByteBuffer) p).duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Returns the Java array behind a part that holds one, so that a transport that can send memory
   * directly sends it without a copy (its bytes are the array's, in the platform's order, which is
   * little-endian on every platform the library supports); otherwise null.
   *
   * @param part the part index
   * @return the array, not to be modified; or null
   * @throws IndexOutOfBoundsException if there is no such part
   */
  public double @Nullable [] doubleArray(int part) {
    Object p = parts[Objects.checkIndex(part, parts.length)];
    return p instanceof double[] ? (double[]) p : null;
  }

  /**
   * Returns the joined form: one byte array that {@link #read(ByteBuffer)} turns back into this
   * frame. Each part is copied once, straight into the result.
   *
   * @return a new array
   * @throws IllegalStateException if the frame is larger than a Java array can be
   */
  public byte[] toByteArray() {
    long size = joinedSize();
    if (size > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException(
          "a frame of " + size + " bytes is too large for one array; send it part by part");
    }
    ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(JOINED_MAGIC).putInt(parts.length);
    for (int i = 0; i < parts.length; i++) {
      out.putLong(partSize(i));
    }
    for (Object p : parts) {
      out.position(align(out.position()));
      if (p instanceof double[]) {
        double[] d = (double[]) p;
        out.asDoubleBuffer().put(d);
        out.position(out.position() + 8 * d.length);
      } else {
        out.put(((ByteBuffer) p).duplicate());
      }
    }
    return out.array();
  }

  /** Returns the size of {@link #toByteArray()} in bytes. */
  public long joinedSize() {
    long pos = 8L + 8L * parts.length;
    for (int i = 0; i < parts.length; i++) {
      pos = align(pos) + partSize(i);
    }
    return pos;
  }

  /**
   * Reads the joined form of a frame without copying: the parts of the result are views into {@code
   * joined}, which must not be modified afterwards.
   *
   * @param joined the bytes of {@link #toByteArray()}, from the buffer's position to its limit
   * @return the frame
   * @throws IllegalArgumentException if the bytes are not a joined frame (the message says why)
   */
  public static Frame read(ByteBuffer joined) {
    ByteBuffer in = joined.slice().order(ByteOrder.LITTLE_ENDIAN);
    int limit = in.limit();
    if (limit < 8 || in.getInt(0) != JOINED_MAGIC) {
      throw new IllegalArgumentException(
          "not a jmor frame (" + limit + " bytes, no frame magic number)");
    }
    int count = in.getInt(4);
    if (count < 1 || count > MAX_PARTS || 8L + 8L * count > limit) {
      throw new IllegalArgumentException(
          "corrupt jmor frame: " + count + " parts in " + limit + " bytes");
    }
    List<ByteBuffer> result = new ArrayList<>(count);
    long pos = 8L + 8L * count;
    for (int i = 0; i < count; i++) {
      long size = in.getLong(8 + 8 * i);
      pos = align(pos);
      if (size < 0 || pos + size > limit) {
        throw new IllegalArgumentException(
            "corrupt jmor frame: part " + i + " of " + size + " bytes does not fit in " + limit);
      }
      result.add(in.slice((int) pos, (int) size));
      pos += size;
    }
    return of(result);
  }

  /**
   * Reads the joined form of a frame without copying.
   *
   * @param joined the bytes of {@link #toByteArray()}
   * @return the frame
   * @throws IllegalArgumentException if the bytes are not a joined frame
   */
  public static Frame read(byte[] joined) {
    return read(ByteBuffer.wrap(joined));
  }

  private static int align(int pos) {
    return (pos + 7) & ~7;
  }

  private static long align(long pos) {
    return (pos + 7) & ~7L;
  }

  @Override
  public String toString() {
    return "Frame[" + parts.length + " parts, " + byteSize() + " bytes]";
  }
}
