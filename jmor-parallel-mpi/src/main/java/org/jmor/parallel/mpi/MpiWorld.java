package org.jmor.parallel.mpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jmor.parallel.spi.Frame;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's view of the MPI job: rank, size, and on rank 0 the two threads that talk to the
 * other ranks (one sender, so that the messages to each rank keep their order and collectives are
 * issued in one order; one receiver of replies). MPI is process-wide by nature, so this is the one
 * process-wide object of the module.
 *
 * <h2>Wire format between ranks</h2>
 *
 * A request is a control message (tag {@link #TAG_REQUEST}: op, pool id, request id, then the kind
 * and size of each frame part, then the bytes of every part smaller than {@link #PACK_LIMIT})
 * followed by the frame's larger parts: point-to-point messages (tag {@link #TAG_REQUEST_PART}),
 * or, for a broadcast, one {@code MPI_Bcast} per part. A large {@code double[]} part is sent
 * straight from the pinned Java array and received into a new {@code double[]} that the worker
 * adopts as the final array (on ranks other than 0, straight into the pinned array). A reply is a
 * control message (tag {@link #TAG_REPLY}: request id, parts, packed parts) followed by its larger
 * parts (tag {@link #TAG_REPLY_PART}). A small request or reply is thus one message. Per pair of
 * ranks MPI keeps messages in order, so each worker answers its requests in order.
 */
final class MpiWorld {
  private static final Logger LOG = LoggerFactory.getLogger(MpiWorld.class);

  static final int TAG_REQUEST = 7101;
  static final int TAG_REQUEST_PART = 7102;
  static final int TAG_REPLY = 7103;
  static final int TAG_REPLY_PART = 7104;

  static final byte OPEN = 1;
  static final byte FRAME = 2;
  static final byte BCAST = 3;
  static final byte CLOSE = 4;
  static final byte QUIT = 5;
  static final byte REPLY = 6;
  static final byte QUIT_ACK = 7;
  static final byte STOP = 8;

  /** Part kinds in a control message: a separate message of bytes, */
  static final byte BYTES = 0;

  /** a separate message of doubles, sent from and received into a Java {@code double[]}, */
  static final byte DOUBLES = 1;

  /** or inside the control message itself, after the table of parts. */
  static final byte PACKED = 2;

  /**
   * Parts smaller than this many bytes travel inside the control message. Each separate message
   * above Open MPI's eager limit costs a handshake with the receiver, which takes a scheduler time
   * slice when the cores are busy (a frame of 240 parts of 20 KB took 30 to 50 ms that way during
   * the thermal-block greedy search, against one copy of 5 MB now); larger parts are still sent
   * straight from, and received into, their Java arrays.
   */
  static final int PACK_LIMIT = 64 * 1024;

  /** The message of pyMOR's MPI event loop when objects are left at exit (E13). */
  static final String LEAVING_WARNING =
      "Leaving MPI event loop while not all managed objects have been removed";

  private static @Nullable MpiWorld instance;

  final int rank;
  final int size;
  private final AtomicLong requestIds = new AtomicLong();
  private final AtomicLong poolIds = new AtomicLong();
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final Map<Long, MpiTransport> openPools = new ConcurrentHashMap<>();

  /**
   * Requests sent to each rank and not answered yet (counted until the reply arrives, also for a
   * closed pool). A large array is sent straight from the pinned Java array only to ranks with no
   * other request in flight: a pinned array holds off the garbage collector of this JVM, and a rank
   * that is sending a reply to this process needs this process's receiver thread, which may have to
   * allocate, so pinning then could deadlock. Otherwise the array is copied once into a direct
   * buffer first.
   */
  private final AtomicIntegerArray inflight;

  private @Nullable ByteBuffer staging; // the direct buffer of the thread holding sendLock

  /**
   * Held by whichever thread sends to the other ranks: the calling thread itself when nothing is
   * queued and the ranks it sends to are idle (no thread hop), otherwise the sender thread, which
   * works through the queue in order. Either way one thread at a time sends, in submission order.
   */
  private final ReentrantLock sendLock = new ReentrantLock();

  /** Send jobs handed to the sender thread and not finished yet. */
  private final AtomicInteger queuedSends = new AtomicInteger();

  /**
   * Replies and acknowledgements rank 0 waits for; the receiver thread sleeps while there are none,
   * instead of polling MPI.
   */
  private final AtomicInteger expected = new AtomicInteger();

  /** Held by the one thread receiving on rank 0: the receiver, or a caller in {@link #progress}. */
  private final ReentrantLock receiveLock = new ReentrantLock();

  private volatile boolean stopReceived;

  /**
   * How long a caller blocked on a reply, and a rank waiting for its next request, poll MPI
   * (yielding the core) before sleeping between polls; rank 0's receiver thread never spins.
   */
  final long spinNanos;

  /** The longest sleep between two polls of a waiting thread; 0: Open MPI's busy MPI_Probe. */
  final long maxSleepNanos;

  private final CountDownLatch quitAcks;
  private @Nullable ExecutorService sender;
  private @Nullable Thread receiver;
  private volatile boolean shutDown;

  private MpiWorld(int rank, int size) {
    this.rank = rank;
    this.size = size;
    this.quitAcks = new CountDownLatch(Math.max(0, size - 1));
    this.inflight = new AtomicIntegerArray(size);
    this.spinNanos = 1000L * micros(SPIN_PROPERTY, DEFAULT_SPIN_MICROS);
    long sleep = micros(MAX_SLEEP_PROPERTY, DEFAULT_MAX_SLEEP_MICROS);
    this.maxSleepNanos = sleep == 0 ? 0 : 1000L * Math.max(1, sleep);
  }

  /**
   * System property: microseconds a caller blocked on a reply, and a rank waiting for its next
   * request, poll before sleeping between polls (default 2000: requests and replies that follow
   * each other closely are noticed at once, an idle rank costs nothing after 2 ms).
   */
  static final String SPIN_PROPERTY = "jmor.mpi.spin-us";

  /**
   * System property: the longest sleep, in microseconds, between two polls of a waiting thread
   * (default 200); 0 waits in Open MPI's blocking {@code MPI_Probe}, which never gives the core
   * away.
   */
  static final String MAX_SLEEP_PROPERTY = "jmor.mpi.max-sleep-us";

  static final long DEFAULT_SPIN_MICROS = 2000;

  /**
   * Rank 0's receiver thread sleeps up to this many times {@link #maxSleepNanos} between polls (2
   * ms by default): a caller blocked on a reply polls for it itself, so the receiver matters only
   * for asynchronous calls, and its wake-ups took a fifth of a core here.
   */
  static final long RECEIVER_SLEEP_FACTOR = 10;

  static final long DEFAULT_MAX_SLEEP_MICROS = 200;

  /** Reads a whole number of microseconds >= 0 from a system property, or the fallback. */
  static long micros(String property, long fallback) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        property + " must be a whole number of microseconds >= 0, got '" + v + "'");
  }

  /**
   * Waits for a message from {@code source} with {@code tag}: politely ({@link Mpi#waitProbe}) or,
   * with {@code jmor.mpi.max-sleep-us=0}, in Open MPI's busy {@link Mpi#probe}.
   */
  void waitFor(int source, int tag, int[] status) {
    if (maxSleepNanos == 0) {
      Mpi.probe(source, tag, status);
    } else {
      Mpi.waitProbe(source, tag, status, spinNanos, maxSleepNanos);
    }
  }

  /**
   * Initializes MPI once for the process ({@code MPI_Init_thread}, asking for {@code
   * MPI_THREAD_MULTIPLE}) and returns the world. On rank 0 it starts the sender and the receiver
   * threads and a shutdown hook that releases the other ranks if the program exits without {@link
   * #shutdown(Duration)}.
   *
   * @return the world
   * @throws IllegalStateException if the shim is missing or MPI cannot give the thread support the
   *     pool needs
   */
  static synchronized MpiWorld get() {
    MpiWorld w = instance;
    if (w != null) {
      return w;
    }
    if (!Mpi.isAvailable()) {
      throw new IllegalStateException(Mpi.unavailableReason());
    }
    if (!Mpi.isInitialized()) {
      int level = Mpi.initThread();
      if (level < 3 && Mpi.size() > 1) {
        Mpi.abort(2);
        throw new IllegalStateException(
            "the MPI library gives thread level "
                + level
                + "; the MPI pool needs MPI_THREAD_MULTIPLE");
      }
    }
    w = new MpiWorld(Mpi.rank(), Mpi.size());
    if (w.rank == 0) {
      w.startDriverThreads();
    }
    instance = w;
    return w;
  }

  private void startDriverThreads() {
    sender =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "jmor-mpi-sender");
              t.setDaemon(true);
              return t;
            });
    Thread t = new Thread(this::receive, "jmor-mpi-receiver");
    t.setDaemon(true);
    t.start();
    receiver = t;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (!shutDown && size > 1) {
                    // never MPI_Finalize here: it hangs the job when a rank has died
                    LOG.warn(
                        "the program exits without MpiMain's orderly shutdown; releasing the other"
                            + " ranks (run it with MpiMain so that MPI is finalized)");
                    quitOthers();
                  }
                },
                "jmor-mpi-exit"));
  }

  boolean isDriver() {
    return rank == 0;
  }

  long newPoolId() {
    return poolIds.incrementAndGet();
  }

  // ------------------------------------------------------------------ rank 0: requests

  private static final class Pending {
    final long pool;
    final int worker;
    final CompletableFuture<Frame> future;

    Pending(long pool, int worker, CompletableFuture<Frame> future) {
      this.pool = pool;
      this.worker = worker;
      this.future = future;
    }
  }

  void openPool(MpiTransport pool, long poolId, int poolSize, long seed) {
    openPools.put(poolId, pool);
    ByteBuffer c = control(1 + 8 + 4 + 8);
    c.put(OPEN).putLong(poolId).putInt(poolSize).putLong(seed);
    byte[] msg = c.array();
    submit(
        () -> {
          for (int r = 1; r < size; r++) {
            Mpi.send(msg, 0, msg.length, r, TAG_REQUEST);
          }
        },
        false);
  }

  /** Closes a pool on the other ranks and fails what it still waits for. */
  void closePool(long poolId) {
    if (openPools.remove(poolId) == null) {
      return;
    }
    ByteBuffer c = control(1 + 8);
    c.put(CLOSE).putLong(poolId);
    byte[] msg = c.array();
    if (!shutDown) {
      submit(
          () -> {
            for (int r = 1; r < size; r++) {
              Mpi.send(msg, 0, msg.length, r, TAG_REQUEST);
            }
          },
          false);
    }
    for (Map.Entry<Long, Pending> e : pending.entrySet()) {
      if (e.getValue().pool == poolId && pending.remove(e.getKey()) != null) {
        e.getValue()
            .future
            .completeExceptionally(
                new CancellationException(
                    "the pool was closed before worker " + e.getValue().worker + " answered"));
      }
    }
  }

  /** Sends a frame to one worker rank; the future completes with its reply. */
  CompletableFuture<Frame> request(long poolId, int worker, Frame frame) {
    long id = requestIds.incrementAndGet();
    CompletableFuture<Frame> f = new RankReply();
    pending.put(id, new Pending(poolId, worker, f));
    boolean idle = inflight.incrementAndGet(worker) == 1;
    expectReplies(1);
    submit(
        () -> {
          boolean pinned = inflight.get(worker) == 1;
          byte[] ctrl = requestControl(FRAME, poolId, id, frame, pinned);
          Mpi.send(ctrl, 0, ctrl.length, worker, TAG_REQUEST);
          for (int i = 0; i < frame.partCount(); i++) {
            if (packed(frame, i)) {
              continue;
            }
            double[] d = frame.doubleArray(i);
            if (d != null && pinned) {
              Mpi.send(d, 0, d.length, worker, TAG_REQUEST_PART);
            } else if (d != null) {
              Mpi.send(stage(d), 8 * d.length, worker, TAG_REQUEST_PART);
            } else {
              byte[] b = bytes(frame, i);
              Mpi.send(b, 0, b.length, worker, TAG_REQUEST_PART);
            }
          }
        },
        idle,
        id);
    return f;
  }

  /** Copies an array into the sender thread's direct buffer (little-endian). */
  private ByteBuffer stage(double[] d) {
    ByteBuffer b = staging;
    if (b == null || b.capacity() < 8 * d.length) {
      b = ByteBuffer.allocateDirect(Math.max(8 * d.length, 1 << 20)).order(ByteOrder.LITTLE_ENDIAN);
      staging = b;
    }
    b.clear();
    b.asDoubleBuffer().put(d);
    return b;
  }

  /**
   * Sends one frame to every worker rank with one {@code MPI_Bcast} per part; returns the replies
   * of ranks 1..size-1.
   */
  List<CompletableFuture<Frame>> broadcast(long poolId, Frame frame) {
    List<CompletableFuture<Frame>> replies = new ArrayList<>(size - 1);
    long[] ids = new long[size - 1];
    boolean idle = true;
    for (int r = 1; r < size; r++) {
      ids[r - 1] = requestIds.incrementAndGet();
      CompletableFuture<Frame> f = new RankReply();
      pending.put(ids[r - 1], new Pending(poolId, r, f));
      idle &= inflight.incrementAndGet(r) == 1;
      replies.add(f);
    }
    expectReplies(size - 1);
    Runnable send =
        () -> {
          boolean pinned = true;
          for (int r = 1; r < size; r++) {
            pinned &= inflight.get(r) == 1;
          }
          for (int r = 1; r < size; r++) {
            byte[] ctrl = requestControl(BCAST, poolId, ids[r - 1], frame, pinned);
            Mpi.send(ctrl, 0, ctrl.length, r, TAG_REQUEST);
          }
          for (int i = 0; i < frame.partCount(); i++) {
            if (packed(frame, i)) {
              continue;
            }
            double[] d = frame.doubleArray(i);
            if (d != null && pinned) {
              Mpi.bcast(d, 0, d.length, 0);
            } else if (d != null) {
              Mpi.bcast(stage(d), 8 * d.length, 0);
            } else {
              byte[] b = bytes(frame, i);
              Mpi.bcast(b, 0, b.length, 0);
            }
          }
        };
    submit(send, idle, ids);
    return replies;
  }

  /**
   * Runs a send job: on the calling thread when no job is queued and the ranks it sends to have no
   * other request in flight (they are waiting for this one, so a large message is taken at once and
   * the caller does not block for long), otherwise on the sender thread after the jobs before it.
   * Jobs run one at a time, in the order of the calls.
   *
   * @param send the job
   * @param idle whether every rank the job sends to has no other request in flight
   * @param requestIds the requests to fail if the job fails
   */
  private void submit(Runnable send, boolean idle, long... requestIds) {
    ExecutorService s = sender;
    if (s == null || shutDown) {
      fail(new IllegalStateException("MPI is shut down"), requestIds);
      return;
    }
    if (idle && queuedSends.get() == 0 && sendLock.tryLock()) {
      try {
        if (queuedSends.get() == 0) {
          runSend(send, requestIds);
          return;
        }
      } finally {
        sendLock.unlock();
      }
    }
    queuedSends.incrementAndGet();
    try {
      s.execute(
          () -> {
            sendLock.lock();
            try {
              runSend(send, requestIds);
            } finally {
              queuedSends.decrementAndGet();
              sendLock.unlock();
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      queuedSends.decrementAndGet();
      fail(new IllegalStateException("MPI is shut down", e), requestIds);
    }
  }

  private void runSend(Runnable send, long... requestIds) {
    try {
      send.run();
    } catch (RuntimeException | Error e) {
      fail(e, requestIds);
    }
  }

  /** Counts replies the receiver must wait for, and wakes it if it slept. */
  private void expectReplies(int n) {
    if (expected.getAndAdd(n) == 0) {
      Thread r = receiver;
      if (r != null) {
        LockSupport.unpark(r);
      }
    }
  }

  private void fail(Throwable e, long... requestIds) {
    for (long id : requestIds) {
      expected.decrementAndGet(); // not sent: no reply comes
      Pending p = pending.remove(id);
      if (p != null) {
        inflight.decrementAndGet(p.worker);
        p.future.completeExceptionally(e);
      }
    }
  }

  // ------------------------------------------------------------------ rank 0: replies

  /**
   * The receiver thread: polls for replies while some are expected (sleeping between polls, 1 µs at
   * first, doubling up to {@link #RECEIVER_SLEEP_FACTOR} times {@link #maxSleepNanos}) and sleeps
   * while none are. A caller blocked on a reply may poll in its own thread meanwhile ({@link
   * #progress}); one thread at a time receives.
   */
  private void receive() {
    int[] status = new int[3];
    long sleep = 1000;
    if (maxSleepNanos > 0) {
      Mpi.preciseSleeps();
    }
    try {
      while (!stopReceived) {
        if (expected.get() <= 0) {
          LockSupport.parkNanos(this, 100_000_000L); // nothing to wait for: until a request
          sleep = 1000;
          continue;
        }
        Runnable done = null;
        if (receiveLock.tryLock()) {
          try {
            done = pollOnce(status);
          } finally {
            receiveLock.unlock();
          }
        }
        if (done != null) {
          done.run();
          sleep = 1000;
          continue;
        }
        if (maxSleepNanos == 0) {
          Thread.onSpinWait();
          continue;
        }
        // no spinning here: a caller blocked on a reply polls itself (progress), and a spinning
        // receiver would take the core from worker 0 and the caller; for the same reason it backs
        // off further than the ranks (each wake-up costs tens of µs of CPU in a virtual machine)
        LockSupport.parkNanos(this, sleep);
        sleep = Math.min(2 * sleep, RECEIVER_SLEEP_FACTOR * maxSleepNanos);
      }
    } catch (RuntimeException | Error e) {
      LOG.error("the MPI receiver stopped: {}", e.toString());
      for (Long id : new ArrayList<>(pending.keySet())) {
        fail(new IllegalStateException("the MPI receiver stopped: " + e, e), id);
      }
    }
  }

  /**
   * Lends a caller's thread while it would block on {@code reply}: polls for replies in this thread
   * for up to {@link #spinNanos} (no hop from the receiver thread to the caller when the reply
   * comes soon), then returns so that the caller blocks as usual.
   */
  void progress(CompletableFuture<Frame> reply, long deadline) {
    if (!(reply instanceof RankReply) || shutDown || maxSleepNanos == 0) {
      return;
    }
    long end = System.nanoTime() + spinNanos;
    if (deadline - end < 0) {
      end = deadline;
    }
    int[] status = new int[3];
    while (!reply.isDone() && System.nanoTime() - end < 0) {
      Runnable done = null;
      if (receiveLock.tryLock()) {
        try {
          done = pollOnce(status);
        } catch (RuntimeException e) {
          LOG.warn("receiving a reply in the caller's thread failed: {}", e.toString());
          return; // the receiver thread meets the same error and fails what is pending
        } finally {
          receiveLock.unlock();
        }
      }
      if (done != null) {
        done.run();
      } else {
        Thread.onSpinWait();
      }
    }
  }

  /**
   * Receives one message to rank 0 if one is there ({@code MPI_Iprobe}); the caller holds {@link
   * #receiveLock}.
   *
   * @return what completes it, to run after releasing the lock; null if no message was there
   */
  private @Nullable Runnable pollOnce(int[] status) {
    if (!Mpi.iprobe(Mpi.anySource(), TAG_REPLY, status)) {
      return null;
    }
    int source = status[0];
    byte[] ctrl = new byte[status[2]];
    Mpi.recv(ctrl, 0, ctrl.length, source, TAG_REPLY);
    ByteBuffer c = ByteBuffer.wrap(ctrl).order(ByteOrder.LITTLE_ENDIAN);
    byte op = c.get();
    expected.decrementAndGet();
    if (op == STOP) {
      stopReceived = true;
      Thread r = receiver;
      if (r != null) {
        LockSupport.unpark(r);
      }
      return () -> {};
    }
    if (op == QUIT_ACK) {
      return quitAcks::countDown;
    }
    long id = c.getLong();
    List<Object> parts = receiveParts(c, source, TAG_REPLY_PART, false);
    inflight.decrementAndGet(source);
    Pending p = pending.remove(id);
    if (p == null) {
      return () -> {}; // the pool was closed meanwhile
    }
    if (parts.isEmpty()) {
      return () ->
          p.future.completeExceptionally(
              new IllegalStateException("rank " + source + " does not know this pool"));
    }
    return () -> p.future.complete(Frame.ofOwned(parts));
  }

  /** A reply future of a worker rank (the futures {@link #progress} helps with). */
  private static final class RankReply extends CompletableFuture<Frame> {}

  // ------------------------------------------------------------------ shutdown

  /**
   * The orderly end of the job on rank 0: warns about pools still open (pyMOR's E13) and closes
   * them, asks every rank to leave its event loop and waits for their answers, stops the threads,
   * and finalizes MPI. If a rank does not answer within {@code timeout}, aborts the job instead.
   *
   * @param timeout how long to wait for the other ranks
   */
  synchronized void shutdown(Duration timeout) {
    if (shutDown) {
      return;
    }
    if (!openPools.isEmpty()) {
      LOG.warn("{} ({} pool(s) still open)", LEAVING_WARNING, openPools.size());
      for (MpiTransport p : new ArrayList<>(openPools.values())) {
        p.close(Duration.ofSeconds(1));
      }
    }
    quitOthers();
    boolean answered;
    try {
      answered = quitAcks.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answered = false;
    }
    if (!answered) {
      LOG.error("ranks did not leave their event loops within {}; aborting the job", timeout);
      Mpi.abort(1);
      return;
    }
    byte[] stop = {STOP};
    expectReplies(1);
    Mpi.send(stop, 0, 1, 0, TAG_REPLY); // wakes the receiver thread
    Thread r = receiver;
    if (r != null) {
      try {
        r.join(timeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    ExecutorService s = sender;
    if (s != null) {
      s.shutdown();
    }
    shutDown = true;
    Mpi.finalizeMpi();
  }

  /** Sends QUIT to every other rank, from the sender thread so that it follows every request. */
  private void quitOthers() {
    byte[] quit = {QUIT};
    ExecutorService s = sender;
    Runnable send =
        () -> {
          for (int r = 1; r < size; r++) {
            Mpi.send(quit, 0, 1, r, TAG_REQUEST);
          }
        };
    if (s == null) {
      return;
    }
    expectReplies(size - 1);
    try {
      s.submit(
              () -> {
                sendLock.lock();
                try {
                  send.run();
                } finally {
                  sendLock.unlock();
                }
              })
          .get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("could not release the other ranks: {}", e.toString());
    }
  }

  // ------------------------------------------------------------------ messages

  static ByteBuffer control(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  static byte[] requestControl(
      byte op, long poolId, long requestId, Frame frame, boolean arraysAsDoubles) {
    int n = frame.partCount();
    ByteBuffer c = control(1 + 8 + 8 + 4 + n * 9 + packedBytes(frame));
    c.put(op).putLong(poolId).putLong(requestId).putInt(n);
    putParts(c, frame, arraysAsDoubles);
    return c.array();
  }

  static byte[] replyControl(long requestId, @Nullable Frame frame) {
    int n = frame == null ? 0 : frame.partCount();
    ByteBuffer c = control(1 + 8 + 4 + n * 9 + (frame == null ? 0 : packedBytes(frame)));
    c.put(REPLY).putLong(requestId).putInt(n);
    if (frame != null) {
      putParts(c, frame, true);
    }
    return c.array();
  }

  /** Whether a part travels inside the control message ({@link #PACK_LIMIT}). */
  static boolean packed(Frame frame, int part) {
    return frame.partSize(part) < PACK_LIMIT;
  }

  private static int packedBytes(Frame frame) {
    long total = 0;
    for (int i = 0; i < frame.partCount(); i++) {
      if (packed(frame, i)) {
        total += frame.partSize(i);
      }
    }
    return Math.toIntExact(total);
  }

  /** Writes the table of parts, then the packed parts themselves. */
  private static void putParts(ByteBuffer c, Frame frame, boolean arraysAsDoubles) {
    for (int i = 0; i < frame.partCount(); i++) {
      byte kind =
          packed(frame, i)
              ? PACKED
              : arraysAsDoubles && frame.doubleArray(i) != null ? DOUBLES : BYTES;
      c.put(kind).putLong(frame.partSize(i));
    }
    for (int i = 0; i < frame.partCount(); i++) {
      if (packed(frame, i)) {
        double[] d = frame.doubleArray(i);
        if (d != null) {
          c.asDoubleBuffer().put(d);
          c.position(c.position() + 8 * d.length);
        } else {
          c.put(frame.part(i));
        }
      }
    }
  }

  /** Sends a frame's parts point to point, each {@code double[]} straight from the Java array. */
  static void sendParts(Frame frame, int dest, int tag) {
    for (int i = 0; i < frame.partCount(); i++) {
      if (packed(frame, i)) {
        continue;
      }
      double[] d = frame.doubleArray(i);
      if (d != null) {
        Mpi.send(d, 0, d.length, dest, tag);
      } else {
        byte[] b = bytes(frame, i);
        Mpi.send(b, 0, b.length, dest, tag);
      }
    }
  }

  /**
   * Receives the parts announced in a control message, each into its final array: through a native
   * buffer on rank 0 (its other threads must stay free to allocate), straight into the pinned array
   * on the other ranks (single-threaded, and the parts are already on their way).
   */
  static List<Object> receiveParts(ByteBuffer ctrl, int source, int tag, boolean pinned) {
    return receive(ctrl, source, tag, false, pinned);
  }

  /**
   * Receives the parts of a broadcast ({@code MPI_Bcast} from rank 0), each into its final array
   * (pinned: see {@link #receiveParts}).
   */
  static List<Object> receiveBroadcastParts(ByteBuffer ctrl, boolean pinned) {
    return receive(ctrl, 0, 0, true, pinned);
  }

  private static List<Object> receive(
      ByteBuffer ctrl, int source, int tag, boolean broadcast, boolean pinned) {
    int n = ctrl.getInt();
    byte[] kinds = new byte[n];
    long[] sizes = new long[n];
    for (int i = 0; i < n; i++) {
      kinds[i] = ctrl.get();
      sizes[i] = ctrl.getLong();
    }
    List<Object> parts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int size = Math.toIntExact(sizes[i]);
      if (kinds[i] == PACKED) {
        // a view of the control message: the decoder copies what it keeps
        ByteBuffer p = ctrl.slice().limit(size);
        ctrl.position(ctrl.position() + size);
        parts.add(p);
      } else if (kinds[i] == DOUBLES) {
        double[] d = new double[size / 8];
        if (broadcast && pinned) {
          Mpi.bcastPinned(d, 0, d.length, 0);
        } else if (broadcast) {
          Mpi.bcast(d, 0, d.length, 0);
        } else if (pinned) {
          Mpi.recvPinned(d, 0, d.length, source, tag);
        } else {
          Mpi.recv(d, 0, d.length, source, tag);
        }
        parts.add(d);
      } else {
        byte[] b = new byte[size];
        if (broadcast && pinned) {
          Mpi.bcastPinned(b, 0, b.length, 0);
        } else if (broadcast) {
          Mpi.bcast(b, 0, b.length, 0);
        } else if (pinned) {
          Mpi.recvPinned(b, 0, b.length, source, tag);
        } else {
          Mpi.recv(b, 0, b.length, source, tag);
        }
        parts.add(b);
      }
    }
    return parts;
  }

  static byte[] bytes(Frame frame, int part) {
    ByteBuffer b = frame.part(part);
    byte[] a = new byte[b.remaining()];
    b.get(a);
    return a;
  }
}
