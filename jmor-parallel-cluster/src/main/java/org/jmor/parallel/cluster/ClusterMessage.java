package org.jmor.parallel.cluster;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.jmor.parallel.spi.Frame;
import org.jspecify.annotations.Nullable;

/**
 * One message between the driver and worker nodes: a piece of a frame, or a control message. On the
 * wire a message is one {@code byte[]} (what Ignite's messaging moves fastest): a {@link #HEADER},
 * a table of {@link #targets} (worker, sequence number) pairs when one message goes to several
 * workers, then segments.
 *
 * <p>A frame travels part by part, never joined: each segment is a piece of one part of the frame
 * (part index, element type, part size, offset), so that the receiver allocates every part once at
 * its final size and copies each piece straight into it; a large {@code double[]} part is sent from
 * the sender's array and received into the new {@code double[]} that the core adopts. Small parts
 * are packed together, so a small frame is one message (read without any copy); a large part is cut
 * into messages of at most {@link #CHUNK} bytes. Messages may arrive in any order: each carries the
 * frame's part and message counts, and the receiver has the frame when it has counted every
 * message.
 */
final class ClusterMessage {
  /**
   * The most data bytes in one message: 8 MiB (measured as fast as 4 MiB for 8 MB, faster for
   * larger frames).
   */
  static final int CHUNK = 8 << 20;

  /**
   * How far beyond {@link #CHUNK} a message may grow to hold the end of a part: an 8 MiB array
   * beside a small header then travels as one message (one message less, and the receiver reads it
   * without reassembly).
   */
  static final int SLACK = 64 << 10;

  /** A piece of a request frame (driver to workers) or of a reply frame (worker to driver). */
  static final int FRAME = 0;

  /** Cancels request {@link #seq} (driver to worker). */
  static final int CANCEL = 1;

  /** Closes the pool on the worker (driver to worker). */
  static final int CLOSE = 2;

  /** The worker could not answer request {@link #seq}; the data is a UTF-8 message. */
  static final int ERROR = 3;

  /**
   * Asks a worker whether it listens (driver to worker): a node is in the topology before its
   * listener is installed, and messages to a topic without a listener are dropped.
   */
  static final int PING = 4;

  /** The answer to {@link #PING} (worker to driver), on the reply topic of pool {@link #pool}. */
  static final int PONG = 5;

  /**
   * A worker received message {@link #msgIndex} of transfer {@link #transfer} (worker to driver),
   * for the flow control of frames of several messages.
   */
  static final int ACK = 6;

  /** Segment type: raw bytes. */
  static final int BYTES = 0;

  /** Segment type: the bytes of a {@code double[]} (little-endian). */
  static final int DOUBLES = 1;

  /** The size of the header (8-aligned). */
  static final int HEADER = 64;

  private static final int TARGET = 16;
  private static final int SEGMENT = 32;

  int kind;

  /** The worker index (the sender's for replies; the addressee's for a unicast request). */
  int worker;

  /** The number of workers in the pool. */
  int size;

  /** The number of parts of the frame. */
  int partCount;

  /** The number of messages of the frame. */
  int msgCount;

  /** This message's index among them. */
  int msgIndex;

  /** The pool: unique within the driver node. */
  long pool;

  /** The pool seed. */
  long seed;

  /** The request's sequence number among the requests to {@link #worker}, from 0. */
  long seq;

  /** The driver's id of the transfer of a frame (for acknowledgements). */
  long transfer;

  /** The number of (worker, sequence number) pairs after the header; 0 for one addressee. */
  int targets;

  /** The message on the wire. */
  byte[] buf = new byte[0];

  ClusterMessage() {}

  ClusterMessage(int kind, long pool, int worker, int size, long seed, long seq) {
    this.kind = kind;
    this.pool = pool;
    this.worker = worker;
    this.size = size;
    this.seed = seed;
    this.seq = seq;
  }

  private static int align(int pos) {
    return (pos + 7) & ~7;
  }

  private ByteBuffer writeHeader(byte[] out, int[] workers, long[] seqs) {
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(kind).putInt(worker).putInt(size).putInt(partCount).putInt(msgCount).putInt(msgIndex);
    b.putLong(pool).putLong(seed).putLong(seq).putLong(transfer);
    b.putInt(workers.length).putInt(0);
    for (int i = 0; i < workers.length; i++) {
      b.putInt(workers[i]).putInt(0).putLong(seqs[i]);
    }
    return b;
  }

  /** Encodes this message without data (a control message). */
  byte[] wire() {
    byte[] out = new byte[HEADER];
    writeHeader(out, new int[0], new long[0]);
    return out;
  }

  /** Encodes this message with {@code data} as one segment of raw bytes (an error text). */
  byte[] wire(byte[] data) {
    partCount = 1;
    msgCount = 1;
    msgIndex = 0;
    byte[] out = new byte[HEADER + SEGMENT + align(data.length)];
    ByteBuffer b = writeHeader(out, new int[0], new long[0]);
    b.putInt(0).putInt(BYTES).putInt(data.length).putInt(0).putLong(data.length).putLong(0);
    b.put(data);
    return out;
  }

  /** Decodes a message from the wire; its data stays in {@code wire}. */
  static ClusterMessage parse(byte[] wire) {
    ByteBuffer b = ByteBuffer.wrap(wire).order(ByteOrder.LITTLE_ENDIAN);
    ClusterMessage m = new ClusterMessage();
    m.kind = b.getInt();
    m.worker = b.getInt();
    m.size = b.getInt();
    m.partCount = b.getInt();
    m.msgCount = b.getInt();
    m.msgIndex = b.getInt();
    m.pool = b.getLong();
    m.seed = b.getLong();
    m.seq = b.getLong();
    m.transfer = b.getLong();
    m.targets = b.getInt();
    m.buf = wire;
    return m;
  }

  /**
   * Returns the sequence number of this message for worker {@code index}: {@link #seq} for a
   * message to one worker, else its entry in the table; -1 if the message is not for it.
   */
  long seqFor(int index) {
    if (targets == 0) {
      return worker == index ? seq : -1;
    }
    ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < targets; i++) {
      int at = HEADER + i * TARGET;
      if (b.getInt(at) == index) {
        return b.getLong(at + 8);
      }
    }
    return -1;
  }

  private int bodyStart() {
    return HEADER + targets * TARGET;
  }

  /** Returns the data of a control message of one segment (an error text). */
  ByteBuffer text() {
    ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
    int at = bodyStart();
    if (at + SEGMENT > buf.length) {
      return ByteBuffer.allocate(0);
    }
    int length = b.getInt(at + 8);
    return ByteBuffer.wrap(buf, at + SEGMENT, length).slice();
  }

  /**
   * Returns the frame of a message that holds a whole frame ({@link #msgCount} 1), as views into
   * the message (no copy).
   */
  Frame wholeFrame() {
    ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer[] parts = new ByteBuffer[partCount];
    int at = bodyStart();
    while (at + SEGMENT <= buf.length) {
      int part = b.getInt(at);
      int length = b.getInt(at + 8);
      parts[part] = ByteBuffer.wrap(buf, at + SEGMENT, length).slice();
      at = align(at + SEGMENT + length);
    }
    for (int i = 0; i < parts.length; i++) {
      if (parts[i] == null) {
        throw new IllegalStateException("part " + i + " of a one-message frame is missing");
      }
    }
    return Frame.of(parts);
  }

  /**
   * Encodes a frame as messages: every part once, small parts packed together, large parts cut into
   * pieces of at most {@link #CHUNK} bytes. Messages are built one at a time ({@link
   * #message(int)}), so the sender holds one piece at a time beside the frame.
   */
  static final class Plan {
    private final Frame frame;
    private final ClusterMessage head;
    private final int[] workers;
    private final long[] seqs;
    private final List<int[]> messages = new ArrayList<>(); // per message: part, from, to (in 8s)
    private final List<long[]> offsets = new ArrayList<>(); // per message: offset per segment

    /**
     * Plans the messages of a frame.
     *
     * @param frame the frame
     * @param head the header fields (kind, pool, size, seed, worker and seq or the targets)
     * @param workers the addressees when several (else empty)
     * @param seqs their sequence numbers
     */
    Plan(Frame frame, ClusterMessage head, int[] workers, long[] seqs) {
      this.frame = frame;
      this.head = head;
      this.workers = workers;
      this.seqs = seqs;
      List<Integer> segParts = new ArrayList<>();
      List<Long> segOffsets = new ArrayList<>();
      List<Long> segLengths = new ArrayList<>();
      long used = 0;
      for (int p = 0; p < frame.partCount(); p++) {
        long size = frame.partSize(p);
        long off = 0;
        do {
          long want = size - off;
          long space = CHUNK - used;
          if (used > 0 && want > space && space < (1 << 16)) {
            flush(segParts, segOffsets, segLengths);
            used = 0;
            space = CHUNK;
          }
          if (want > space && want - space <= SLACK) {
            space = want; // the end of a part a little beyond CHUNK: no tiny extra message
          }
          long n = Math.max(0, Math.min(want, space)); // a multiple of 8: space and sizes are
          segParts.add(p);
          segOffsets.add(off);
          segLengths.add(n);
          used += SEGMENT + align((int) n);
          off += n;
        } while (off < size);
      }
      flush(segParts, segOffsets, segLengths);
      head.partCount = frame.partCount();
      head.msgCount = messages.size();
    }

    private void flush(List<Integer> parts, List<Long> offs, List<Long> lengths) {
      if (parts.isEmpty()) {
        return;
      }
      int[] m = new int[parts.size() * 2];
      long[] o = new long[parts.size() * 2];
      for (int i = 0; i < parts.size(); i++) {
        m[2 * i] = parts.get(i);
        m[2 * i + 1] = (int) (long) lengths.get(i);
        o[2 * i] = offs.get(i);
      }
      messages.add(m);
      offsets.add(o);
      parts.clear();
      offs.clear();
      lengths.clear();
    }

    /** Returns the number of messages. */
    int count() {
      return messages.size();
    }

    /**
     * Builds message {@code i}.
     *
     * @param i the message index
     * @return the message on the wire
     */
    byte[] message(int i) {
      int[] m = messages.get(i);
      long[] o = offsets.get(i);
      int length = HEADER + workers.length * TARGET;
      for (int s = 0; s < m.length; s += 2) {
        length += SEGMENT + align(m[s + 1]);
      }
      byte[] out = new byte[length];
      ByteBuffer b;
      synchronized (head) {
        head.msgIndex = i;
        b = head.writeHeader(out, workers, seqs);
      }
      for (int s = 0; s < m.length; s += 2) {
        int part = m[s];
        int n = m[s + 1];
        long off = o[s];
        double[] d = frame.doubleArray(part);
        b.putInt(part).putInt(d != null ? DOUBLES : BYTES).putInt(n).putInt(0);
        b.putLong(frame.partSize(part)).putLong(off);
        int at = b.position();
        if (d != null) {
          ByteBuffer.wrap(out, at, n)
              .order(ByteOrder.LITTLE_ENDIAN)
              .asDoubleBuffer()
              .put(d, (int) (off / 8), n / 8);
        } else {
          ByteBuffer src = frame.part(part);
          src.position((int) off).limit((int) off + n);
          ByteBuffer.wrap(out, at, n).put(src);
        }
        b.position(align(at + n));
      }
      return out;
    }
  }

  /** Reassembles the messages of one frame; thread-safe. */
  static final class Assembly {
    private final Object[] parts;
    private int missing;

    Assembly(int partCount, int msgCount) {
      parts = new Object[partCount];
      missing = msgCount;
    }

    /**
     * Adds a message.
     *
     * @return the whole frame when this was the last message, else null
     */
    @Nullable Frame add(ClusterMessage m) {
      ByteBuffer b = ByteBuffer.wrap(m.buf).order(ByteOrder.LITTLE_ENDIAN);
      int at = m.bodyStart();
      while (at + SEGMENT <= m.buf.length) {
        int part = b.getInt(at);
        int type = b.getInt(at + 4);
        int n = b.getInt(at + 8);
        long size = b.getLong(at + 16);
        long off = b.getLong(at + 24);
        Object target;
        synchronized (this) {
          target = parts[part];
          if (target == null) {
            if (size > Integer.MAX_VALUE - 16) {
              throw new IllegalStateException("a part of " + size + " bytes is too large");
            }
            target = type == DOUBLES ? new double[(int) (size / 8)] : new byte[(int) size];
            parts[part] = target;
          }
        }
        if (target instanceof double[] d) {
          ByteBuffer.wrap(m.buf, at + SEGMENT, n)
              .order(ByteOrder.LITTLE_ENDIAN)
              .asDoubleBuffer()
              .get(d, (int) (off / 8), n / 8);
        } else {
          System.arraycopy(m.buf, at + SEGMENT, (byte[]) target, (int) off, n);
        }
        at = align(at + SEGMENT + n);
      }
      synchronized (this) {
        if (--missing > 0) {
          return null;
        }
      }
      for (int i = 0; i < parts.length; i++) {
        if (parts[i] == null) {
          throw new IllegalStateException("part " + i + " of a frame never arrived");
        }
      }
      return Frame.ofOwned(List.of(parts));
    }
  }
}
