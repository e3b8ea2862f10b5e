package org.jmor.parallel.cluster;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.jmor.parallel.spi.FrameChunks;

/**
 * One message between the driver and worker nodes. On the wire a message is one {@code byte[]}
 * (what Ignite's messaging moves fastest): a {@link #HEADER} (kind, worker, pool, sequence number,
 * transfer), a table of (worker, sequence number) pairs when one message goes to several workers,
 * then the body: one chunk of a frame ({@link FrameChunks}, at most {@link #CHUNK} data bytes, cut
 * into the same array behind the header), or the text of an {@link #ERROR}.
 */
final class ClusterMessage {
  /**
   * The most data bytes in one message: 8 MiB (measured as fast as 4 MiB for 8 MB, faster for
   * larger frames).
   */
  static final int CHUNK = 8 << 20;

  /** A chunk of a request frame (driver to workers) or of a reply frame (worker to driver). */
  static final int FRAME = 0;

  /** Cancels request {@link #seq} (driver to worker). */
  static final int CANCEL = 1;

  /** Closes the pool on the worker (driver to worker). */
  static final int CLOSE = 2;

  /** The worker could not answer request {@link #seq}; the body is a UTF-8 message. */
  static final int ERROR = 3;

  /**
   * Asks a worker whether it listens (driver to worker): a node is in the topology before its
   * listener is installed, and messages to a topic without a listener are dropped.
   */
  static final int PING = 4;

  /** The answer to {@link #PING} (worker to driver), on the reply topic of pool {@link #pool}. */
  static final int PONG = 5;

  /**
   * A worker received a chunk of transfer {@link #transfer} (worker to driver), for the flow
   * control of frames of several messages.
   */
  static final int ACK = 6;

  /** The size of the header (8-aligned). */
  static final int HEADER = 40;

  private static final int TARGET = 16;

  final int kind;

  /** The worker index (the sender's for replies; the addressee's for a request to one worker). */
  final int worker;

  /** The pool: unique within the driver node. */
  final long pool;

  /** The request's sequence number among the requests of the pool to {@link #worker}, from 0. */
  final long seq;

  /** The driver's id of the transfer of a frame (for acknowledgements). */
  long transfer;

  /** The addressees and their sequence numbers when one message goes to several workers. */
  private int[] workers = new int[0];

  private long[] seqs = new long[0];

  /** A received message on the wire. */
  private byte[] buf = new byte[0];

  ClusterMessage(int kind, long pool, int worker, long seq) {
    this.kind = kind;
    this.pool = pool;
    this.worker = worker;
    this.seq = seq;
  }

  /** Addresses the message to several workers, each with its own sequence number. */
  ClusterMessage to(int[] addressees, long[] numbers) {
    workers = addressees.clone();
    seqs = numbers.clone();
    return this;
  }

  private int bodyStart() {
    return HEADER + workers.length * TARGET;
  }

  private byte[] withHeader(byte[] out) {
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(kind).putInt(worker).putLong(pool).putLong(seq).putLong(transfer);
    b.putInt(workers.length).putInt(0);
    for (int i = 0; i < workers.length; i++) {
      b.putInt(workers[i]).putInt(0).putLong(seqs[i]);
    }
    return out;
  }

  /** Encodes this message without a body (a control message). */
  byte[] wire() {
    return withHeader(new byte[bodyStart()]);
  }

  /** Encodes this message with chunk {@code i} of {@code plan} as its body (no copy beside it). */
  byte[] wire(FrameChunks.Plan plan, int i) {
    return withHeader(plan.toByteArray(i, bodyStart()));
  }

  /** Encodes this message with a text as its body (an error). */
  byte[] wire(String text) {
    byte[] t = text.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[bodyStart() + t.length];
    System.arraycopy(t, 0, out, bodyStart(), t.length);
    return withHeader(out);
  }

  /** Decodes a message from the wire; its body stays in {@code wire}. */
  static ClusterMessage parse(byte[] wire) {
    ByteBuffer b = ByteBuffer.wrap(wire).order(ByteOrder.LITTLE_ENDIAN);
    ClusterMessage m = new ClusterMessage(b.getInt(0), b.getLong(8), b.getInt(4), b.getLong(16));
    m.transfer = b.getLong(24);
    int targets = b.getInt(32);
    if (targets < 0 || HEADER + (long) targets * TARGET > wire.length) {
      throw new IllegalArgumentException("corrupt cluster message: " + targets + " addressees");
    }
    m.workers = new int[targets];
    m.seqs = new long[targets];
    for (int i = 0; i < targets; i++) {
      m.workers[i] = b.getInt(HEADER + i * TARGET);
      m.seqs[i] = b.getLong(HEADER + i * TARGET + 8);
    }
    m.buf = wire;
    return m;
  }

  /**
   * Returns the sequence number of this message for worker {@code index}: {@link #seq} for a
   * message to one worker, else its entry in the table; -1 if the message is not for it.
   */
  long seqFor(int index) {
    if (workers.length == 0) {
      return worker == index ? seq : -1;
    }
    for (int i = 0; i < workers.length; i++) {
      if (workers[i] == index) {
        return seqs[i];
      }
    }
    return -1;
  }

  /** Returns the body of a received message (a chunk, or an error text) as a view. */
  ByteBuffer body() {
    return ByteBuffer.wrap(buf, bodyStart(), buf.length - bodyStart()).slice();
  }

  /** Returns the body of a received {@link #ERROR}. */
  String text() {
    return StandardCharsets.UTF_8.decode(body()).toString();
  }
}
