package org.jmor.parallel.internal;

import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.RemoteThrowable;
import org.jspecify.annotations.Nullable;

/**
 * The worker protocol: how the core turns a {@link Command} into a request {@link Frame}, how a
 * worker answers it ({@link #handle}), and how the caller decodes the answer ({@link
 * #decodeReply}).
 *
 * <h2>Layout of part 0 (little-endian)</h2>
 *
 * <pre>
 *   int   magic     0x524F4D4A ("JMOR")
 *   short version   {@link #VERSION}
 *   byte  kind      request, ok, failed, element failed, refused, open
 *   byte  flags     bit 0 (SIMPLE): an "ok" body that is a small value (null, Boolean, Integer,
 *                   Long, Double, a String of at most 1024 chars) as a tag and its bytes instead
 *                   of a serialization stream; bit 1 (COMPACT): a request body that is a call of
 *                   a lambda capturing nothing with small arguments ({@link CompactCall}); else 0
 *   long  sequence  the request's number; a reply repeats it
 *   long  element   for "element failed", the input index of the failed map element; for "ok"
 *                   and "failed", how long the command ran on the worker in nanoseconds (-1:
 *                   unknown; a peer that does not measure it sends -1, so the layout and the
 *                   version are unchanged); else -1
 *   ...   body      Java serialization (request: the command; ok: the result; failed: a portable
 *                   copy of the throwable, then the throwable itself if it serializes); for
 *                   "refused", a UTF-8 message; for "open", no serialization (it sets up the
 *                   filter that the rest is read with): int index, int size, long seed, int
 *                   length of the filter pattern in bytes (-1: none), the pattern in UTF-8
 * </pre>
 *
 * <p>The first request to each worker of a remote pool is an "open" request ({@link #open}),
 * sequence number 0: it carries the worker's index, the pool size, the seed and the caller's
 * deserialization filter, so that no backend carries them in a header of its own.
 *
 * <p>The magic number, the version and the kind keep their places in every version, so that a peer
 * of another version is refused with a message that names both versions.
 */
public final class Protocol {
  /** The magic number of part 0. */
  public static final int MAGIC = 0x524F4D4A;

  /** The protocol version that this library speaks. */
  public static final short VERSION = 3;

  static final byte REQUEST = 1;
  static final byte OK = 2;
  static final byte FAILED = 3;
  static final byte ELEMENT_FAILED = 4;
  static final byte REFUSED = 5;
  static final byte OPEN = 6;

  static final int HEADER_BYTES = 24;

  private Protocol() {}

  /**
   * Encodes a request.
   *
   * @param sequence the request's number
   * @param command the command
   * @return the frame
   * @throws IllegalArgumentException if something in the command is not serializable
   */
  public static Frame request(long sequence, Command command) {
    if (command instanceof Commands.Call) {
      Frame compact = CompactCall.encode(sequence, (Commands.Call) command);
      if (compact != null) {
        return compact;
      }
    }
    return encode(REQUEST, sequence, -1, command);
  }

  /** What an open-pool request carries. */
  public record Open(int index, int size, long seed, @Nullable String filter) {}

  /**
   * Encodes the open-pool request of one worker (sequence number 0).
   *
   * @param index the worker's index
   * @param size the pool size
   * @param seed the pool seed
   * @param filter the caller's deserialization filter pattern, or null
   * @return the frame
   */
  public static Frame open(int index, int size, long seed, @Nullable String filter) {
    byte[] f = filter == null ? new byte[0] : filter.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + 20 + f.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(MAGIC).putShort(VERSION).put(OPEN).put((byte) 0).putLong(0).putLong(-1);
    b.putInt(index).putInt(size).putLong(seed).putInt(filter == null ? -1 : f.length).put(f);
    b.flip();
    return Frame.of(b);
  }

  /**
   * Reads an open-pool request.
   *
   * @param frame a frame
   * @return what it carries, or null if it is no open-pool request of this version
   * @throws ProtocolException if it is one but cannot be read
   */
  public static @Nullable Open readOpen(Frame frame) {
    ByteBuffer h;
    try {
      h = header(frame);
    } catch (RuntimeException e) {
      return null;
    }
    if (h.get(6) != OPEN || h.getShort(4) != VERSION) {
      return null;
    }
    try {
      int length = h.getInt(HEADER_BYTES + 16);
      String filter = null;
      if (length >= 0) {
        byte[] f = new byte[length];
        h.get(HEADER_BYTES + 20, f);
        filter = new String(f, StandardCharsets.UTF_8);
      }
      return new Open(
          h.getInt(HEADER_BYTES), h.getInt(HEADER_BYTES + 4), h.getLong(HEADER_BYTES + 8), filter);
    } catch (IndexOutOfBoundsException e) {
      throw new ProtocolException("corrupt open-pool request (" + h.remaining() + " bytes)");
    }
  }

  /**
   * The reply of a worker that opened its pool.
   *
   * @return the frame
   */
  public static Frame opened() {
    return encode(OK, 0, -1, null);
  }

  /**
   * A reply that refuses a request.
   *
   * @param sequence the request's number, or -1
   * @param message why
   * @return the frame
   */
  public static Frame refusal(long sequence, String message) {
    return refused(sequence, message);
  }

  /**
   * Returns a request's sequence number, or -1 if the frame cannot be read.
   *
   * @param frame a request
   * @return its number
   */
  public static long sequenceOf(Frame frame) {
    try {
      return header(frame).getLong(8);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /**
   * Answers a request on a worker. Never throws: every failure, including a frame that cannot be
   * read, becomes a reply.
   *
   * @param worker the worker's state
   * @param request the request
   * @param filter the deserialization filter
   * @return the reply
   */
  public static Frame handle(WorkerState worker, Frame request, ObjectInputFilter filter) {
    long sequence = -1;
    long started = -1;
    try {
      ByteBuffer header = header(request);
      short version = header.getShort(4);
      sequence = header.getLong(8);
      if (version != VERSION) {
        return refused(
            sequence,
            "protocol version mismatch: the request has version "
                + version
                + ", but this worker speaks version "
                + VERSION
                + "; run the same jmor version on every side");
      }
      if (header.get(6) != REQUEST) {
        return refused(sequence, "not a request (kind " + header.get(6) + ")");
      }
      Command command =
          (header.get(7) & COMPACT) != 0
              ? CompactCall.decode(header, request, filter)
              : (Command) body(header, request, filter);
      Object result;
      started = System.nanoTime();
      long ran;
      try {
        result = worker.execute(command);
        ran = System.nanoTime() - started;
      } catch (ElementFailure f) {
        return failure(ELEMENT_FAILED, sequence, f.element(), Objects.requireNonNull(f.getCause()));
      }
      try {
        return encode(OK, sequence, ran, result);
      } catch (IllegalArgumentException e) {
        return failure(
            FAILED,
            sequence,
            ran,
            new IllegalArgumentException(
                "the task's result cannot be sent back: " + e.getMessage(), e));
      }
    } catch (ThreadDeath d) {
      throw d;
    } catch (Throwable t) {
      try {
        return failure(FAILED, sequence, started < 0 ? -1 : System.nanoTime() - started, t);
      } catch (Throwable again) {
        return refused(sequence, "cannot encode the worker's failure: " + t + " (" + again + ")");
      }
    }
  }

  /**
   * Decodes a reply.
   *
   * @param reply the reply frame
   * @param sequence the number of the request it answers
   * @param filter the deserialization filter
   * @return the value of an "ok" reply
   * @throws ElementFailure for a failed map element, with the task's exception as the cause
   * @throws ProtocolException for a refused request, a reply of another version or to another
   *     request, or a frame that cannot be read
   * @throws Throwable what the task threw (a copy of it)
   */
  public static @Nullable Object decodeReply(Frame reply, long sequence, ObjectInputFilter filter)
      throws Throwable {
    ByteBuffer header;
    try {
      header = header(reply);
    } catch (RuntimeException e) {
      throw new ProtocolException("unreadable reply: " + e.getMessage(), e);
    }
    short version = header.getShort(4);
    byte kind = header.get(6);
    long seq = header.getLong(8);
    if (kind == REFUSED) {
      throw new ProtocolException("the worker refused request #" + sequence + ": " + text(header));
    }
    if (version != VERSION) {
      throw new ProtocolException(
          "protocol version mismatch: the worker speaks version "
              + version
              + ", but this caller speaks version "
              + VERSION
              + "; run the same jmor version on every side");
    }
    if (seq != sequence) {
      throw new ProtocolException(
          "reply to request #" + seq + " where the reply to #" + sequence + " was expected");
    }
    switch (kind) {
      case OK:
        return (header.get(7) & SIMPLE) != 0 ? readSimple(header) : body(header, reply, filter);
      case FAILED:
        throw decodeFailure(header, reply, filter);
      case ELEMENT_FAILED:
        throw new ElementFailure(header.getLong(16), decodeFailure(header, reply, filter));
      default:
        throw new ProtocolException("unknown reply kind " + kind);
    }
  }

  private static ByteBuffer header(Frame frame) {
    ByteBuffer h = frame.part(0).order(ByteOrder.LITTLE_ENDIAN);
    if (h.remaining() < HEADER_BYTES || h.getInt(0) != MAGIC) {
      throw new ProtocolException(
          "not a jmor frame (part 0 has " + h.remaining() + " bytes, no magic number)");
    }
    return h;
  }

  /**
   * Returns how long the command that {@code reply} answers ran on the worker, as the worker
   * measured it: the "element" field of an "ok" or "failed" reply; -1 for other replies, an
   * unreadable frame, or a peer that did not measure it.
   *
   * @param reply the reply frame
   * @return nanoseconds, or -1
   */
  public static long runNanosOf(Frame reply) {
    try {
      ByteBuffer h = header(reply);
      byte kind = h.get(6);
      long run = h.getLong(16);
      return (kind == OK || kind == FAILED) && run >= 0 ? run : -1;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static Frame encode(byte kind, long sequence, long element, @Nullable Object body) {
    if (kind == OK) {
      Frame simple = simpleReply(sequence, body, element);
      if (simple != null) {
        return simple;
      }
    }
    FrameCodec.Bytes out = new FrameCodec.Bytes(256);
    writeHeader(out, kind, sequence, element);
    List<Object> parts = new ArrayList<>(2);
    parts.add(null);
    FrameCodec.write(body, out, parts);
    parts.set(0, out.buffer());
    return Frame.of(parts);
  }

  private static Frame failure(byte kind, long sequence, long element, Throwable t) {
    // the portable copy first, so that a caller that lacks a class still gets the name, the
    // message and the stack; then the throwable itself, if it serializes
    FrameCodec.Bytes out = new FrameCodec.Bytes(1024);
    writeHeader(out, kind, sequence, element);
    List<Object> parts = new ArrayList<>(1);
    parts.add(null);
    FrameCodec.Bytes portable = new FrameCodec.Bytes(512);
    FrameCodec.write(RemoteThrowable.of(t), portable, parts);
    FrameCodec.Bytes original = new FrameCodec.Bytes(512);
    try {
      FrameCodec.write(t, original, parts);
    } catch (IllegalArgumentException notSerializable) {
      original.reset();
    }
    writeInt(out, portable.size());
    out.writeBytes(portable.toByteArray());
    writeInt(out, original.size());
    out.writeBytes(original.toByteArray());
    parts.set(0, out.buffer());
    return Frame.of(parts);
  }

  private static Frame refused(long sequence, String message) {
    FrameCodec.Bytes out = new FrameCodec.Bytes(256);
    writeHeader(out, REFUSED, sequence, -1);
    byte[] m = message.getBytes(StandardCharsets.UTF_8);
    out.write(m, 0, m.length);
    return Frame.of(List.of(out.buffer()));
  }

  // The fast path of small results (flag SIMPLE): null, a Boolean, Integer, Long or Double, or a
  // String of at most SIMPLE_STRING chars travels as a tag and its value, without a Java
  // serialization stream (whose set-up dominates the codec cost of a small reply).
  private static final byte SIMPLE = 1;
  static final byte COMPACT = 2;
  private static final int SIMPLE_STRING = 1024;
  static final byte T_NULL = 0;
  static final byte T_TRUE = 1;
  static final byte T_FALSE = 2;
  static final byte T_INT = 3;
  static final byte T_LONG = 4;
  static final byte T_DOUBLE = 5;
  static final byte T_STRING = 6;

  private static @Nullable Frame simpleReply(long sequence, @Nullable Object v, long runNanos) {
    byte[] text = smallText(v);
    int size = smallSize(v, text);
    if (size < 0) {
      return null;
    }
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + size).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(MAGIC).putShort(VERSION).put(OK).put(SIMPLE).putLong(sequence).putLong(runNanos);
    putSmall(b, v, text);
    b.flip();
    return Frame.of(b);
  }

  private static @Nullable Object readSimple(ByteBuffer header) {
    ByteBuffer b = header.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    b.position(HEADER_BYTES);
    try {
      return getSmall(b, b.get(), "value", "a reply");
    } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
      throw new ProtocolException("corrupt reply: its value is cut short");
    }
  }

  /**
   * Returns the UTF-8 bytes of a String that travels as a small value (at most {@value
   * #SIMPLE_STRING} chars), else null: for {@link #smallSize} and {@link #putSmall}.
   */
  static byte @Nullable [] smallText(@Nullable Object v) {
    return v instanceof String && ((String) v).length() <= SIMPLE_STRING
        ? ((String) v).getBytes(StandardCharsets.UTF_8)
        : null;
  }

  /**
   * Returns how many bytes a small value takes as a tag and its bytes (null, a Boolean, Integer,
   * Long or Double, or a String whose {@link #smallText} is {@code text}); -1 for any other value.
   */
  static int smallSize(@Nullable Object v, byte @Nullable [] text) {
    if (v == null || v instanceof Boolean) {
      return 1;
    } else if (v instanceof Integer) {
      return 5;
    } else if (v instanceof Long || v instanceof Double) {
      return 9;
    } else if (text != null) {
      return 5 + text.length;
    }
    return -1;
  }

  /** Writes a small value (one that {@link #smallSize} accepts) as its tag and bytes. */
  static void putSmall(ByteBuffer b, @Nullable Object v, byte @Nullable [] text) {
    if (v == null) {
      b.put(T_NULL);
    } else if (v instanceof Boolean) {
      b.put((Boolean) v ? T_TRUE : T_FALSE);
    } else if (v instanceof Integer) {
      b.put(T_INT).putInt((Integer) v);
    } else if (v instanceof Long) {
      b.put(T_LONG).putLong((Long) v);
    } else if (v instanceof Double) {
      b.put(T_DOUBLE).putDouble((Double) v);
    } else {
      byte[] t = Objects.requireNonNull(text);
      b.put(T_STRING).putInt(t.length).put(t);
    }
  }

  /**
   * Reads the small value of a tag already read from {@code b}.
   *
   * @throws ProtocolException "unknown {what} tag N in {where}" for a tag of no small value
   * @throws java.nio.BufferUnderflowException if its bytes are cut short
   * @throws NegativeArraySizeException if a text has a negative length
   */
  static @Nullable Object getSmall(ByteBuffer b, byte tag, String what, String where) {
    switch (tag) {
      case T_NULL:
        return null;
      case T_TRUE:
        return Boolean.TRUE;
      case T_FALSE:
        return Boolean.FALSE;
      case T_INT:
        return b.getInt();
      case T_LONG:
        return b.getLong();
      case T_DOUBLE:
        return b.getDouble();
      case T_STRING:
        byte[] t = new byte[b.getInt()];
        b.get(t);
        return new String(t, StandardCharsets.UTF_8);
      default:
        throw new ProtocolException("unknown " + what + " tag " + tag + " in " + where);
    }
  }

  private static void writeHeader(FrameCodec.Bytes out, byte kind, long sequence, long element) {
    ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(MAGIC).putShort(VERSION).put(kind).put((byte) 0).putLong(sequence).putLong(element);
    out.write(h.array(), 0, HEADER_BYTES);
  }

  private static void writeInt(FrameCodec.Bytes out, int v) {
    out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array(), 0, 4);
  }

  private static Object body(ByteBuffer header, Frame frame, ObjectInputFilter filter) {
    ByteBuffer b = header.duplicate();
    b.position(HEADER_BYTES);
    return FrameCodec.read(new BufferInput(b), frame, filter);
  }

  private static Throwable decodeFailure(ByteBuffer header, Frame frame, ObjectInputFilter filter) {
    ByteBuffer b = header.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    b.position(HEADER_BYTES);
    int portableLength = b.getInt();
    ByteBuffer portable = b.slice().limit(portableLength);
    b.position(b.position() + portableLength);
    int originalLength = b.getInt();
    if (originalLength > 0) {
      try {
        return (Throwable)
            FrameCodec.read(new BufferInput(b.slice().limit(originalLength)), frame, filter);
      } catch (RuntimeException | LinkageError e) {
        // the caller lacks the class, or refuses it: fall back to the portable copy
      }
    }
    return (Throwable) FrameCodec.read(new BufferInput(portable), frame, filter);
  }

  private static String text(ByteBuffer header) {
    ByteBuffer b = header.duplicate();
    b.position(HEADER_BYTES);
    byte[] m = new byte[b.remaining()];
    b.get(m);
    return new String(m, StandardCharsets.UTF_8);
  }

  /** Reads a frame's header for tests and diagnostics: version, kind and sequence. */
  public static String describe(Frame frame) {
    ByteBuffer h = header(frame);
    return "version " + h.getShort(4) + ", kind " + h.get(6) + ", sequence " + h.getLong(8);
  }

  /** An {@link InputStream} over a buffer's remaining bytes. */
  private static final class BufferInput extends InputStream {
    private final ByteBuffer b;

    BufferInput(ByteBuffer b) {
      this.b = b;
    }

    @Override
    public int read() {
      return b.hasRemaining() ? b.get() & 0xFF : -1;
    }

    @Override
    public int read(byte[] dst, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (!b.hasRemaining()) {
        return -1;
      }
      int n = Math.min(len, b.remaining());
      b.get(dst, off, n);
      return n;
    }

    @Override
    public int available() {
      return b.remaining();
    }
  }
}
