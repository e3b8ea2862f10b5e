package org.jmor.parallel.mpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.jmor.parallel.mpi.jni.Mpi;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.FrameChunks;
import org.jspecify.annotations.Nullable;

/**
 * The wire format between ranks: the tags, the ops, the layout of a control message, and the
 * encoding of a {@link Frame} into MPI messages and back. {@link MpiWorld} (rank 0's driver) and
 * {@link MpiWorkerLoop} (the other ranks) send and receive with it; neither lays out a message
 * itself.
 *
 * <h2>Requests and replies</h2>
 *
 * A request is a control message (tag {@link #TAG_REQUEST}: op, pool id, the request's sequence
 * number, the index, kind and size of each large part, then every part smaller than {@link
 * #PACK_LIMIT} packed into one {@link FrameChunks} chunk, a large part standing there as an empty
 * placeholder) followed by the large parts: point-to-point messages (tag {@link
 * #TAG_REQUEST_PART}), or, for a broadcast, one {@code MPI_Bcast} per part. A large {@code
 * double[]} is sent straight from the pinned Java array and received straight into a new {@code
 * double[]} that the worker adopts. A reply is the same (tags {@link #TAG_REPLY}, {@link
 * #TAG_REPLY_PART}), so a small request or reply is one message. Every request gets exactly one
 * answer (a reply, or {@link #DROPPED} when the rank dropped it: cancelled, or its pool closed), so
 * that rank 0 knows which ranks are idle.
 *
 * <h2>Interrupts</h2>
 *
 * Interrupts travel with a tag of their own ({@link #TAG_CONTROL}), since a rank runs a request on
 * the thread that receives the requests: rank 0 sends {@link #CANCEL} (pool, sequence number) when
 * a pending request is cancelled and {@link #CLOSE} (pool) when a pool closes; a rank sends {@link
 * #STOP} to itself to end its control thread. {@link #QUIT} (rank 0 to a rank, {@link
 * #TAG_REQUEST}) and {@link #QUIT_ACK} (back, {@link #TAG_REPLY}) end the job; {@link #STOP} from
 * rank 0 to itself on {@link #TAG_REPLY} ends its receiver thread. All numbers are little-endian.
 */
final class MpiWire {
  private MpiWire() {}

  static final int TAG_REQUEST = 7101;
  static final int TAG_REQUEST_PART = 7102;
  static final int TAG_REPLY = 7103;
  static final int TAG_REPLY_PART = 7104;

  /**
   * Interrupts from rank 0 to a rank ({@link #CANCEL}, {@link #CLOSE}), received by the rank's
   * control thread while its event loop's thread may be running a request; and {@link #STOP} from a
   * rank to itself, which ends its control thread.
   */
  static final int TAG_CONTROL = 7105;

  /** A request to one rank (op, pool, sequence number, frame). */
  static final byte FRAME = 2;

  /** A request to every rank, its large parts by {@code MPI_Bcast}. */
  static final byte BCAST = 3;

  /** Closes a pool on a rank (op, pool). */
  static final byte CLOSE = 4;

  /** Tells a rank to leave its event loop (op only). */
  static final byte QUIT = 5;

  /** A reply (op, pool, sequence number, frame). */
  static final byte REPLY = 6;

  /** A rank's answer to {@link #QUIT} (op only). */
  static final byte QUIT_ACK = 7;

  /** Ends the thread that receives it (op only). */
  static final byte STOP = 8;

  /** The answer to a request the rank dropped (op, pool, sequence number). */
  static final byte DROPPED = 9;

  /** Cancels a request on a rank (op, pool, sequence number). */
  static final byte CANCEL = 10;

  /** Large part kinds: a message of bytes, or of doubles (from and into a Java double[]). */
  static final byte BYTES = 0;

  static final byte DOUBLES = 1;

  /**
   * Parts smaller than this many bytes travel inside the control message. Each separate message
   * above Open MPI's eager limit costs a handshake with the receiver, which takes a scheduler time
   * slice when the cores are busy (a frame of 240 parts of 20 KB took 30 to 50 ms that way during
   * the thermal-block greedy search, against one copy of 5 MB now); larger parts are still sent
   * straight from, and received into, their Java arrays.
   */
  static final int PACK_LIMIT = 64 * 1024;

  /** Control messages larger than this are not pinned when the destination may be busy. */
  static final int EAGER = 4096;

  /** Where the sequence number sits in a request or reply (after op and pool). */
  private static final int SEQUENCE_AT = 1 + 8;

  private static final int HEAD = 1 + 8 + 8 + 4; // op, pool, sequence, large part count

  private static final int LARGE_ENTRY = 4 + 1 + 8; // index, kind, size

  /** A little-endian buffer of {@code bytes} for a control message. */
  static ByteBuffer control(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Reads a received message: a little-endian buffer over it, at its op. */
  static ByteBuffer read(byte[] msg) {
    return ByteBuffer.wrap(msg).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The message {@code op} alone ({@link #QUIT}, {@link #QUIT_ACK}, {@link #STOP}). */
  static byte[] opOnly(byte op) {
    return new byte[] {op};
  }

  /** {@link #CLOSE}: closes pool {@code pool} on a rank. */
  static byte[] closeMessage(long pool) {
    return control(1 + 8).put(CLOSE).putLong(pool).array();
  }

  /**
   * {@code op} ({@link #CANCEL} or {@link #DROPPED}) of request {@code seq} of pool {@code pool}.
   */
  static byte[] requestMessage(byte op, long pool, long seq) {
    return control(1 + 8 + 8).put(op).putLong(pool).putLong(seq).array();
  }

  /** Overwrites the sequence number of a request or reply made by {@link #message}. */
  static void setSequence(byte[] msg, long seq) {
    read(msg).putLong(SEQUENCE_AT, seq);
  }

  /** Whether a part travels as a message of its own ({@link #PACK_LIMIT}). */
  static boolean large(Frame frame, int part) {
    return frame.partSize(part) >= PACK_LIMIT;
  }

  /**
   * The control message of a request or reply: op, pool, sequence number, the table of large parts,
   * and the frame's small parts as one {@link FrameChunks} chunk (a large part is an empty
   * placeholder there).
   *
   * @param arraysAsDoubles whether large {@code double[]} parts travel as doubles (from the pinned
   *     array) rather than as bytes (from a copy)
   */
  static byte[] message(byte op, long pool, long seq, Frame frame, boolean arraysAsDoubles) {
    int n = frame.partCount();
    int large = 0;
    for (int i = 0; i < n; i++) {
      large += large(frame, i) ? 1 : 0;
    }
    Frame small = frame;
    if (large > 0) {
      Object[] parts = new Object[n];
      for (int i = 0; i < n; i++) {
        double[] d = frame.doubleArray(i);
        parts[i] = large(frame, i) ? new byte[0] : d != null ? d : frame.part(i);
      }
      small = Frame.of(Arrays.asList(parts));
    }
    FrameChunks.Plan plan = FrameChunks.plan(small, Integer.MAX_VALUE); // one chunk
    int head = HEAD + LARGE_ENTRY * large;
    byte[] msg = plan.toByteArray(0, head);
    ByteBuffer c = read(msg);
    c.put(op).putLong(pool).putLong(seq).putInt(large);
    for (int i = 0; i < n; i++) {
      if (large(frame, i)) {
        boolean doubles = arraysAsDoubles && frame.doubleArray(i) != null;
        c.putInt(i).put(doubles ? DOUBLES : BYTES).putLong(frame.partSize(i));
      }
    }
    return msg;
  }

  /**
   * The rest of a control message after op, pool and sequence number: the large parts it announces
   * (still to be received) and the frame of its small parts (views of the message, a large part an
   * empty placeholder).
   */
  static final class Body {
    /** The part index of each large part. */
    final int[] index;

    /** The kind of each large part: {@link #BYTES} or {@link #DOUBLES}. */
    final byte[] kinds;

    /** The size in bytes of each large part. */
    final long[] sizes;

    /** The small parts. */
    final Frame small;

    private Body(int[] index, byte[] kinds, long[] sizes, Frame small) {
      this.index = index;
      this.kinds = kinds;
      this.sizes = sizes;
      this.small = small;
    }

    /** The number of large parts. */
    int largeCount() {
      return index.length;
    }
  }

  /**
   * Reads the rest of a control message, positioned after op, pool and sequence number.
   *
   * @param ctrl the message
   * @return its table of large parts and its small parts
   */
  static Body readBody(ByteBuffer ctrl) {
    int large = ctrl.getInt();
    int[] index = new int[large];
    byte[] kinds = new byte[large];
    long[] sizes = new long[large];
    for (int i = 0; i < large; i++) {
      index[i] = ctrl.getInt();
      kinds[i] = ctrl.get();
      sizes[i] = ctrl.getLong();
    }
    return new Body(index, kinds, sizes, FrameChunks.read(ctrl.slice()));
  }

  /**
   * Reads the rest of a control message (after op, pool and sequence number) and receives the large
   * parts it announces, each into its final array: through a native buffer on rank 0 (its other
   * threads must stay free to allocate), straight into the pinned array on the other ranks (the
   * parts are already on their way). The small parts are views of the control message.
   *
   * @param broadcast whether the large parts come by {@code MPI_Bcast} from rank 0 (to a rank other
   *     than 0: pinned)
   */
  static Frame receiveFrame(
      ByteBuffer ctrl, int source, int tag, boolean broadcast, boolean pinned) {
    Body body = readBody(ctrl);
    if (body.largeCount() == 0) {
      return body.small;
    }
    Object[] parts = new Object[body.small.partCount()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = body.small.part(i);
    }
    for (int i = 0; i < body.largeCount(); i++) {
      int size = Math.toIntExact(body.sizes[i]);
      if (body.kinds[i] == DOUBLES) {
        double[] d = new double[size / 8];
        if (broadcast) {
          Mpi.bcastPinned(d, 0, d.length, 0);
        } else if (pinned) {
          Mpi.recvPinned(d, 0, d.length, source, tag);
        } else {
          Mpi.recv(d, 0, d.length, source, tag);
        }
        parts[body.index[i]] = d;
      } else {
        byte[] b = new byte[size];
        if (broadcast) {
          Mpi.bcastPinned(b, 0, b.length, 0);
        } else if (pinned) {
          Mpi.recvPinned(b, 0, b.length, source, tag);
        } else {
          Mpi.recv(b, 0, b.length, source, tag);
        }
        parts[body.index[i]] = b;
      }
    }
    return Frame.ofOwned(Arrays.asList(parts));
  }

  /**
   * Sends a request's control message ({@link #TAG_REQUEST}); a large one to a rank that may be
   * busy (not {@code pinned}) goes through the stage.
   */
  static void sendControl(byte[] ctrl, int dest, boolean pinned, Staging staging) {
    if (pinned || ctrl.length <= EAGER) {
      Mpi.send(ctrl, 0, ctrl.length, dest, TAG_REQUEST);
    } else {
      Mpi.send(staging.get(ctrl.length).put(ctrl), ctrl.length, dest, TAG_REQUEST);
    }
  }

  /**
   * Sends a frame's large parts (those not packed into its control message), in part order:
   * point-to-point, or with {@code MPI_Bcast} from rank 0. A {@code double[]} goes straight from
   * the pinned array if {@code pinned}; anything else is copied into the staging buffer first.
   *
   * @param copies for a broadcast, arrays indexed by part (null, or null entries: no copy) that
   *     receive the large {@code double[]} parts, each copied while it is broadcast ({@link
   *     Mpi#bcastCopy}) when it goes from its pinned array, else after; each as long as its part
   */
  static void sendLarge(
      Frame frame,
      int dest,
      int tag,
      boolean pinned,
      boolean broadcast,
      Staging staging,
      double @Nullable [] @Nullable [] copies) {
    for (int i = 0; i < frame.partCount(); i++) {
      if (!large(frame, i)) {
        continue;
      }
      double[] d = frame.doubleArray(i);
      double[] copy = broadcast && copies != null && i < copies.length ? copies[i] : null;
      if (d != null && pinned) {
        if (broadcast && copy != null) {
          Mpi.bcastCopy(d, copy, d.length, 0);
        } else if (broadcast) {
          Mpi.bcast(d, 0, d.length, 0);
        } else {
          Mpi.send(d, 0, d.length, dest, tag);
        }
      } else {
        int n = Math.toIntExact(frame.partSize(i));
        ByteBuffer s = staging.get(n);
        if (d != null) {
          s.asDoubleBuffer().put(d);
          if (copy != null) {
            System.arraycopy(d, 0, copy, 0, d.length);
          }
        } else {
          s.put(frame.part(i));
        }
        if (broadcast) {
          Mpi.bcast(s, n, 0);
        } else {
          Mpi.send(s, n, dest, tag);
        }
      }
    }
  }

  /**
   * A direct buffer that messages are copied into before sending, grown on demand. Not thread-safe:
   * one sending thread at a time uses it (on rank 0 the thread holding the send lock, on the other
   * ranks the replying thread).
   */
  static final class Staging {
    private @Nullable ByteBuffer buffer;

    /** Returns the buffer (little-endian, cleared), of at least {@code bytes}. */
    ByteBuffer get(int bytes) {
      ByteBuffer b = buffer;
      if (b == null || b.capacity() < bytes) {
        b = ByteBuffer.allocateDirect(Math.max(bytes, 1 << 20)).order(ByteOrder.LITTLE_ENDIAN);
        buffer = b;
      }
      b.clear();
      return b;
    }
  }
}
