package org.jmor.parallel.cluster;

import java.io.Serializable;

/**
 * One message between the driver and a worker node: a chunk of a joined frame, or a control
 * message. Frames larger than {@link #CHUNK} travel as several messages that the receiver
 * reassembles by offset (messages may be delivered in any order).
 */
final class ClusterMessage implements Serializable {
  private static final long serialVersionUID = 1L;

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

  byte[] data = new byte[0];

  ClusterMessage() {}

  ClusterMessage(int kind, long pool, int worker, int size, long seed, long seq) {
    this.kind = kind;
    this.pool = pool;
    this.worker = worker;
    this.size = size;
    this.seed = seed;
    this.seq = seq;
  }

  ClusterMessage chunk(int total, int offset, byte[] data) {
    ClusterMessage m = new ClusterMessage(kind, pool, worker, size, seed, seq);
    m.total = total;
    m.offset = offset;
    m.data = data;
    return m;
  }

  /** Splits {@code joined} into messages like this one, each at most {@link #CHUNK} bytes. */
  ClusterMessage[] chunks(byte[] joined) {
    if (joined.length <= CHUNK) {
      return new ClusterMessage[] {chunk(joined.length, 0, joined)};
    }
    int n = (joined.length + CHUNK - 1) / CHUNK;
    ClusterMessage[] out = new ClusterMessage[n];
    for (int i = 0; i < n; i++) {
      int from = i * CHUNK;
      int to = Math.min(joined.length, from + CHUNK);
      out[i] = chunk(joined.length, from, java.util.Arrays.copyOfRange(joined, from, to));
    }
    return out;
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
      System.arraycopy(m.data, 0, bytes, m.offset, m.data.length);
      missing -= m.data.length;
      return missing == 0 ? bytes : null;
    }
  }
}
