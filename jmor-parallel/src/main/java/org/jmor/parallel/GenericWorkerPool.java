package org.jmor.parallel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jmor.parallel.events.CallEvent;
import org.jmor.parallel.events.CallKind;
import org.jmor.parallel.events.Outcome;
import org.jmor.parallel.events.Recorder;
import org.jmor.parallel.events.WorkerEvent;
import org.jmor.parallel.internal.Command;
import org.jmor.parallel.internal.Commands;
import org.jmor.parallel.internal.ElementFailure;
import org.jmor.parallel.spi.Transport;
import org.jmor.vectors.VectorArray;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generic pool (pyMOR's {@code WorkerPoolBase}): de-duplication of immutable objects, reference
 * counts, argument encoding, splitting, settings synchronization, error aggregation, input checks,
 * deadlines and the failure model, on top of a {@link Channel}.
 *
 * <h2>Locking</h2>
 *
 * The pool's monitor guards only its bookkeeping (the immutable registrations, the live handles,
 * the closed flag): ids and reference counts are reserved under it, and every send and every wait
 * for workers happens outside it, so a long transfer never stalls other callers. Futures that users
 * see complete on the pool's own executor, never on a worker's or a transport's thread.
 *
 * <h2>Worker loss</h2>
 *
 * With {@link OnWorkerLoss#FAIL} a lost worker breaks the pool. With {@link OnWorkerLoss#SHRINK}
 * the pool keeps the physical indices of its surviving workers ({@code alive}); every send goes to
 * them only. A lost worker is taken out under the write lock of {@code membership}, and its
 * recoverable slices are sent again to a neighbour under that lock too; every send of a call takes
 * the read lock, so a call's commands reach a survivor either before the re-sent slice (and the
 * call then sees the loss in its own replies) or after it. The call that sees the loss completes on
 * the survivors (see {@link OnWorkerLoss#SHRINK}).
 */
final class GenericWorkerPool implements WorkerPool {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);
  private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

  /** The default bound of {@link #close()}. */
  static final Duration DEFAULT_CLOSE_TIMEOUT = PoolConfig.DEFAULT_CLOSE_TIMEOUT;

  private final Channel channel;
  private final String backend;
  private final String name;
  private final int initialSize;
  private final boolean shrink;

  /** The physical indices of the live workers, ascending. Written under membership's write lock. */
  private volatile int[] alive;

  private final ReentrantReadWriteLock membership = new ReentrantReadWriteLock();

  /** Where the slices of scattered handles are (shrinking pools only). Guarded by this. */
  private final Map<Handle<?>, Slices> slices = new IdentityHashMap<>();

  private final boolean parallel;
  private final SplitRule splitRule;
  private final Settings settings;
  private final @Nullable Duration callTimeout; // null: none
  private final Duration closeTimeout;
  private final ExecutorService callbacks;
  private final Executor completer;
  private final AtomicLong nextId = new AtomicLong(1);
  private final Stats stats;
  private final Object settingsLock = new Object();

  /** Pushed immutable objects, by caller-side identity. Guarded by this. */
  private final Map<Object, Registration> immutables = new IdentityHashMap<>();

  /** Live handles, to mark them removed at close. Guarded by this. */
  private final Map<Handle<?>, Boolean> handles = new IdentityHashMap<>();

  /** What the pool records its calls with; {@code recording} is its {@code isOn()}. */
  private final Recorder recorder;

  private final boolean recording;
  private final String eventName;
  private final AtomicLong callIds = new AtomicLong();

  /** 1 for a worker whose loss was recorded (once per worker). */
  private final java.util.concurrent.atomic.AtomicIntegerArray lossRecorded;

  private volatile long syncedSettingsVersion;
  private volatile boolean closed;
  private volatile @Nullable RuntimeException broken;

  /**
   * Creates a pool on a backend's frame transport.
   *
   * @param transport the transport
   * @param seed the pool seed, sent to the workers in the open-pool frames
   * @param backend the backend's name
   * @param parallel whether algorithms take their parallel path
   * @param splitRule how sequences are split
   * @param settings the settings registry
   * @param callTimeout the per-call deadline, or null for none
   * @param closeTimeout the bound of {@link #close()}, or null for the default
   * @param shrink whether the pool goes on without a lost worker ({@link OnWorkerLoss#SHRINK})
   * @param recorder what the pool records its calls with
   */
  GenericWorkerPool(
      Transport transport,
      long seed,
      String backend,
      boolean parallel,
      SplitRule splitRule,
      Settings settings,
      @Nullable Duration callTimeout,
      @Nullable Duration closeTimeout,
      boolean shrink,
      Recorder recorder) {
    this(
        nextName(backend),
        FrameChannel.remote(transport, seed),
        backend,
        parallel,
        splitRule,
        settings,
        callTimeout,
        closeTimeout,
        shrink,
        recorder);
  }

  GenericWorkerPool(
      String name,
      Channel channel,
      String backend,
      boolean parallel,
      SplitRule splitRule,
      Settings settings,
      @Nullable Duration callTimeout,
      @Nullable Duration closeTimeout,
      boolean shrink,
      Recorder recorder) {
    this.recorder = Objects.requireNonNull(recorder, "recorder");
    this.recording = recorder.isOn();
    this.channel = channel;
    this.backend = backend;
    this.name = name;
    this.initialSize = channel.size();
    this.shrink = shrink;
    this.alive = allWorkers(initialSize);
    int size = initialSize;
    this.parallel = parallel;
    this.splitRule = Objects.requireNonNull(splitRule, "splitRule");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.callTimeout = callTimeout == null || callTimeout.isZero() ? null : callTimeout;
    this.closeTimeout = closeTimeout == null ? DEFAULT_CLOSE_TIMEOUT : closeTimeout;
    this.stats = new Stats(size);
    this.eventName = name + "[" + size + "]";
    this.lossRecorded = new java.util.concurrent.atomic.AtomicIntegerArray(size);
    AtomicInteger threads = new AtomicInteger();
    this.callbacks =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new java.util.concurrent.SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, name + "-callback-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.completer =
        r -> {
          try {
            callbacks.execute(r);
          } catch (RejectedExecutionException e) {
            r.run(); // the pool is closed: complete in the caller's thread
          }
        };
    LOG.debug("started {} on {}", this, channel.describe());
    if (recording) {
      long now = recorder.nanos();
      for (int i = 0; i < size; i++) {
        recorder.record(
            new WorkerEvent(poolName(), i, org.jmor.parallel.events.WorkerState.STARTED, now));
      }
    }
  }

  // ---------------------------------------------------------------- recording

  /** The pool's name in events: its name and initial size, for example {@code "threads#1[2]"}. */
  private String poolName() {
    return eventName;
  }

  /** The recorder's time now when recording, else 0 (one field check, no call). */
  private long callStart() {
    return recording ? recorder.nanos() : 0;
  }

  /** The replies of a call, recorded as {@code kind} when recording (null: not recorded). */
  private Sent sent(
      List<CompletableFuture<Object>> replies, int[] workers, @Nullable CallKind kind, long start) {
    Sent s = new Sent(replies, workers);
    if (recording && kind != null) {
      watch(s, kind, start);
    }
    return s;
  }

  /** Records each worker part of a call when its reply completes (on the completing thread). */
  private void watch(Sent s, CallKind kind, long start) {
    long id = callIds.incrementAndGet();
    for (int i = 0; i < s.replies.size(); i++) {
      int worker = s.workers[i];
      CompletableFuture<Object> reply = s.replies.get(i);
      reply.whenComplete((v, e) -> recordPart(kind, id, worker, start, reply, e));
    }
  }

  private void recordPart(
      CallKind kind,
      long id,
      int worker,
      long start,
      CompletableFuture<Object> reply,
      @Nullable Throwable error) {
    long end = recorder.nanos();
    long run = -1;
    long sent = 0;
    long received = 0;
    if (reply instanceof Metered) {
      Metered m = (Metered) reply;
      run = m.runNanos();
      sent = m.bytesSent();
      received = m.bytesReceived();
      long done = m.doneNanos();
      if (done != 0) {
        // when the reply arrived, not when this callback runs (the caller may have gone on)
        end -= Math.max(0, System.nanoTime() - done);
      }
    }
    end = Math.max(start, end);
    Throwable c =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    Outcome outcome =
        c == null
            ? Outcome.OK
            : c instanceof CancellationException
                ? Outcome.CANCELLED
                : c instanceof WorkerLostException ? Outcome.LOST : Outcome.FAILED;
    try {
      recorder.record(
          new CallEvent(poolName(), kind, id, worker, start, end, run, sent, received, outcome));
      if (outcome == Outcome.LOST && lossRecorded.compareAndSet(worker, 0, 1)) {
        recorder.record(
            new WorkerEvent(poolName(), worker, org.jmor.parallel.events.WorkerState.LOST, end));
      }
    } catch (RuntimeException e) {
      LOG.warn("{}: recording a {} call failed: {}", this, kind, e.toString());
    }
  }

  /** Records a call with no worker part (worker -1), when recording. */
  private void recordLocal(CallKind kind) {
    if (recording) {
      long now = recorder.nanos();
      recorder.record(
          new CallEvent(
              poolName(), kind, callIds.incrementAndGet(), -1, now, now, -1, 0, 0, Outcome.OK));
    }
  }

  @Override
  public Recorder recorder() {
    return recorder;
  }

  /**
   * Returns a new unique pool name, for example {@code "threads#3"}.
   *
   * @param backend the backend's name
   * @return the name
   */
  static String nextName(String backend) {
    return backend + "#" + POOL_NUMBER.incrementAndGet();
  }

  private static final class Registration {
    final long id;
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    int references;

    Registration(long id) {
      this.id = id;
    }
  }

  // ---------------------------------------------------------------- pool properties

  @Override
  public int size() {
    return alive.length;
  }

  @Override
  public OnWorkerLoss onWorkerLoss() {
    return shrink ? OnWorkerLoss.SHRINK : OnWorkerLoss.FAIL;
  }

  @Override
  public String backend() {
    return backend;
  }

  @Override
  public boolean isInProcess() {
    return channel.inProcess();
  }

  @Override
  public boolean isParallel() {
    return parallel;
  }

  @Override
  public Settings settings() {
    return settings;
  }

  @Override
  public TransferStatistics statistics() {
    return stats;
  }

  @Override
  public boolean isBroken() {
    return broken != null;
  }

  @Override
  public String toString() {
    return name
        + "["
        + alive.length
        + (closed ? ", closed" : broken != null ? ", broken" : "")
        + "]";
  }

  // ---------------------------------------------------------------- push and scatter

  @Override
  public <T> RemoteObject<T> push(T obj) {
    Objects.requireNonNull(obj, "push: obj must not be null");
    boolean immutable = obj instanceof org.jmor.base.Immutable;
    @Nullable Registration shared = null;
    boolean owner = true;
    long id;
    synchronized (this) {
      checkUsable("push");
      if (immutable) {
        shared = immutables.get(obj);
        if (shared != null) {
          shared.references++;
          owner = false;
        }
      }
      if (owner) {
        id = nextId.getAndIncrement();
        if (immutable) {
          shared = new Registration(id);
          shared.references = 1;
          immutables.put(obj, shared);
        }
      } else {
        id = Objects.requireNonNull(shared).id;
      }
    }
    String what = "push of " + obj.getClass().getSimpleName();
    if (!owner) {
      // this object is pushed already, or being pushed by another thread: wait for that transfer
      awaitTransfer(Objects.requireNonNull(shared), obj);
      recordLocal(CallKind.PUSH);
      return register(newHandle(id, obj, what));
    }
    Command store = Commands.store(id, obj, !immutable);
    Object prepared;
    try {
      prepared = channel.prepare(store);
    } catch (IllegalArgumentException e) {
      IllegalArgumentException failure =
          new IllegalArgumentException(
              "push: cannot transfer a "
                  + obj.getClass().getName()
                  + " to the workers: "
                  + e.getMessage()
                  + (immutable
                      ? "; remote and strict pools serialize every object"
                      : "; a mutable object is copied for each worker, so it must be Serializable"),
              e);
      forget(obj, shared, failure);
      throw failure;
    }
    Sent sent = sendAll(prepared, CallKind.PUSH);
    try {
      collect("push", sent, false, Loss.OMIT, null);
    } catch (RuntimeException e) {
      forget(obj, shared, e);
      discard(id);
      throw e;
    }
    stats.uploads.incrementAndGet();
    stats.commands.addAndGet(sent.workers.length);
    stats.live.incrementAndGet();
    if (shared != null) {
      shared.ready.complete(null);
    }
    return register(newHandle(id, immutable ? obj : null, what));
  }

  private void awaitTransfer(Registration r, Object obj) {
    try {
      waitFor(r.ready, deadline());
    } catch (ExecutionException e) {
      synchronized (this) {
        r.references--;
      }
      throw new IllegalStateException(
          "push: the transfer of this "
              + obj.getClass().getSimpleName()
              + " by a concurrent push failed: "
              + e.getCause(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new CallTimeoutException("push", List.of(), callTimeout);
    }
  }

  private void forget(Object obj, @Nullable Registration r, RuntimeException cause) {
    if (r == null) {
      return;
    }
    synchronized (this) {
      if (immutables.get(obj) == r) {
        immutables.remove(obj);
      }
    }
    r.ready.completeExceptionally(cause);
  }

  @Override
  public <T> RemoteObject<List<T>> scatterList(List<? extends T> list) {
    return scatterList(list, Scatter.PLAIN);
  }

  @Override
  public <T> RemoteObject<List<T>> scatterList(List<? extends T> list, Scatter mode) {
    Objects.requireNonNull(list, "scatterList: list must not be null");
    Objects.requireNonNull(mode, "scatterList: mode must not be null");
    checkUsable("scatterList");
    List<? extends T> source =
        shrink && mode == Scatter.RECOVERABLE ? new ArrayList<T>(list) : list;
    return scatter(
        "scatterList",
        "scatterList of " + list.size(),
        list.size(),
        (from, to) -> new ArrayList<T>(source.subList(from, to)),
        shrink && mode == Scatter.RECOVERABLE ? source : null);
  }

  @Override
  public RemoteObject<VectorArray> scatterArray(VectorArray u, boolean copy) {
    return scatterArray(u, copy, Scatter.PLAIN);
  }

  @Override
  public RemoteObject<VectorArray> scatterArray(VectorArray u, boolean copy, Scatter mode) {
    Objects.requireNonNull(u, "scatterArray: u must not be null");
    Objects.requireNonNull(mode, "scatterArray: mode must not be null");
    checkUsable("scatterArray");
    if (!copy && u.isView()) {
      // checked before anything is sent: clearing a view fails, and the slices would leak
      throw new IllegalArgumentException(
          "scatterArray: cannot move the vectors out of a view "
              + "(copy=false); pass copy=true, or scatter the base array");
    }
    VectorArray kept = shrink && mode == Scatter.RECOVERABLE ? u.copy() : null;
    RemoteObject<VectorArray> h =
        scatter("scatterArray", "scatterArray of " + u.len(), u.len(), u::copyRange, kept);
    if (!copy) {
      u.clear();
    }
    return h;
  }

  /** Makes the slice {@code [from, to)} of a scatter's source. */
  private interface SliceMaker {
    Object make(int from, int to);
  }

  /**
   * Scatters {@code n} elements over the live workers. On a shrinking pool a worker lost while the
   * slices travel makes the scatter start again over the survivors, and the handle is registered
   * (with where its slices are) under membership's read lock, so that a later loss finds it.
   */
  private <T> Handle<T> scatter(
      String op, String what, int n, SliceMaker slicer, @Nullable Object source) {
    while (true) {
      int[] workers = alive;
      int[] b = splitRule.bounds(n, workers.length);
      long id = nextId.getAndIncrement();
      Command[] stores = new Command[workers.length];
      for (int i = 0; i < workers.length; i++) {
        stores[i] = Commands.store(id, slicer.make(b[i], b[i + 1]), false);
      }
      if (!sendStores(id, stores, op, b, workers)) {
        continue; // the membership changed before the slices were sent: split again
      }
      if (!shrink) {
        return register(newHandle(id, null, what));
      }
      membership.readLock().lock();
      try {
        if (Arrays.equals(workers, alive)) {
          Handle<T> h = register(newHandle(id, null, what));
          synchronized (this) {
            if (!h.removed) {
              slices.put(h, new Slices(workers, b, source));
            }
          }
          return h;
        }
      } finally {
        membership.readLock().unlock();
      }
      LOG.warn(
          "{}: a worker was lost during {} ({}); scattering it again over workers {}",
          this,
          op,
          what,
          Arrays.toString(alive));
      stats.live.decrementAndGet();
      discard(id);
      checkUsable(op);
    }
  }

  /**
   * Sends the stores to {@code workers} and waits for them; returns false (having sent nothing) if
   * the live workers are no longer {@code workers}.
   */
  private boolean sendStores(long id, Command[] stores, String op, int[] bounds, int[] workers) {
    int n = workers.length;
    Object[] prepared = new Object[n];
    for (int i = 0; i < n; i++) {
      try {
        prepared[i] = channel.prepare(stores[i]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            op
                + ": cannot transfer the elements of block "
                + i
                + " to the workers: "
                + e.getMessage(),
            e);
      }
    }
    List<CompletableFuture<Object>> replies = new ArrayList<>(n);
    long start = callStart();
    lockForSending();
    try {
      if (!Arrays.equals(workers, alive)) {
        return false;
      }
      for (int i = 0; i < n; i++) {
        replies.add(channel.send(workers[i], prepared[i]));
      }
    } finally {
      unlockForSending();
    }
    try {
      collect(op, sent(replies, workers, CallKind.SCATTER, start), false, Loss.OMIT, null);
    } catch (RuntimeException e) {
      discard(id);
      throw e;
    }
    for (int i = 0; i < n; i++) {
      stats.scattered.addAndGet(workers[i], bounds[i + 1] - bounds[i]);
    }
    stats.uploads.addAndGet(n);
    stats.commands.addAndGet(n);
    stats.live.incrementAndGet();
    return true;
  }

  /**
   * Where the slices of a scattered handle are: slice {@code i}, elements {@code [bounds[i],
   * bounds[i + 1])}, on physical worker {@code workers[i]}. Guarded by the pool.
   */
  private static final class Slices {
    int[] workers;
    int[] bounds;
    final @Nullable Object source; // a List or a VectorArray, for RECOVERABLE
    @Nullable String lost;

    Slices(int[] workers, int[] bounds, @Nullable Object source) {
      this.workers = workers;
      this.bounds = bounds;
      this.source = source;
    }
  }

  private <T> Handle<T> newHandle(long id, @Nullable Object immutable, String what) {
    return new Handle<>(this, id, immutable, what);
  }

  private <T> Handle<T> register(Handle<T> h) {
    synchronized (this) {
      if (closed) {
        h.removed = true; // closed while the transfer ran: the workers were cleared
      } else {
        handles.put(h, Boolean.TRUE);
      }
    }
    return h;
  }

  /** Removes a handle: the remote copy goes when its last reference goes. */
  void remove(Handle<?> h) {
    synchronized (this) {
      if (h.removed) {
        return;
      }
      h.removed = true;
      handles.remove(h);
      slices.remove(h);
      if (closed) {
        return;
      }
      Object immutable = h.immutable;
      if (immutable != null) {
        Registration r = immutables.get(immutable);
        if (r != null && r.id == h.remoteId && --r.references > 0) {
          recordLocal(CallKind.REMOVE);
          return;
        }
        if (r != null && r.id == h.remoteId) {
          immutables.remove(immutable);
        }
      }
      stats.live.decrementAndGet();
      stats.commands.addAndGet(alive.length);
    }
    if (broken != null) {
      return; // the workers cannot be reached; close() releases what is left
    }
    collect(
        "remove",
        sendAll(channel.prepare(Commands.remove(h.remoteId)), CallKind.REMOVE),
        false,
        Loss.OMIT,
        null);
  }

  /** After a store failed on some workers, drops the copies the others made (best effort). */
  private void discard(long id) {
    if (broken != null) {
      return;
    }
    try {
      collect(
          "remove",
          sendAll(channel.prepare(Commands.remove(id)), CallKind.REMOVE),
          false,
          Loss.OMIT,
          null);
    } catch (RuntimeException e) {
      LOG.warn(
          "{}: could not discard remote object #{} after a failed transfer: {}",
          this,
          id,
          e.toString());
    }
  }

  // ---------------------------------------------------------------- apply and map

  @Override
  public <R> List<R> apply(Task<R> task, Object... args) {
    return collect("apply", sendApply(task, args), false, Loss.OMIT, null);
  }

  @Override
  public <R> CompletableFuture<List<R>> applyAsync(Task<R> task, Object... args) {
    Sent sent = sendApply(task, args);
    return gather("applyAsync", sent, () -> collect("applyAsync", sent, false, Loss.OMIT, null));
  }

  private Sent sendApply(Task<?> task, Object[] args) {
    Objects.requireNonNull(task, "apply: task must not be null");
    int[] seen = alive;
    Object[] encoded = encode("apply", args);
    Object call = prepareCall(Commands.call(task, encoded), "apply");
    syncSettings();
    Sent sent = sendAll(call, seen, "apply", args, CallKind.APPLY);
    stats.commands.addAndGet(sent.workers.length);
    return sent;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <R> R applyOnly(int worker, Task<R> task, Object... args) {
    checkUsable("applyOnly");
    int[] live = alive;
    if (worker < 0 || worker >= live.length) {
      throw new IndexOutOfBoundsException(
          "applyOnly: worker index "
              + worker
              + " out of range: this pool has workers 0.."
              + (live.length - 1));
    }
    Objects.requireNonNull(task, "applyOnly: task must not be null");
    int[] seen = alive;
    Object[] encoded = encode("applyOnly", args);
    Object call = prepareCall(Commands.call(task, encoded), "applyOnly");
    syncSettings();
    stats.commands.incrementAndGet();
    int physical = live[worker];
    List<CompletableFuture<Object>> one = new ArrayList<>(1);
    long start = callStart();
    lockForSending();
    try {
      recheckHandles(seen, "applyOnly", args);
      one.add(channel.send(physical, call));
    } finally {
      unlockForSending();
    }
    List<Object> r =
        collect(
            "applyOnly",
            sent(one, new int[] {physical}, CallKind.APPLY_ONLY, start),
            false,
            Loss.FAIL,
            null);
    return (R) r.get(0);
  }

  @Override
  public <T, R> List<R> map(
      MapTask<? super T, R> task, List<? extends T> sequence, Object... args) {
    Objects.requireNonNull(task, "map: task must not be null");
    Objects.requireNonNull(sequence, "map: sequence must not be null");
    return runBlocks("map", task, new List<?>[] {sequence}, false, args);
  }

  @Override
  public <T, R> CompletableFuture<List<R>> mapAsync(
      MapTask<? super T, R> task, List<? extends T> sequence, Object... args) {
    Objects.requireNonNull(task, "map: task must not be null");
    Objects.requireNonNull(sequence, "map: sequence must not be null");
    List<?>[] columns = new List<?>[] {sequence};
    int[] seen = alive;
    Object[] encoded = encode("map", args);
    Blocks blocks = sendBlocks(task, columns, false, args, seen, encoded, 0, sequence.size());
    return gather(
        "mapAsync",
        blocks.sent,
        () -> collectBlocks("mapAsync", task, columns, false, args, blocks));
  }

  @Override
  public <R> List<R> mapZipped(
      MapTask<Args, R> task, List<? extends List<?>> sequences, Object... args) {
    Objects.requireNonNull(task, "mapZipped: task must not be null");
    Objects.requireNonNull(sequences, "mapZipped: sequences must not be null");
    if (sequences.isEmpty()) {
      throw new IllegalArgumentException("mapZipped: at least one sequence is required");
    }
    List<?>[] columns = new List<?>[sequences.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] =
          Objects.requireNonNull(sequences.get(i), "mapZipped: sequence " + i + " is null");
      if (columns[i].size() != columns[0].size()) {
        throw new IllegalArgumentException(
            "mapZipped: sequences must have equal lengths, but "
                + "sequence 0 has "
                + columns[0].size()
                + " elements and sequence "
                + i
                + " has "
                + columns[i].size());
      }
    }
    return runBlocks("mapZipped", task, columns, true, args);
  }

  /**
   * The blocks of a map that were sent: elements {@code [from + bounds[i], from + bounds[i+1])}.
   */
  private static final class Blocks {
    final Sent sent;
    final int from;
    final int[] bounds;

    Blocks(Sent sent, int from, int[] bounds) {
      this.sent = sent;
      this.from = from;
      this.bounds = bounds;
    }
  }

  /** Maps the elements {@code [0, n)}: sends the blocks and collects them. */
  private <R> List<R> runBlocks(
      String op, MapTask<?, ?> task, List<?>[] columns, boolean zipped, Object[] args) {
    int[] seen = alive;
    Object[] encoded = encode("map", args);
    Blocks blocks = sendBlocks(task, columns, zipped, args, seen, encoded, 0, columns[0].size());
    return collectBlocks(op, task, columns, zipped, args, blocks);
  }

  /**
   * Collects a map's blocks; on a shrinking pool the block of a lost worker is mapped again over
   * the survivors (which may lose a worker in turn: the same happens again, one level down).
   */
  private <R> List<R> collectBlocks(
      String op,
      MapTask<?, ?> task,
      List<?>[] columns,
      boolean zipped,
      Object[] args,
      Blocks blocks) {
    return collect(
        op,
        blocks.sent,
        true,
        Loss.RERUN,
        (i, log) -> {
          int from = blocks.from + blocks.bounds[i];
          int to = blocks.from + blocks.bounds[i + 1];
          int[] seen = alive;
          Object[] encoded = encode(op, args); // checks the handles again
          Blocks again = sendBlocks(task, columns, zipped, args, seen, encoded, from, to);
          log.append("ran its block, elements ")
              .append(from)
              .append("..")
              .append(to - 1)
              .append(", again on workers ")
              .append(Arrays.toString(again.sent.workers));
          return collectBlocks(op, task, columns, zipped, args, again);
        });
  }

  /**
   * Sends the elements {@code [from, to)} of the columns to the live workers, one contiguous block
   * each.
   */
  private Blocks sendBlocks(
      MapTask<?, ?> task,
      List<?>[] columns,
      boolean zipped,
      Object[] args,
      int[] seen,
      Object[] encoded,
      int from,
      int to) {
    while (true) {
      int[] workers = alive;
      int size = workers.length;
      int[] b = splitRule.bounds(to - from, size);
      Object[] blocks = new Object[size];
      for (int i = 0; i < size; i++) {
        List<?>[] block = new List<?>[columns.length];
        for (int c = 0; c < columns.length; c++) {
          block[c] = columns[c].subList(from + b[i], from + b[i + 1]);
        }
        blocks[i] = prepareCall(Commands.map(task, block, zipped, from + b[i], encoded), "map");
      }
      syncSettings();
      // the last worker first: a transport whose worker 0 runs in this process (MPI) has the
      // requests of its remote workers on their way before worker 0 starts taking a core (part of
      // the kit's contract, see Transport#progress)
      @SuppressWarnings("unchecked")
      CompletableFuture<Object>[] sent = new CompletableFuture[size];
      long start = callStart();
      lockForSending();
      try {
        if (!Arrays.equals(workers, alive)) {
          continue; // a worker was lost meanwhile: split over the survivors
        }
        recheckHandles(seen, "map", args);
        for (int i = size - 1; i >= 0; i--) {
          sent[i] = channel.send(workers[i], blocks[i]);
        }
      } finally {
        unlockForSending();
      }
      stats.commands.addAndGet(size);
      return new Blocks(
          sent(new ArrayList<>(Arrays.asList(sent)), workers, CallKind.MAP, start), from, b);
    }
  }

  // ---------------------------------------------------------------- encoding

  private Object[] encode(String op, Object[] args) {
    Objects.requireNonNull(args, op + ": args must not be null (pass no arguments instead)");
    checkUsable(op);
    if (args.length == 0) {
      return args;
    }
    Object[] encoded = new Object[args.length];
    synchronized (this) {
      for (int i = 0; i < args.length; i++) {
        Object a = args[i];
        if (a instanceof RemoteObject) {
          encoded[i] = encodeHandle(op, i, (RemoteObject<?>) a);
        } else if (a instanceof org.jmor.base.Immutable && immutables.containsKey(a)) {
          Registration r = immutables.get(a);
          encoded[i] = Commands.ref(r.id, "pushed " + a.getClass().getSimpleName() + " #" + r.id);
        } else {
          encoded[i] = a;
          stats.uploads.incrementAndGet();
        }
      }
    }
    return encoded;
  }

  private Object encodeHandle(String op, int index, RemoteObject<?> a) {
    if (!(a instanceof Handle) || ((Handle<?>) a).pool != this) {
      throw new IllegalArgumentException(
          op
              + ": argument "
              + index
              + " is "
              + a
              + ", a handle of another pool ("
              + a.pool()
              + "); handles work only with the pool "
              + "that created them ("
              + this
              + ")");
    }
    Handle<?> h = (Handle<?>) a;
    if (h.removed) {
      throw new IllegalStateException(
          op
              + ": argument "
              + index
              + " is "
              + h
              + ", which was removed; push the object again to use it");
    }
    Slices s = slices.get(h); // encode holds the pool's monitor
    String lost = s == null ? null : s.lost;
    if (lost != null) {
      throw new IllegalStateException(
          op
              + ": argument "
              + index
              + " is "
              + h
              + ", and "
              + lost
              + "; scatter the data again, or scatter it with Scatter.RECOVERABLE so that the"
              + " pool can send a lost slice again");
    }
    return Commands.ref(h.remoteId, h.toString());
  }

  private Object prepareCall(Command command, String op) {
    try {
      return channel.prepare(command);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          op
              + ": cannot transfer the task or its arguments to "
              + "the workers of "
              + this
              + ": "
              + e.getMessage()
              + " (remote and strict pools serialize every task, argument and result)",
          e);
    }
  }

  /**
   * Queues a settings update before the caller's next command if the settings changed. The update
   * is not waited for: each worker runs its commands in order, so the command queued next sees it.
   */
  private void syncSettings() {
    if (settings.version() == syncedSettingsVersion) {
      return;
    }
    synchronized (settingsLock) {
      long v = settings.version();
      if (v != syncedSettingsVersion) {
        Sent sent = sendAll(channel.prepare(Commands.settings(settings.snapshot())), null);
        List<CompletableFuture<Object>> replies = sent.replies;
        stats.commands.addAndGet(replies.size());
        syncedSettingsVersion = v;
        for (int i = 0; i < replies.size(); i++) {
          int worker = sent.workers[i];
          replies
              .get(i)
              .whenComplete(
                  (ok, e) -> {
                    Throwable c =
                        e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (c instanceof WorkerLostException && shrink) {
                      LOG.debug("{}: settings update lost with worker {}", this, worker);
                    } else if (e != null) {
                      LOG.warn(
                          "{}: settings update failed on worker {}: {}",
                          this,
                          worker,
                          e.toString());
                    }
                  });
        }
      }
    }
  }

  // ---------------------------------------------------------------- replies

  private static int[] allWorkers(int n) {
    int[] w = new int[n];
    for (int i = 0; i < n; i++) {
      w[i] = i;
    }
    return w;
  }

  private long deadline() {
    return callTimeout == null ? Long.MAX_VALUE : System.nanoTime() + callTimeout.toNanos();
  }

  /** What a call's collection does with its replies (on the completer, for async calls). */
  private interface Collector<R> {
    List<R> collect();
  }

  private <R> CompletableFuture<List<R>> gather(String op, Sent sent, Collector<R> collector) {
    List<CompletableFuture<Object>> replies = sent.replies;
    int[] workers = sent.workers;
    PoolFuture<List<R>> result = new PoolFuture<>(replies);
    CompletableFuture<Void> all =
        CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0]));
    if (callTimeout != null) {
      all = all.orTimeout(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }
    // as in collect: a lost worker fails the call at once, without waiting for the others (a
    // shrinking pool waits for the others, then completes the call on the survivors)
    CompletableFuture<Object> anyLost = new CompletableFuture<>();
    if (replies.size() > 1 && !shrink) {
      for (CompletableFuture<Object> r : replies) {
        r.whenComplete(
            (v, e) -> {
              Throwable c =
                  e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
              if (c instanceof WorkerLostException) {
                anyLost.complete(c);
              }
            });
      }
    }
    CompletableFuture.anyOf(all, anyLost)
        .whenCompleteAsync(
            (ignored, error) -> {
              try {
                if (error instanceof TimeoutException
                    || error instanceof CompletionException
                        && error.getCause() instanceof TimeoutException) {
                  throw timedOut(op, replies, workers);
                }
                result.complete(collector.collect());
              } catch (Throwable t) {
                result.completeExceptionally(t);
              }
            },
            completer);
    return result;
  }

  /** A future that users see: {@code cancel(true)} interrupts the tasks it started. */
  private static final class PoolFuture<T> extends CompletableFuture<T> {
    private final List<CompletableFuture<Object>> replies;

    PoolFuture(List<CompletableFuture<Object>> replies) {
      this.replies = replies;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        for (CompletableFuture<Object> r : replies) {
          r.cancel(mayInterruptIfRunning);
        }
      }
      return cancelled;
    }
  }

  /** The replies of one call, with the physical worker of each. */
  private static final class Sent {
    final List<CompletableFuture<Object>> replies;
    final int[] workers;

    Sent(List<CompletableFuture<Object>> replies, int[] workers) {
      this.replies = replies;
      this.workers = workers;
    }
  }

  /** What a shrinking pool does with the reply of a worker lost during the call. */
  private enum Loss {
    /** Leave it out (apply, push, remove, scatter). */
    OMIT,
    /** Compute it again on the survivors (map). */
    RERUN,
    /** Fail the call with a WorkerLostException (applyOnly). */
    FAIL
  }

  /** Computes the value of reply {@code i} again, and says what it did in {@code log}. */
  private interface Rerun {
    Object run(int i, StringBuilder log);
  }

  /** Left-out values of lost workers. */
  private static final Object OMITTED = new Object();

  /**
   * Under membership's read lock: if a worker was lost since the call's arguments were encoded
   * (when the live workers were {@code seen}), checks its handles again, so that a scattered handle
   * that lost a slice meanwhile fails the call instead of reaching the survivors.
   */
  private void recheckHandles(int[] seen, String op, Object[] args) {
    if (!shrink || seen == alive) {
      return;
    }
    synchronized (this) {
      for (int i = 0; i < args.length; i++) {
        if (args[i] instanceof RemoteObject) {
          encodeHandle(op, i, (RemoteObject<?>) args[i]);
        }
      }
    }
  }

  /** Takes the read lock of the membership on a shrinking pool (see the class documentation). */
  private void lockForSending() {
    if (shrink) {
      membership.readLock().lock();
    }
  }

  private void unlockForSending() {
    if (shrink) {
      membership.readLock().unlock();
    }
  }

  /** Sends a prepared command to every live worker (recorded as {@code kind}, null: not). */
  private Sent sendAll(Object prepared, @Nullable CallKind kind) {
    return sendAll(prepared, alive, "", new Object[0], kind);
  }

  /**
   * Sends a prepared command to every live worker, having checked the handles among {@code args}
   * again if a worker was lost since they were encoded (when the live workers were {@code seen}).
   */
  private Sent sendAll(
      Object prepared, int[] seen, String op, Object[] args, @Nullable CallKind kind) {
    long start = callStart();
    lockForSending();
    try {
      recheckHandles(seen, op, args);
      int[] workers = alive;
      if (workers.length == initialSize) {
        // the transport may broadcast
        return sent(channel.broadcast(prepared), workers, kind, start);
      }
      List<CompletableFuture<Object>> replies = new ArrayList<>(workers.length);
      for (int w : workers) {
        replies.add(channel.send(w, prepared));
      }
      return sent(replies, workers, kind, start);
    } finally {
      unlockForSending();
    }
  }

  /**
   * Waits for every reply (until the deadline), then returns the values or throws one aggregated
   * exception. On a shrinking pool a lost worker's reply is treated as {@code loss} says ({@code
   * rerun} computes it again for {@link Loss#RERUN}).
   */
  private <R> List<R> collect(
      String op, Sent sent, boolean concat, Loss loss, @Nullable Rerun rerun) {
    try {
      return shrink
          ? collectShrinking(op, sent, concat, loss, rerun)
          : collectOrInterrupted(op, sent.replies, sent.workers, concat);
    } catch (CancellationException e) {
      // an interrupted caller abandons its call: interrupt its tasks too, so that a remote worker
      // does not go on running them in front of the next call
      for (CompletableFuture<Object> r : sent.replies) {
        r.cancel(true);
      }
      throw e;
    }
  }

  /** {@link #collect} on a shrinking pool. */
  @SuppressWarnings("unchecked")
  private <R> List<R> collectShrinking(
      String op, Sent sent, boolean concat, Loss loss, @Nullable Rerun rerun) {
    List<CompletableFuture<Object>> replies = sent.replies;
    int[] workers = sent.workers;
    long deadline = deadline();
    Object[] values = new Object[replies.size()];
    WorkerLostException[] lost = new WorkerLostException[replies.size()];
    boolean anyLost = false;
    List<WorkerFailure> failures = null;
    for (int i = 0; i < replies.size(); i++) {
      try {
        CompletableFuture<Object> reply = replies.get(i);
        if (!reply.isDone()) {
          channel.progress(reply, deadline);
        }
        values[i] = waitFor(reply, deadline);
      } catch (TimeoutException e) {
        throw timedOut(op, replies, workers);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof WorkerLostException) {
          lost[i] = (WorkerLostException) cause;
          anyLost = true;
          continue;
        }
        WorkerFailure f = failure(op, workers[i], cause);
        if (failures == null) {
          failures = new ArrayList<>();
        }
        failures.add(f);
      }
    }
    if (anyLost) {
      StringBuilder log = new StringBuilder();
      for (int i = 0; i < replies.size(); i++) {
        if (lost[i] != null) {
          String resent = lose(op, workers[i], lost[i]); // breaks the pool if it was the last
          if (log.length() > 0) {
            log.append("; ");
          }
          log.append(lost[i].getMessage()).append(", during ").append(op).append(": ");
          if (failures != null) {
            log.append("the call fails (a task failed)");
          } else if (loss == Loss.FAIL) {
            log.append("the call fails");
          } else if (loss == Loss.OMIT) {
            log.append("its result is left out");
            values[i] = OMITTED;
          } else {
            values[i] = Objects.requireNonNull(rerun).run(i, log);
          }
          log.append(resent);
        }
      }
      int left = alive.length;
      LOG.warn("{}: {}; {} {} on", this, log, left, left == 1 ? "worker goes" : "workers go");
      if (failures == null && loss == Loss.FAIL) {
        for (int i = 0; i < replies.size(); i++) {
          if (lost[i] != null) {
            throw new WorkerLostException(
                workers[i],
                "during "
                    + op
                    + " on "
                    + this
                    + ", which goes on with the other workers: "
                    + lost[i].getMessage(),
                lost[i]);
          }
        }
      }
    }
    if (failures != null) {
      throw new RemoteExecutionException(failures, alive.length);
    }
    List<Object> out = new ArrayList<>(values.length);
    for (Object v : values) {
      if (v == OMITTED) {
        continue;
      }
      if (concat) {
        out.addAll((List<?>) v);
      } else {
        out.add(v);
      }
    }
    return (List<R>) out;
  }

  /** A task's failure on a worker, or the exception the caller gets at once. */
  private WorkerFailure failure(String op, int worker, Throwable cause) {
    if (cause instanceof CancellationException && closed) {
      throw new IllegalStateException(
          op + ": " + this + " was closed while the call ran; its work was abandoned", cause);
    }
    if (cause instanceof InterruptedException && channel.runsOnCaller()) {
      Thread.currentThread().interrupt();
      CancellationException c =
          new CancellationException(op + ": interrupted while running on " + this);
      c.initCause(cause);
      throw c;
    }
    long element = -1;
    Throwable c = cause;
    if (c instanceof ElementFailure) {
      element = ((ElementFailure) c).element();
      c = Objects.requireNonNull(c.getCause());
    }
    return new WorkerFailure(worker, element, c);
  }

  /**
   * Takes a lost worker out of a shrinking pool (once; later reports of the same loss do nothing)
   * and sends its recoverable slices to neighbours; breaks the pool if it was the last worker.
   *
   * @return what was re-sent, for the log ({@code ""} if nothing)
   */
  private String lose(String op, int worker, WorkerLostException cause) {
    membership.writeLock().lock();
    try {
      int[] workers = alive;
      int at = indexOf(workers, worker);
      if (at < 0) {
        return "";
      }
      if (workers.length == 1) {
        throw markBroken(op, cause);
      }
      alive = without(workers, at);
      return moveSlices(worker);
    } finally {
      membership.writeLock().unlock();
    }
  }

  private static int indexOf(int[] a, int v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    return -1;
  }

  private static int[] without(int[] a, int at) {
    int[] r = new int[a.length - 1];
    System.arraycopy(a, 0, r, 0, at);
    System.arraycopy(a, at + 1, r, at, r.length - at);
    return r;
  }

  /**
   * Under membership's write lock: for every scattered handle with a slice on {@code worker}, sends
   * that slice merged with its neighbour's to the neighbour (recoverable), or marks the handle as
   * having lost the slice.
   */
  private String moveSlices(int worker) {
    StringBuilder log = new StringBuilder();
    synchronized (this) {
      for (Map.Entry<Handle<?>, Slices> e : slices.entrySet()) {
        Slices s = e.getValue();
        int p = indexOf(s.workers, worker);
        if (p < 0 || s.lost != null) {
          continue;
        }
        int from = s.bounds[p];
        int to = s.bounds[p + 1];
        Object source = s.source;
        if (source == null || s.workers.length == 1) {
          s.lost =
              "the slice of worker "
                  + worker
                  + " (elements "
                  + from
                  + ".."
                  + (to - 1)
                  + " of "
                  + s.bounds[s.bounds.length - 1]
                  + ") was lost with that worker";
          continue;
        }
        int q = p > 0 ? p - 1 : p + 1;
        int lo = Math.min(from, s.bounds[q]);
        int hi = Math.max(to, s.bounds[q + 1]);
        Object slice =
            source instanceof VectorArray
                ? ((VectorArray) source).copyRange(lo, hi)
                : new ArrayList<Object>(((List<?>) source).subList(lo, hi));
        Handle<?> h = e.getKey();
        int target = s.workers[q];
        CompletableFuture<Object> r =
            channel.send(target, channel.prepare(Commands.store(h.remoteId, slice, false)));
        r.whenComplete(
            (v, x) -> {
              if (x != null) {
                LOG.warn("{}: re-sending a slice of {} failed: {}", this, h, x.toString());
              }
            });
        stats.uploads.incrementAndGet();
        stats.commands.incrementAndGet();
        stats.scattered.addAndGet(target, to - from);
        s.workers = without(s.workers, p);
        s.bounds = without(s.bounds, Math.max(p, q));
        log.append("; sent its slice of ")
            .append(h)
            .append(" (elements ")
            .append(from)
            .append("..")
            .append(to - 1)
            .append(") again to worker ")
            .append(target);
      }
    }
    return log.toString();
  }

  @SuppressWarnings("unchecked")
  private <R> List<R> collectOrInterrupted(
      String op, List<CompletableFuture<Object>> replies, int[] workers, boolean concat) {
    long deadline = deadline();
    List<Object> values = new ArrayList<>(replies.size());
    List<WorkerFailure> failures = null;
    WorkerLostException lost = null;
    // a lost worker fails the call at once, without waiting for the other workers' tasks
    CompletableFuture<Object> anyLost = new CompletableFuture<>();
    if (replies.size() > 1) {
      for (CompletableFuture<Object> r : replies) {
        r.whenComplete(
            (v, e) -> {
              Throwable c =
                  e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
              if (c instanceof WorkerLostException) {
                anyLost.complete(c);
              }
            });
      }
    }
    for (int i = 0; i < replies.size(); i++) {
      try {
        CompletableFuture<Object> reply = replies.get(i);
        if (!reply.isDone() && !anyLost.isDone()) {
          channel.progress(reply, deadline);
        }
        if (!reply.isDone() && replies.size() > 1) {
          waitFor(CompletableFuture.anyOf(reply, anyLost), deadline);
          if (!reply.isDone() && anyLost.isDone()) {
            for (CompletableFuture<Object> r : replies) {
              r.cancel(true); // the pool is broken: interrupt what still runs
            }
            throw markBroken(op, (WorkerLostException) anyLost.join());
          }
        }
        values.add(waitFor(reply, deadline));
      } catch (TimeoutException e) {
        throw timedOut(op, replies, workers);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        values.add(null);
        if (cause instanceof WorkerLostException) {
          if (lost == null) {
            lost = (WorkerLostException) cause;
          }
          continue;
        }
        if (cause instanceof CancellationException && closed) {
          throw new IllegalStateException(
              op + ": " + this + " was closed while the call ran; its work was abandoned", cause);
        }
        if (cause instanceof InterruptedException && channel.runsOnCaller()) {
          // the sequential pool runs tasks in the caller's thread: the caller was interrupted
          Thread.currentThread().interrupt();
          CancellationException c =
              new CancellationException(op + ": interrupted while running on " + this);
          c.initCause(cause);
          throw c;
        }
        long element = -1;
        if (cause instanceof ElementFailure) {
          element = ((ElementFailure) cause).element();
          cause = Objects.requireNonNull(cause.getCause());
        }
        if (failures == null) {
          failures = new ArrayList<>();
        }
        failures.add(new WorkerFailure(workers[i], element, cause));
      }
    }
    if (lost != null) {
      throw markBroken(op, lost);
    }
    if (failures != null) {
      throw new RemoteExecutionException(failures, alive.length);
    }
    if (!concat) {
      return (List<R>) values;
    }
    int total = 0;
    for (Object v : values) {
      total += ((List<?>) v).size();
    }
    ArrayList<Object> all = new ArrayList<>(total);
    for (Object v : values) {
      all.addAll((List<?>) v);
    }
    return (List<R>) all;
  }

  private CallTimeoutException timedOut(
      String op, List<CompletableFuture<Object>> replies, int[] workers) {
    List<Integer> late = new ArrayList<>();
    for (int i = 0; i < replies.size(); i++) {
      if (!replies.get(i).isDone()) {
        late.add(workers[i]);
        replies.get(i).cancel(true);
      }
    }
    return new CallTimeoutException(op + " on " + this, late, callTimeout);
  }

  private WorkerLostException markBroken(String op, WorkerLostException lost) {
    WorkerLostException e =
        new WorkerLostException(
            lost.worker(),
            "during "
                + op
                + " on "
                + name
                + "["
                + alive.length
                + "]; the pool is broken: "
                + lost.getMessage(),
            lost);
    synchronized (this) {
      if (broken == null) {
        broken = e;
        LOG.error("{} is broken: {}", this, lost.getMessage());
      }
    }
    return e;
  }

  /**
   * Waits for a future until a deadline; an interruption restores the flag and becomes a
   * cancellation.
   */
  private static <V> V waitFor(CompletableFuture<V> f, long deadline)
      throws ExecutionException, TimeoutException {
    try {
      if (f.isDone()) {
        return f.get();
      }
      if (deadline == Long.MAX_VALUE) {
        return f.get();
      }
      return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (CancellationException e) {
      throw new ExecutionException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      CancellationException c = new CancellationException("interrupted while waiting for workers");
      c.initCause(e);
      throw c;
    }
  }

  // ---------------------------------------------------------------- lifecycle

  private void checkUsable(String op) {
    if (closed) {
      throw new IllegalStateException(op + ": " + this + " is closed");
    }
    RuntimeException b = broken;
    if (b != null) {
      throw new IllegalStateException(
          op + ": " + this + " is broken (" + b.getMessage() + "); close it and create a new pool",
          b);
    }
  }

  @Override
  public void close() {
    close(closeTimeout);
  }

  @Override
  public void close(Duration timeout) {
    Objects.requireNonNull(timeout, "close: timeout must not be null");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("close: timeout must not be negative, got " + timeout);
    }
    List<Handle<?>> live;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      live = new ArrayList<>(handles.keySet());
      handles.clear();
      immutables.clear();
    }
    for (Handle<?> h : live) {
      h.removed = true;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (broken == null) {
        List<CompletableFuture<Object>> counts =
            sendAll(channel.prepare(Commands.clear()), null).replies;
        List<Object> left = new ArrayList<>();
        for (CompletableFuture<Object> c : counts) {
          try {
            left.add(waitFor(c, deadline));
          } catch (ExecutionException e) {
            if (!(shrink && e.getCause() instanceof WorkerLostException)) {
              throw e;
            }
          }
        }
        LOG.debug("{} closed; workers released {} objects", this, left);
      }
    } catch (TimeoutException e) {
      LOG.warn("{}: workers still busy after {}; interrupting them", this, timeout);
    } catch (ExecutionException | RuntimeException e) {
      // an interrupted caller (Ctrl-C) is no error of the pool: say so without a class name
      LOG.warn(
          "{}: releasing remote objects at close failed: {}",
          this,
          e instanceof CancellationException ? e.getMessage() : e.toString());
    } finally {
      stats.live.set(0);
      List<String> abandoned =
          channel.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      if (!abandoned.isEmpty()) {
        LOG.warn("{} closed; abandoned work: {}", this, String.join("; ", abandoned));
      }
      callbacks.shutdown();
      if (recording) {
        long now = recorder.nanos();
        for (int i = 0; i < initialSize; i++) {
          if (lossRecorded.get(i) == 0) {
            recorder.record(
                new WorkerEvent(poolName(), i, org.jmor.parallel.events.WorkerState.CLOSED, now));
          }
        }
      }
    }
  }

  boolean isClosed() {
    return closed;
  }

  List<Handle<?>> liveHandles() {
    synchronized (this) {
      return Collections.unmodifiableList(new ArrayList<>(handles.keySet()));
    }
  }

  // ---------------------------------------------------------------- statistics

  private static final class Stats implements TransferStatistics {
    final AtomicLong uploads = new AtomicLong();
    final AtomicLong commands = new AtomicLong();
    final AtomicLongArray scattered;
    final AtomicInteger live = new AtomicInteger();

    Stats(int size) {
      scattered = new AtomicLongArray(size);
    }

    @Override
    public long uploads() {
      return uploads.get();
    }

    @Override
    public long scatteredElements(int worker) {
      if (worker < 0 || worker >= scattered.length()) {
        throw new IndexOutOfBoundsException(
            "worker index "
                + worker
                + " out of range: the pool "
                + "has workers 0.."
                + (scattered.length() - 1));
      }
      return scattered.get(worker);
    }

    @Override
    public int liveObjects() {
      return live.get();
    }

    @Override
    public long commands() {
      return commands.get();
    }
  }
}
