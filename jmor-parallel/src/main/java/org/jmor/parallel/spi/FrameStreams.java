package org.jmor.parallel.spi;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Frames and control messages over a byte stream (a socket, a pipe), for a backend whose wire is a
 * connection of its own: the {@code processes} backend uses it at both ends of its loopback
 * sockets.
 *
 * <h2>The wire</h2>
 *
 * Each message is a 16-byte header (big-endian: its kind, the length of its body, a sequence
 * number) and then the body. A frame travels as its {@link FrameChunks} chunks: a frame of one
 * chunk as one message of kind {@link #FRAME}, a larger one as messages of kind {@link #PART}, back
 * to back (no other message of that {@link Writer} comes between them). The kinds from 3 to the
 * backend's largest are its own messages, header only (cancel, close, heartbeat); the sequence
 * number says what they are about.
 *
 * <h2>Threads and hops</h2>
 *
 * A {@link Writer} is written by the thread that posts a small message when nothing else is being
 * written (no thread hop for a request or reply of up to {@value #DIRECT} bytes), else by its own
 * writer thread, always in the order posted; it never wakes its writer thread without work (a
 * thread woken for nothing cost a hop per message on a 2-core machine). A {@link Reader} is read by
 * one thread at a time.
 */
public final class FrameStreams {
  /** A frame that is one chunk. */
  public static final int FRAME = 1;

  /** A chunk of a frame of several chunks. */
  public static final int PART = 2;

  /** The header's size in bytes. */
  public static final int HEADER = 16;

  /** The body bytes per chunk of a frame: 1 MiB. */
  public static final int CHUNK = 1 << 20;

  /** The largest message that the posting thread writes itself: 64 KiB. */
  public static final int DIRECT = 64 << 10;

  private FrameStreams() {}

  /** What a {@link Reader} does with a message. */
  @FunctionalInterface
  public interface Receiver {
    /**
     * Handles a message, in the reading thread.
     *
     * @param kind its kind
     * @param sequence its sequence number
     * @param body its body: a {@link #FRAME}'s in a new array (so {@link FrameChunks#read} may keep
     *     views into it), a {@link #PART}'s in an array reused for the next {@code PART} (copy what
     *     you keep, as {@link FrameChunks.Assembly#add} does); empty for the other kinds
     */
    void receive(int kind, long sequence, ByteBuffer body);
  }

  /** Reads messages from a stream; one thread at a time (not thread-safe). */
  public static final class Reader {
    private final DataInputStream in;
    private final int maxKind;
    private byte[] part = new byte[0];
    private final byte[] header = new byte[HEADER];

    /**
     * Wraps a stream (buffered here).
     *
     * @param in the stream
     * @param maxKind the largest kind the backend uses, at least {@link #PART}
     */
    public Reader(InputStream in, int maxKind) {
      this.in = new DataInputStream(new BufferedInputStream(in, DIRECT));
      this.maxKind = maxKind;
    }

    /**
     * Reads the next message (blocking until it is whole) and hands it to {@code receiver}.
     *
     * @param receiver what handles it
     * @return its kind
     * @throws IOException if the stream fails or ends (an {@link java.io.EOFException}), or a
     *     header is corrupt (an unknown kind, a negative length)
     */
    public int next(Receiver receiver) throws IOException {
      int kind = in.readInt();
      int length = in.readInt();
      long seq = in.readLong();
      if (length < 0 || kind < FRAME || kind > maxKind) {
        throw new IOException("a corrupt message (kind " + kind + ", " + length + " bytes)");
      }
      part = kind == PART && part.length < length ? new byte[length] : part;
      byte[] b = kind == PART ? part : new byte[length];
      in.readFully(b, 0, length);
      receiver.receive(kind, seq, ByteBuffer.wrap(b, 0, length));
      return kind;
    }

    /**
     * Reads the next message as {@link #next} does, from a stream with a read timeout (a socket's
     * {@code SO_TIMEOUT}), so that the reading thread can do other things between messages: returns
     * 0 without consuming anything if no byte of a message arrived within one timeout; once a
     * message has begun, reads all of it, waiting out timeouts as long as no {@code silenceNanos}
     * pass without a byte. The thread that calls it may change for every message (one at a time).
     *
     * @param receiver what handles the message
     * @param silenceNanos the longest pause within a message
     * @return its kind, or 0 if none began within the stream's timeout
     * @throws java.net.SocketTimeoutException if a message began and then nothing arrived for
     *     {@code silenceNanos}
     * @throws IOException as {@link #next}
     */
    public int nextWithin(Receiver receiver, long silenceNanos) throws IOException {
      if (!fill(header, HEADER, true, silenceNanos)) {
        return 0;
      }
      ByteBuffer h = ByteBuffer.wrap(header);
      int kind = h.getInt();
      int length = h.getInt();
      long seq = h.getLong();
      if (length < 0 || kind < FRAME || kind > maxKind) {
        throw new IOException("a corrupt message (kind " + kind + ", " + length + " bytes)");
      }
      part = kind == PART && part.length < length ? new byte[length] : part;
      byte[] b = kind == PART ? part : new byte[length];
      fill(b, length, false, silenceNanos);
      receiver.receive(kind, seq, ByteBuffer.wrap(b, 0, length));
      return kind;
    }

    /**
     * Returns how many bytes can be read without blocking (buffered here or waiting in the stream);
     * 0 if none, or if the stream cannot say.
     *
     * @return the number of bytes
     * @throws IOException if the stream has failed
     */
    public int available() throws IOException {
      return in.available();
    }

    private boolean fill(byte[] b, int length, boolean mayGiveUp, long silenceNanos)
        throws IOException {
      long heard = System.nanoTime();
      for (int n = 0; n < length; ) {
        try {
          int k = in.read(b, n, length - n);
          if (k < 0) {
            throw new EOFException(
                n == 0 && mayGiveUp ? "the stream ended" : "the stream ended within a message");
          }
          n += k;
          heard = System.nanoTime();
        } catch (java.net.SocketTimeoutException e) {
          if (n == 0 && mayGiveUp) {
            return false;
          } else if (System.nanoTime() - heard > silenceNanos) {
            throw e;
          }
        }
      }
      return true;
    }
  }

  /**
   * Writes messages to a stream from any thread, in the order posted (see {@link FrameStreams}). A
   * failed write calls the failure action (closing the connection, so that the reader at the other
   * end, and at this end, sees it end) and drops what is queued. Thread-safe.
   */
  public static final class Writer {
    private final OutputStream out;
    private final Runnable failed;
    private final Thread writer;
    private final ArrayDeque<Message> queue = new ArrayDeque<>(); // guarded by this
    private boolean busy; // a thread writes to out; guarded by this
    private boolean shut; // guarded by this
    private byte[] buffer = new byte[0]; // guarded by busy

    /**
     * Starts the writer thread (a daemon).
     *
     * @param out the stream, unbuffered (each message is written with one call)
     * @param name the writer thread's name
     * @param failed run once a write fails, in the writing thread; should close the connection
     */
    public Writer(OutputStream out, String name, Runnable failed) {
      this.out = Objects.requireNonNull(out, "out");
      this.failed = Objects.requireNonNull(failed, "failed");
      writer = new Thread(this::writeQueued, name);
      writer.setDaemon(true);
      writer.start();
    }

    /**
     * Sends a frame as its chunks, written now by this thread if it is one chunk of at most {@value
     * #DIRECT} bytes and nothing else is being written, else queued; never waits for a write. The
     * frame is read while it is written: it must not change until then (the core never changes a
     * frame it sent).
     *
     * @param sequence the number the messages carry
     * @param frame the frame
     */
    public void send(long sequence, Frame frame) {
      post(new Message(FRAME, sequence, FrameChunks.plan(frame, CHUNK)));
    }

    /**
     * Sends a header-only message of the backend's own kind, now if nothing else is being written.
     *
     * @param kind the kind, above {@link #PART}
     * @param sequence its number
     */
    public void post(int kind, long sequence) {
      post(new Message(kind, sequence, null));
    }

    private void post(Message m) {
      FrameChunks.Plan p = m.plan;
      boolean small = p == null || (p.count() == 1 && p.length(0) <= DIRECT);
      synchronized (this) {
        if (shut) {
          return;
        } else if (busy || !queue.isEmpty() || !small) {
          queue.add(m);
          notifyAll();
          return;
        }
        busy = true;
      }
      write(m);
    }

    private void write(Message m) {
      FrameChunks.Plan p = m.plan;
      boolean ok = false;
      try {
        for (int c = 0, count = p == null ? 1 : p.count(); c < count; c++) {
          int length = p == null ? 0 : p.length(c);
          buffer = buffer.length < HEADER + length ? new byte[HEADER + length] : buffer;
          ByteBuffer b = ByteBuffer.wrap(buffer).putInt(count > 1 ? PART : m.kind).putInt(length);
          b.putLong(m.sequence);
          if (p != null) {
            p.write(c, b);
          }
          out.write(buffer, 0, HEADER + length);
        }
        ok = true;
      } catch (IOException | RuntimeException e) {
        // reported below
      } finally {
        synchronized (this) {
          busy = false;
          if (!ok) {
            shut = true;
            queue.clear();
          } else if (!queue.isEmpty()) {
            notifyAll(); // only then: no writer thread is woken for nothing
          }
        }
      }
      if (!ok) {
        failed.run();
      }
    }

    private void writeQueued() {
      try {
        while (true) {
          write(next());
        }
      } catch (InterruptedException e) {
        // shut down
      }
    }

    private synchronized Message next() throws InterruptedException {
      while (busy || queue.isEmpty()) {
        wait();
      }
      busy = true;
      return queue.remove();
    }

    /** Stops the writer thread and drops what is queued; later messages are dropped. */
    public void shutdown() {
      synchronized (this) {
        shut = true;
        queue.clear();
      }
      writer.interrupt(); // ends its wait
    }
  }

  private static final class Message {
    final int kind;
    final long sequence;
    final FrameChunks.@Nullable Plan plan;

    Message(int kind, long sequence, FrameChunks.@Nullable Plan plan) {
      this.kind = kind;
      this.sequence = sequence;
      this.plan = plan;
    }
  }
}
