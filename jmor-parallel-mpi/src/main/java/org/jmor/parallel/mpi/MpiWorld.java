package org.jmor.parallel.mpi;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jmor.parallel.mpi.jni.Mpi;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.FrameChunks;
import org.jmor.parallel.spi.PendingReplies;
import org.jmor.parallel.spi.WorkerHost;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's view of the MPI job: rank, size, the wire format between ranks, this rank's {@link
 * WorkerHost}, and on rank 0 how requests go out (on the calling thread when the ranks they go to
 * are idle, else on one sender thread, so that the messages to each rank keep their order and
 * collectives are issued in one order) and replies come in (in the thread of a caller that waits
 * for one, {@link #progress}; else on a receiver thread). MPI is process-wide by nature, so this is
 * the one process-wide object of the module. The reply tables ({@link PendingReplies}), the pools
 * and ordered lanes of a worker ({@link WorkerHost}) and the packing of small parts ({@link
 * FrameChunks}) are the kit's.
 *
 * <p>The messages between ranks (tags, ops, the layout of a request and of a reply, the encoding of
 * a frame into MPI messages) are {@link MpiWire}'s; every request gets exactly one answer (a reply,
 * or {@link MpiWire#DROPPED}), so that rank 0 knows which ranks are idle.
 */
final class MpiWorld {
  private static final Logger LOG = LoggerFactory.getLogger(MpiWorld.class);

  /** The message of pyMOR's MPI event loop when objects are left at exit (E13). */
  static final String LEAVING_WARNING =
      "Leaving MPI event loop while not all managed objects have been removed";

  private static @Nullable MpiWorld instance;

  final int rank;
  final int size;
  private final AtomicLong poolIds = new AtomicLong();
  private final Map<Long, MpiTransport> openPools = new ConcurrentHashMap<>();

  /**
   * This rank's worker of every pool: on rank 0 worker 0 (its futures carry the replies, and the
   * caller runs its requests when it would block on them), on the others the event loop's.
   */
  final WorkerHost host;

  /**
   * Requests sent to each rank and not answered yet. A large array is sent straight from the pinned
   * Java array only to ranks with none: a pinned array holds off this JVM's garbage collector, and
   * a rank sending a reply meanwhile needs this process's receiving thread, which may allocate, so
   * pinning then could deadlock. Otherwise the array is copied into a direct buffer first.
   */
  private final AtomicIntegerArray inflight;

  /** The direct buffer sends copy into: used by one sending thread at a time (see MpiWire). */
  private final MpiWire.Staging staging = new MpiWire.Staging();

  /** Held by the one thread sending to the other ranks (a caller, or the sender thread). */
  private final ReentrantLock sendLock = new ReentrantLock();

  /** Send jobs handed to the sender thread and not finished yet. */
  private final AtomicInteger queuedSends = new AtomicInteger();

  /** Answers rank 0 waits for; the receiver thread sleeps while there are none. */
  private final AtomicInteger expected = new AtomicInteger();

  /** Callers in {@link #progress}: while there are any, the receiver thread leaves them the MPI. */
  private final AtomicInteger lenders = new AtomicInteger();

  /**
   * Whether the calling thread has lent itself in {@link #progress} before: its requests then do
   * not wake the receiver thread (it will most likely wait for their replies itself, and a wake-up
   * per call took the core from the caller or the rank answering it).
   */
  private static final ThreadLocal<boolean[]> LENDS = ThreadLocal.withInitial(() -> new boolean[1]);

  /**
   * Wakes of worker 0's lane that a lending thread deferred ({@link #deferLocalWake}); the receiver
   * thread runs them when it wakes (within {@link #SAFETY_PARK_NANOS}), in case that thread does
   * not run worker 0's request itself after all. Running one for a request that has ended does
   * nothing.
   */
  private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> deferredWakes =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  /**
   * Set when a request did not wake the receiver thread ({@link #LENDS}); the receiver then sleeps
   * at most {@link #SAFETY_PARK_NANOS} at a time, in case that thread does not wait after all (an
   * asynchronous call): its replies are then received that late at worst.
   */
  private final AtomicBoolean wakeSkipped = new AtomicBoolean();

  /** Whether the receiver thread may sleep long (set before it reads {@link #wakeSkipped}). */
  private volatile boolean receiverIdle;

  static final long SAFETY_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

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

  /** Set once rank 0 has told the other ranks to quit: no interrupt is sent to them after it. */
  private volatile boolean quitting;

  private MpiWorld(int rank, int size) {
    this.rank = rank;
    this.size = size;
    this.quitAcks = new CountDownLatch(Math.max(0, size - 1));
    this.inflight = new AtomicIntegerArray(size);
    this.spinNanos = 1000L * micros(SPIN_PROPERTY, DEFAULT_SPIN_MICROS);
    long sleep = micros(MAX_SLEEP_PROPERTY, DEFAULT_MAX_SLEEP_MICROS);
    this.maxSleepNanos = sleep == 0 ? 0 : 1000L * Math.max(1, sleep);
    this.host =
        new WorkerHost("jmor-mpi-rank" + rank, rank == 0 ? (pool, seq, reply) -> {} : this::reply);
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

  static final long DEFAULT_MAX_SLEEP_MICROS = 200;

  /** Reads a whole number of microseconds >= 0 from a system property, or the fallback. */
  static long micros(String property, long fallback) {
    String v = System.getProperty(property, "");
    try {
      long n = v.isBlank() ? fallback : Long.parseLong(v.trim());
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
   * MPI_THREAD_MULTIPLE}) and returns the world. On rank 0 it starts worker 0's host, the sender
   * and the receiver threads and a shutdown hook that releases the other ranks if the program exits
   * without {@link #shutdown(Duration)}.
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

  /** Returns a new pool id (the pool's ranks open it with its first frame). */
  long nextPoolId() {
    return poolIds.incrementAndGet();
  }

  /** Registers a pool on rank 0, so that its replies find it. */
  void openPool(long id, MpiTransport pool) {
    openPools.put(id, pool);
  }

  // ------------------------------------------------------------------ rank 0: requests

  /**
   * Closes a pool on the other ranks at once ({@link MpiWire#TAG_CONTROL}): each interrupts the
   * pool's running request and drops the rest (what rank 0 still waits for is its transport's to
   * fail).
   */
  void closePool(long poolId) {
    if (openPools.remove(poolId) != null) {
      interrupt(MpiWire.closeMessage(poolId), 1, size);
    }
  }

  /**
   * Tells a rank that a request was cancelled ({@link MpiWire#TAG_CONTROL}): it interrupts the
   * request if it runs, drops it if it waits, skips it if it has not arrived. The rank still
   * answers it ({@link MpiWire#DROPPED}), unless its reply is already on the way.
   */
  void cancel(long poolId, int rank, long seq) {
    if (rank > 0 && rank < size && openPools.containsKey(poolId)) {
      interrupt(MpiWire.requestMessage(MpiWire.CANCEL, poolId, seq), rank, rank + 1);
    }
  }

  /** Sends an interrupt to ranks {@code from..to-1} from the calling thread (MPI buffers it). */
  private void interrupt(byte[] msg, int from, int to) {
    try {
      for (int r = from; r < to && !shutDown && !quitting; r++) {
        Mpi.send(msg, 0, msg.length, r, MpiWire.TAG_CONTROL);
      }
    } catch (RuntimeException e) {
      LOG.debug("cannot send op {} to the other ranks: {}", msg[0], e.toString());
    }
  }

  /**
   * Sends a frame to one worker rank of a pool, or with {@code worker} 0 to every one (one {@code
   * MPI_Bcast} per large part); returns the replies of those ranks, numbered by the pool's table.
   *
   * @param localCopies for a broadcast, if not null: called on the calling thread between the
   *     control messages and the large parts when the sending happens on the calling thread (the
   *     ranks allocate the arrays for the large parts meanwhile); it returns arrays indexed by part
   *     (or null) that receive the large {@code double[]} parts while they are broadcast ({@link
   *     MpiWire#sendLarge}); it must not throw
   */
  List<CompletableFuture<Frame>> request(
      MpiTransport pool,
      int worker,
      Frame frame,
      @Nullable Supplier<double @Nullable [] @Nullable []> localCopies) {
    boolean all = worker == 0;
    int from = all ? 1 : worker;
    int to = all ? size : worker + 1;
    List<CompletableFuture<Frame>> replies = new ArrayList<>(to - from);
    long[] seqs = new long[size];
    boolean closed = false;
    for (int r = from; r < to; r++) {
      PendingReplies.Reply reply = pool.pending.register(r);
      replies.add(reply);
      closed |= reply.isDone();
      seqs[r] = reply.sequence();
    }
    if (closed) {
      return replies; // the pool was closed: nothing is sent, and every reply fails
    }
    boolean idle = true;
    for (int r = from; r < to; r++) {
      idle &= inflight.incrementAndGet(r) == 1;
    }
    expectReplies(to - from);
    submit(
        inline -> {
          boolean pinned = true;
          for (int r = from; r < to; r++) {
            pinned &= inflight.get(r) == 1;
          }
          byte[] ctrl =
              MpiWire.message(all ? MpiWire.BCAST : MpiWire.FRAME, pool.poolId, 0, frame, pinned);
          for (int r = from; r < to; r++) {
            MpiWire.setSequence(ctrl, seqs[r]); // the only field that differs between the ranks
            MpiWire.sendControl(ctrl, r, pinned, staging);
          }
          boolean lends = inline && LENDS.get()[0];
          if (lends) {
            lenders.incrementAndGet(); // see sendingLends
          }
          double @Nullable [] @Nullable [] copies = null;
          try {
            copies = inline && all && localCopies != null ? localCopies.get() : null;
            MpiWire.sendLarge(
                frame, worker, MpiWire.TAG_REQUEST_PART, pinned, all, staging, copies);
          } catch (RuntimeException | Error e) {
            if (copies != null) {
              Arrays.fill(copies, null); // not (all) filled: the caller copies them itself
            }
            throw e;
          } finally {
            if (lends) {
              sendingLends();
            }
          }
        },
        idle,
        e -> {
          for (int r = from; r < to; r++) {
            expected.decrementAndGet(); // not sent: no answer comes
            inflight.decrementAndGet(r);
            pool.pending.fail(r, seqs[r], e);
          }
        });
    return replies;
  }

  /**
   * Ends the lending of a caller that sent a request's large parts itself: while such a caller (one
   * that has lent itself before, {@link #LENDS}) sends, it counts among the {@link #lenders}, so
   * that the receiver thread stays out of MPI. It would otherwise wake (within {@link
   * #SAFETY_PARK_NANOS}), find replies expected and no lender, and poll MPI beside the send: on a
   * host with as many cores as ranks it took a core from the send or from the ranks receiving it
   * (an 8 MB {@code push} and {@code remove} to 2 ranks took 1.8 ms at the median instead of 1.45,
   * and its control message waited up to 150 µs instead of 13). Replies of other ranks wait for the
   * end of the send meanwhile; the ranks this send goes to have no other request in flight ({@link
   * #submit} sends inline only then), so the send does not wait for them. The caller most likely
   * blocks on the replies next ({@link #progress}); if it does not (an asynchronous call), the
   * receiver takes over within {@link #SAFETY_PARK_NANOS}, or at once if it sleeps long.
   */
  private void sendingLends() {
    if (lenders.decrementAndGet() == 0 && expected.get() > 0) {
      wakeSkipped.set(true);
      if (receiverIdle) {
        wakeReceiver();
      }
    }
  }

  /**
   * Runs a send job: on the calling thread when no job is queued and the ranks it sends to have no
   * other request in flight (they are waiting for this one, so a large message is taken at once and
   * the caller does not block for long), otherwise on the sender thread after the jobs before it.
   * Jobs run one at a time, in the order of the calls.
   *
   * @param send the job
   * @param idle whether every rank the job sends to has no other request in flight
   * @param onFailure what to do if the job cannot run or fails
   */
  private void submit(SendJob send, boolean idle, Consumer<Throwable> onFailure) {
    ExecutorService s = sender;
    if (s == null || shutDown) {
      onFailure.accept(new IllegalStateException("MPI is shut down"));
      return;
    }
    if (idle && queuedSends.get() == 0 && sendLock.tryLock()) {
      try {
        if (queuedSends.get() == 0) {
          send.run(true, onFailure);
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
              send.run(false, onFailure);
            } finally {
              queuedSends.decrementAndGet();
              sendLock.unlock();
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      queuedSends.decrementAndGet();
      onFailure.accept(new IllegalStateException("MPI is shut down", e));
    }
  }

  /** A send job; {@code inline}: it runs on the calling thread. */
  private interface SendJob {
    void send(boolean inline);

    default void run(boolean inline, Consumer<Throwable> onFailure) {
      try {
        send(inline);
      } catch (RuntimeException | Error e) {
        onFailure.accept(e);
      }
    }
  }

  /**
   * Counts answers to wait for, and wakes the receiver thread if it slept with nothing to wait for,
   * unless the calling thread is one that waits for its replies itself ({@link #LENDS}).
   */
  private void expectReplies(int n) {
    if (expected.getAndAdd(n) != 0) {
      return; // the receiver polls already, or defers to a lender who hands over when leaving
    }
    if (LENDS.get()[0]) {
      wakeSkipped.set(true);
      if (!receiverIdle) {
        return;
      }
    }
    wakeReceiver();
  }

  /**
   * Whether the calling thread has lent itself before ({@link #LENDS}): it will most likely block
   * on the replies of its next request and run worker 0's part itself.
   */
  boolean callerLends() {
    return LENDS.get()[0];
  }

  /**
   * Defers the wake of worker 0's lane for a request that the calling thread will most likely run
   * itself: the receiver thread runs {@code wake} within about {@link #SAFETY_PARK_NANOS} (the
   * receiver is not idle: the same request made it expect a rank's reply).
   */
  void deferLocalWake(Runnable wake) {
    deferredWakes.add(wake);
    wakeSkipped.set(true);
    if (receiverIdle) {
      wakeReceiver(); // it sleeps long: it would not run the wake in time
    }
  }

  private void runDeferredWakes() {
    for (Runnable r; (r = deferredWakes.poll()) != null; ) {
      r.run();
    }
  }

  private void wakeReceiver() {
    Thread r = receiver;
    if (r != null) {
      LockSupport.unpark(r);
    }
  }

  // ------------------------------------------------------------------ rank 0: replies

  /**
   * The receiver thread, for replies that no caller waits for in {@link #progress} (asynchronous
   * calls): receives while some are expected and no caller lends itself, and sleeps otherwise (a
   * lender wakes it when it leaves with replies outstanding).
   */
  private void receive() {
    if (maxSleepNanos > 0) {
      Mpi.preciseSleeps();
    }
    try {
      while (!stopReceived) {
        runDeferredWakes();
        if (expected.get() > 0 && lenders.get() == 0) {
          pump(
              () ->
                  stopReceived
                      || expected.get() <= 0
                      || lenders.get() > 0
                      || !deferredWakes.isEmpty(),
              Long.MAX_VALUE,
              0);
          continue;
        }
        receiverIdle = true;
        boolean skipped = wakeSkipped.getAndSet(false);
        receiverIdle = !skipped;
        LockSupport.parkNanos(this, skipped ? SAFETY_PARK_NANOS : 100_000_000L);
        receiverIdle = false;
      }
    } catch (RuntimeException | Error e) {
      LOG.error("the MPI receiver stopped: {}", e.toString());
      for (MpiTransport p : new ArrayList<>(openPools.values())) {
        p.pending.close("the MPI receiver stopped: " + e);
      }
    }
  }

  /**
   * Lends a caller's thread while it would block on {@code reply}: receives replies (of any pool)
   * in this thread until {@code reply} is done, the deadline passes or the thread is interrupted.
   * No hop from a receiver thread to the caller, and no other thread polling meanwhile.
   */
  void progress(CompletableFuture<Frame> reply, long deadline) {
    if (!(reply instanceof PendingReplies.Reply) || shutDown) {
      return;
    }
    LENDS.get()[0] = true;
    lenders.incrementAndGet();
    try {
      pump(() -> reply.isDone() || Thread.currentThread().isInterrupted(), deadline, spinNanos);
    } catch (RuntimeException e) {
      LOG.warn("receiving a reply in the caller's thread failed: {}", e.toString());
    } finally { // the receiver meets the same error and fails what is pending
      if (lenders.decrementAndGet() == 0 && expected.get() > 0) {
        wakeReceiver(); // replies still outstanding: the receiver takes over
      }
    }
  }

  /**
   * Receives replies to rank 0 in this thread until {@code stop} holds or {@code deadline} (a
   * {@link System#nanoTime()}, {@code Long.MAX_VALUE} for none) passes: polls for {@code spin}
   * nanoseconds, then sleeps between polls, 1 µs at first, doubling up to {@link #maxSleepNanos}
   * (never with 0). One thread at a time receives ({@link #receiveLock}).
   */
  private void pump(BooleanSupplier stop, long deadline, long spin) {
    int[] status = new int[3];
    long start = System.nanoTime();
    long sleep = 1000;
    while (!stop.getAsBoolean()) {
      long now = System.nanoTime();
      long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - now;
      if (left <= 0) {
        return;
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
      } else if (now - start < spin || maxSleepNanos == 0) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(this, Math.min(sleep, left));
        sleep = Math.min(2 * sleep, maxSleepNanos);
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
    if (!Mpi.iprobe(Mpi.anySource(), MpiWire.TAG_REPLY, status)) {
      return null;
    }
    int source = status[0];
    byte[] ctrl = new byte[status[2]];
    Mpi.recv(ctrl, 0, ctrl.length, source, MpiWire.TAG_REPLY);
    ByteBuffer c = MpiWire.read(ctrl);
    byte op = c.get();
    expected.decrementAndGet();
    if (op == MpiWire.STOP) {
      stopReceived = true;
      Thread r = receiver;
      if (r != null) {
        LockSupport.unpark(r);
      }
      return () -> {};
    }
    if (op == MpiWire.QUIT_ACK) {
      return quitAcks::countDown;
    }
    long pool = c.getLong();
    long seq = c.getLong();
    Frame reply =
        op == MpiWire.REPLY
            ? MpiWire.receiveFrame(c, source, MpiWire.TAG_REPLY_PART, false, false)
            : null;
    inflight.decrementAndGet(source);
    MpiTransport p = openPools.get(pool);
    if (p == null) {
      return () -> {}; // the pool was closed meanwhile
    } else if (reply == null) { // dropped there: cancelled, or its pool closed
      return () ->
          p.pending.fail(
              source, seq, new CancellationException("worker " + source + " dropped it"));
    }
    return () -> p.pending.complete(source, seq, reply);
  }

  // ------------------------------------------------------------------ ranks >= 1: replies

  /**
   * Sends the reply to a request back to rank 0 (one reply at a time: its messages stay together).
   */
  synchronized void reply(long pool, long seq, Frame reply) {
    byte[] ctrl = MpiWire.message(MpiWire.REPLY, pool, seq, reply, true);
    Mpi.send(ctrl, 0, ctrl.length, 0, MpiWire.TAG_REPLY);
    MpiWire.sendLarge(reply, 0, MpiWire.TAG_REPLY_PART, true, false, staging, null);
  }

  /** Tells rank 0 that a request was dropped (its pool was closed here before it ran). */
  synchronized void dropped(long pool, long seq) {
    byte[] ctrl = MpiWire.requestMessage(MpiWire.DROPPED, pool, seq);
    Mpi.send(ctrl, 0, ctrl.length, 0, MpiWire.TAG_REPLY);
  }

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
    byte[] stop = MpiWire.opOnly(MpiWire.STOP);
    expectReplies(1);
    Mpi.send(stop, 0, 1, 0, MpiWire.TAG_REPLY); // wakes the receiver thread
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
    host.close(Duration.ofSeconds(1));
    shutDown = true;
    Mpi.finalizeMpi();
  }

  /** Sends QUIT to every other rank, from the sender thread so that it follows every request. */
  private void quitOthers() {
    byte[] quit = MpiWire.opOnly(MpiWire.QUIT);
    ExecutorService s = sender;
    if (s == null) {
      return;
    }
    quitting = true;
    expectReplies(size - 1);
    try {
      s.submit(
              () -> {
                sendLock.lock();
                try {
                  for (int r = 1; r < size; r++) {
                    Mpi.send(quit, 0, 1, r, MpiWire.TAG_REQUEST);
                  }
                } finally {
                  sendLock.unlock();
                }
              })
          .get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("could not release the other ranks: {}", e.toString());
    }
  }
}
