package org.jmor.parallel.spi;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The reading side of a socket that several threads read in turns, one message at a time: the
 * thread that would otherwise wait for another thread to read (a caller waiting for its reply, a
 * worker thread idle between requests) takes the free turn and reads itself, so that a message
 * reaches the thread that needs it without a thread hop, as in a plain socket ping-pong. The {@code
 * processes} backend uses it at both ends.
 *
 * <ul>
 *   <li><b>Turns.</b> {@link #tryTake()} takes the turn if it is free; only the holder may call
 *       {@link #read(int)}; {@link #release()} gives it back. Whoever holds it reads the messages
 *       of others too (its {@link FrameStreams.Receiver} completes them).
 *   <li><b>Spin.</b> {@link #read(int, long)} first polls the stream for a while, then blocks: a
 *       thread that blocks at once is woken by the kernel when the message arrives, which costs
 *       10-25 µs per side on a virtual machine, more than a loopback round trip of a small request;
 *       a message that arrives within the spin is read without that wake-up. A spin only pays where
 *       a core is free for it: a spinning thread keeps the threads it waits for from running.
 *   <li><b>Silence.</b> A connection that sends nothing for the silence given at construction is
 *       reported ended (heartbeats keep a live one busy); a message that begins and then stalls for
 *       that long too.
 *   <li><b>End.</b> The end of the stream, a failed read, the silence, or a message of the kind
 *       {@code closeKind} ends the connection once: {@link #read} returns -1 from then on and
 *       {@link #ended()} says why.
 * </ul>
 *
 * Thread-safe as described: turns are taken with a compare-and-set, so a thread never blocks on
 * another one's read.
 */
public final class TurnReader {
  /** What {@link #ended()} says after the peer's orderly close (a message of the close kind). */
  public static final String CLOSED = "it closed its connection";

  private final Socket socket;
  private final FrameStreams.Reader reader;
  private final FrameStreams.Receiver receiver;
  private final int closeKind;
  private final long silence;
  private final AtomicBoolean turn = new AtomicBoolean();
  private final AtomicReference<@Nullable String> ended = new AtomicReference<>();
  private volatile long heard = System.nanoTime();
  private volatile long runningSince; // when the last holder began to run what it read; 0: not

  /**
   * Wraps a connected socket.
   *
   * @param socket the socket; its read timeout is set by {@link #read} from now on
   * @param maxKind the largest message kind of the backend (see {@link FrameStreams.Reader})
   * @param closeKind the kind that ends the connection (the peer's orderly close)
   * @param receiver what handles each message, in the reading thread
   * @param silence how long the peer may send nothing before the connection counts as ended; null
   *     for ever
   * @throws IOException if the socket's stream cannot be had
   */
  public TurnReader(
      Socket socket,
      int maxKind,
      int closeKind,
      FrameStreams.Receiver receiver,
      @Nullable Duration silence)
      throws IOException {
    this.socket = socket;
    this.reader = new FrameStreams.Reader(socket.getInputStream(), maxKind);
    this.receiver = receiver;
    this.closeKind = closeKind;
    this.silence = silence == null ? Long.MAX_VALUE : silence.toNanos();
  }

  /** Takes the turn if it is free and the connection has not ended; never blocks. */
  public boolean tryTake() {
    return ended.get() == null && turn.compareAndSet(false, true);
  }

  /** Gives the turn back; only its holder may call it. */
  public void release() {
    turn.set(false);
  }

  /**
   * Says whether the thread that holds (or just gave back) the turn runs what it read, for {@link
   * #awaitTurn}: call it with true before {@link #release()} and with false once the work is done.
   *
   * @param running whether it runs a request now
   */
  public void running(boolean running) {
    runningSince = running ? System.nanoTime() | 1 : 0;
  }

  /**
   * Blocks until this thread holds the turn, for a peer's threads that take turns to read and run
   * requests: the turn is taken when it is free and its last holder is not running a request (it
   * takes the turn back itself), or has run one for {@code takeOverNanos} (so a cancel or a close
   * is read while a long request runs, and two threads do not swap roles for short ones). Polls
   * every 100 µs at first, backing off to {@code maxPauseNanos}, so that no thread is woken per
   * message.
   *
   * @param takeOverNanos how long a request runs before another thread reads on
   * @param maxPauseNanos the longest pause between two looks
   * @return true once the turn is held; false if the connection has ended
   */
  public boolean awaitTurn(long takeOverNanos, long maxPauseNanos) {
    for (long pause = 100_000; ended.get() == null; pause = Math.min(2 * pause, maxPauseNanos)) {
      long since = runningSince;
      if ((since == 0 || System.nanoTime() - since > takeOverNanos) && tryTake()) {
        return true;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(pause);
    }
    return false;
  }

  /**
   * Reads one message (the caller holds the turn), waiting at most {@code waitMillis} for one to
   * begin, or for ever if it is 0.
   *
   * @param waitMillis the longest wait, in milliseconds; 0 for no limit
   * @return the message's kind (the close kind ends the connection); 0 if none began within the
   *     wait; -1 if the connection has ended (this read ended it, or an earlier one did)
   */
  public int read(int waitMillis) {
    return read(waitMillis, 0);
  }

  /**
   * Reads one message as {@link #read(int)} does, polling the stream for the first {@code
   * spinNanos} of the wait instead of blocking (see the class comment).
   *
   * @param waitMillis the longest wait, in milliseconds; 0 for no limit
   * @param spinNanos how long to poll before blocking, within the wait; 0 or less: not at all
   * @return as {@link #read(int)}
   */
  public int read(int waitMillis, long spinNanos) {
    if (ended.get() != null) {
      return -1;
    }
    try {
      socket.setSoTimeout(waitMillis);
      long spin = waitMillis == 0 ? spinNanos : Math.min(spinNanos, waitMillis * 1_000_000L);
      long end = System.nanoTime() + spin; // then block
      while (spin > 0 && reader.available() == 0 && System.nanoTime() - end < 0) {
        Thread.onSpinWait();
      }
      int kind = reader.nextWithin(receiver, silence);
      long now = System.nanoTime();
      if (kind != 0) {
        heard = now;
      } else if (now - heard > silence) {
        return end("it sent nothing for " + Duration.ofNanos(silence) + " (frozen or stopped?)");
      }
      if (kind == closeKind) {
        end(CLOSED);
      }
      return kind;
    } catch (SocketTimeoutException e) {
      return end("a message of it stalled for " + Duration.ofNanos(silence));
    } catch (IOException e) {
      return end("its connection failed: " + e);
    }
  }

  private int end(String why) {
    ended.compareAndSet(null, why);
    return -1;
  }

  /** Returns why the connection ended, or null while it has not. */
  public @Nullable String ended() {
    return ended.get();
  }
}
