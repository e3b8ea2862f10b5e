package org.jmor.parallel.cluster;

import java.nio.ByteBuffer;

/**
 * One message between the driver and a worker node: a chunk of a joined frame, or a control
 * message. Frames larger than {@link #CHUNK} travel as several messages that the receiver
 * reassembles by offset (messages may be delivered in any order). On the wire a message is one
 * {@code byte[]}: a header, then the data.
 */
final class ClusterMessage {
  /** The largest chunk of a frame in one message: 4 MiB. */
  static final int CHUNK = 4 << 20;

  /** A chunk of a request frame (driver to worker) or of a reply frame (worker to driver). */
  static final int FRAME = 0;

  /** Cancels request {@link #seq} (driver to worker). */
  static final int CANCEL = 1;

  /** Closes the pool on the worker (driver to worker). */
  static final int CLOSE = 2;

  /** The worker could not answer request {@link #seq}; {@link #data} is a UTF-8 message. */
  static final int ERROR = 3;

  /**
   * Asks a worker whether it listens (driver to worker): a node is in the topology before its
   * listener is installed, and messages to a topic without a listener are dropped.
   */
  static final int PING = 4;

  /** The answer to {@link #PING} (worker to driver), on the reply topic of pool {@link #pool}. */
  static final int PONG = 5;

  int kind;

  /** The pool: unique within the driver node. */
  long pool;

  /** The worker index in the pool. */
  int worker;

  /** The number of workers in the pool. */
  int size;

  /** The pool seed. */
  long seed;

  /** The request's sequence number among the requests to this worker, from 0. */
  long seq;

  /** The length of the whole joined frame. */
  int total;

  /** Where {@link #data} starts in the joined frame. */
  int offset;

  /** The message on the wire: {@link #HEADER} bytes, then the data. */
  byte[] buf = new byte[HEADER];

  ClusterMessage() {}

  ClusterMessage(int kind, long pool, int worker, int size, long seed, long seq) {
    this.kind = kind;
    this.pool = pool;
    this.worker = worker;
    this.size = size;
    this.seed = seed;
    this.seq = seq;
  }

  /** The size of the header in front of the data of a message on the wire (8-aligned). */
  static final int HEADER = 48;

  /** Encodes this message with {@code length} bytes of {@code src} from {@code from} as data. */
  private byte[] wire(int total, int offset, byte[] src, int from, int length) {
    byte[] out = new byte[HEADER + length];
    ByteBuffer b = ByteBuffer.wrap(out);
    b.putInt(kind).putInt(worker).putInt(size).putInt(total).putInt(offset);
    b.putLong(pool).putLong(seed).putLong(seq);
    System.arraycopy(src, from, out, HEADER, length);
    return out;
  }

  /** Encodes this message without data (a control message). */
  byte[] wire() {
    return wire(0, 0, new byte[0], 0, 0);
  }

  /**
   * Encodes {@code joined} as messages like this one, each with at most {@link #CHUNK} bytes of it:
   * a raw {@code byte[]} is what Ignite's messaging moves fastest.
   */
  byte[][] chunks(byte[] joined) {
    int n = Math.max(1, (joined.length + CHUNK - 1) / CHUNK);
    byte[][] out = new byte[n][];
    for (int i = 0; i < n; i++) {
      int from = i * CHUNK;
      int to = Math.min(joined.length, from + CHUNK);
      out[i] = wire(joined.length, from, joined, from, to - from);
    }
    return out;
  }

  /** Decodes a message from the wire; its data stays in {@code wire}. */
  static ClusterMessage parse(byte[] wire) {
    ByteBuffer b = ByteBuffer.wrap(wire);
    ClusterMessage m = new ClusterMessage();
    m.kind = b.getInt();
    m.worker = b.getInt();
    m.size = b.getInt();
    m.total = b.getInt();
    m.offset = b.getInt();
    m.pool = b.getLong();
    m.seed = b.getLong();
    m.seq = b.getLong();
    m.buf = wire;
    return m;
  }

  /** Returns the number of data bytes. */
  int length() {
    return buf.length - HEADER;
  }

  /** Returns whether the data is the whole frame. */
  boolean whole() {
    return length() == total;
  }

  /** Returns the data, a view into the message. */
  ByteBuffer data() {
    return ByteBuffer.wrap(buf, HEADER, length()).slice();
  }

  /** Reassembles the chunks of one frame. */
  static final class Assembly {
    private final byte[] bytes;
    private int missing;

    Assembly(int total) {
      bytes = new byte[total];
      missing = total;
    }

    /**
     * Adds a chunk.
     *
     * @return the whole frame when this was the last chunk, else null
     */
    byte @org.jspecify.annotations.Nullable [] add(ClusterMessage m) {
      System.arraycopy(m.buf, HEADER, bytes, m.offset, m.length());
      missing -= m.length();
      return missing == 0 ? bytes : null;
    }
  }
}
