package org.jmor.parallel.cluster;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.FrameChunks;
import org.jspecify.annotations.Nullable;

/**
 * One message between the driver and worker nodes. On the wire a message is one {@code byte[]}
 * (what Ignite's messaging moves fastest): a {@link #HEADER} (kind, worker, pool, sequence number,
 * transfer), a table of (worker, sequence number) pairs when one message goes to several workers,
 * then the body: one chunk of a frame ({@link FrameChunks}, at most {@link #CHUNK} data bytes, cut
 * into the same array behind the header), or the text of an {@link #ERROR}.
 *
 * <p>A frame that fits in one message and holds {@code double[]} parts of at least {@link
 * #DIRECT_BYTES} bytes travels as an {@code Object[]} instead: the {@code byte[]} message (its
 * chunk with those parts left empty), an {@code int[]} of their part indices, then the arrays
 * themselves. Ignite's marshaller copies a {@code double[]} straight from the sender's array and
 * unmarshals it into a new array, which the receiver adopts ({@link Frame#ofOwned}): one copy fewer
 * on each side than a chunk. An 8 MB {@code push} to 2 workers saves 8 MB of zeroed allocation and
 * copy in the caller before Ignite sees the message, and one in each worker: round medians of push
 * and remove 13.6-16.8 ms against 15.5-21.0 ms (5 alternating pairs, no TLS).
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

  /**
   * The smallest {@code double[]} part that travels beside the chunk as itself: 1 MiB, where the
   * saved copies were measured to pay (1 MiB {@code push} to 2 workers: minimum 1.6 ms against
   * 1.8-2.4 ms; 8 MB: see above). For 80 KB arrays (the demo's vectors on a 50 × 50 grid) the
   * {@code Object[]} form was no faster (mean of round medians 1.06 against 1.07 ms), so smaller
   * arrays stay packed in the chunk, as they were.
   */
  static final int DIRECT_BYTES = 1 << 20;

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

  /** The part indices of the arrays that came beside the chunk, and the arrays. */
  private int[] directParts = new int[0];

  private double[][] directArrays = new double[0][];

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

  /**
   * Decodes a message as Ignite delivers it: a {@code byte[]}, or the {@code Object[]} of a frame
   * with arrays beside its chunk.
   *
   * @throws IllegalArgumentException if the message has neither form, or a corrupt header
   */
  static ClusterMessage parse(Object message) {
    if (message instanceof byte[]) {
      return parse((byte[]) message);
    }
    if (!(message instanceof Object[])) {
      throw new IllegalArgumentException(
          "corrupt cluster message: a " + message.getClass().getName());
    }
    Object[] o = (Object[]) message;
    if (o.length < 3
        || !(o[0] instanceof byte[])
        || !(o[1] instanceof int[])
        || ((int[]) o[1]).length != o.length - 2) {
      throw new IllegalArgumentException("corrupt cluster message: an array of " + o.length);
    }
    ClusterMessage m = parse((byte[]) o[0]);
    m.directParts = ((int[]) o[1]).clone();
    m.directArrays = new double[o.length - 2][];
    for (int i = 0; i < m.directArrays.length; i++) {
      if (!(o[i + 2] instanceof double[])) {
        throw new IllegalArgumentException("corrupt cluster message: element " + (i + 2));
      }
      m.directArrays[i] = (double[]) o[i + 2];
    }
    return m;
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

  /** Returns whether the frame of this received message came with arrays beside its chunk. */
  boolean hasDirectParts() {
    return directParts.length > 0;
  }

  /**
   * Returns the frame of a received message whose body is a frame's only chunk: views into the
   * message, and the arrays that came beside it in their places (adopted: {@link Frame#ofOwned}).
   *
   * @throws IllegalArgumentException if the chunk is corrupt, not a frame's only chunk, or does not
   *     match the arrays beside it
   */
  Frame frame() {
    Frame chunk = FrameChunks.read(body());
    if (directParts.length == 0) {
      return chunk;
    }
    List<Object> parts = new ArrayList<>(chunk.partCount());
    for (int i = 0; i < chunk.partCount(); i++) {
      parts.add(chunk.part(i));
    }
    for (int k = 0; k < directParts.length; k++) {
      int i = directParts[k];
      if (i < 1
          || i >= parts.size()
          || chunk.partSize(i) != 0
          || !(parts.get(i) instanceof ByteBuffer)) {
        throw new IllegalArgumentException("corrupt cluster message: array for part " + i);
      }
      parts.set(i, directArrays[k]);
    }
    return Frame.ofOwned(parts);
  }

  /** Returns the body of a received {@link #ERROR}. */
  String text() {
    return StandardCharsets.UTF_8.decode(body()).toString();
  }

  /**
   * The messages of one frame: one message with its large {@code double[]} parts beside the chunk
   * when the whole frame fits in one message, else the chunks of a {@link FrameChunks.Plan}.
   * Immutable; may be written from several threads.
   */
  static final class Outgoing {
    private final FrameChunks.Plan plan;
    private final int @Nullable [] direct;
    private final double[][] arrays;

    private Outgoing(FrameChunks.Plan plan, int @Nullable [] direct, double[][] arrays) {
      this.plan = plan;
      this.direct = direct;
      this.arrays = arrays;
    }

    /** Plans the messages of a frame (not copied; it must not change while they are sent). */
    static Outgoing of(Frame frame) {
      if (frame.byteSize() <= CHUNK + FrameChunks.SLACK) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 1; i < frame.partCount(); i++) {
          if (frame.doubleArray(i) != null && frame.partSize(i) >= DIRECT_BYTES) {
            idx.add(i);
          }
        }
        if (!idx.isEmpty()) {
          List<Object> parts = new ArrayList<>(frame.partCount());
          double[][] arrays = new double[idx.size()][];
          for (int i = 0; i < frame.partCount(); i++) {
            double[] d = frame.doubleArray(i);
            parts.add(d != null ? d : frame.part(i)); // part(i) would copy an array
          }
          int[] direct = new int[idx.size()];
          for (int k = 0; k < direct.length; k++) {
            direct[k] = idx.get(k);
            arrays[k] = frame.doubleArray(direct[k]);
            parts.set(direct[k], ByteBuffer.allocate(0));
          }
          FrameChunks.Plan rest = FrameChunks.plan(Frame.of(parts), CHUNK);
          if (rest.count() == 1) {
            return new Outgoing(rest, direct, arrays);
          }
        }
      }
      return new Outgoing(FrameChunks.plan(frame, CHUNK), null, new double[0][]);
    }

    /** Returns the number of messages, at least 1. */
    int count() {
      return plan.count();
    }

    /** Returns message {@code i} with {@code head} as its header, as Ignite should send it. */
    Object wire(ClusterMessage head, int i) {
      byte[] chunk = head.wire(plan, i);
      int[] d = direct;
      if (d == null) {
        return chunk;
      }
      Object[] out = new Object[2 + d.length];
      out[0] = chunk;
      out[1] = d.clone();
      System.arraycopy(arrays, 0, out, 2, arrays.length);
      return out;
    }
  }
}
