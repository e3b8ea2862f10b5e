package org.jmor.parallel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jmor.parallel.HandleRegistry.Registration;
import org.jmor.parallel.ReplyCollector.Loss;
import org.jmor.parallel.ReplyCollector.Sent;
import org.jmor.parallel.events.CallKind;
import org.jmor.parallel.events.Recorder;
import org.jmor.parallel.internal.Command;
import org.jmor.parallel.internal.Commands;
import org.jmor.parallel.spi.Transport;
import org.jmor.vectors.VectorArray;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generic pool (pyMOR's {@code WorkerPoolBase}) on top of a {@link Channel}: the calls
 * themselves, their input checks, argument encoding and splitting, and the pool's lifecycle. Its
 * other jobs are each a package-private class: the remote objects (ids, handles, reference counts
 * of pushed immutable objects, where scattered slices are) are the {@link HandleRegistry}'s;
 * sending a call's commands (settings updates, the membership lock, handles checked again) the
 * {@link CallSender}'s; waiting for replies (deadlines, one aggregated exception, the failure
 * model) the {@link ReplyCollector}'s; the live workers the {@link Membership}'s; events the {@link
 * CallRecording}'s; the counters the {@link PoolStats}'.
 *
 * <h2>Locking</h2>
 *
 * The registry's monitor guards only the pool's bookkeeping (the immutable registrations, the live
 * handles, the closed flag): ids and reference counts are reserved under it, and every send and
 * every wait for workers happens outside it, so a long transfer never stalls other callers. Futures
 * that users see complete on the pool's own executor, never on a worker's or a transport's thread.
 *
 * <h2>Worker loss</h2>
 *
 * With {@link OnWorkerLoss#FAIL} a lost worker breaks the pool. With {@link OnWorkerLoss#SHRINK}
 * the pool keeps the physical indices of its surviving workers ({@link Membership}); every send
 * goes to them only. A lost worker is taken out under the membership's write lock, and its
 * recoverable slices are sent again to a neighbour under that lock too; every send of a call takes
 * the read lock, so a call's commands reach a survivor either before the re-sent slice (and the
 * call then sees the loss in its own replies) or after it. The call that sees the loss completes on
 * the survivors (see {@link OnWorkerLoss#SHRINK}).
 */
final class GenericWorkerPool implements WorkerPool {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);
  private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

  /** No arguments (a scatter's stores carry no handles to check again). */
  private static final Object[] NO_ARGS = new Object[0];

  /** The default bound of {@link #close()}. */
  static final Duration DEFAULT_CLOSE_TIMEOUT = PoolConfig.DEFAULT_CLOSE_TIMEOUT;

  private final Channel channel;
  private final String backend;
  private final String name;
  private final int initialSize;
  private final boolean shrink;

  /** The live workers, and the lock that orders sends against a worker's loss. */
  private final Membership members;

  private final boolean parallel;
  private final SplitRule splitRule;
  private final Settings settings;
  private final @Nullable Duration callTimeout; // null: none
  private final Duration closeTimeout;
  private final ExecutorService callbacks;
  private final Executor completer;
  private final PoolStats stats;

  /** The remote objects: ids, live handles, reference counts, slices. Its monitor is the lock. */
  private final HandleRegistry registry;

  /** Waits for the replies of calls: deadlines, aggregated failures, the failure model. */
  private final ReplyCollector collector;

  /** What the pool records its calls with. */
  private final Recorder recorder;

  private final CallRecording events;

  /** Sends the commands of calls to the live workers. */
  private final CallSender sender;

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
    this.channel = channel;
    this.backend = backend;
    this.name = name;
    this.initialSize = channel.size();
    this.shrink = shrink;
    this.members = new Membership(initialSize, shrink);
    int size = initialSize;
    this.parallel = parallel;
    this.splitRule = Objects.requireNonNull(splitRule, "splitRule");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.callTimeout = callTimeout == null || callTimeout.isZero() ? null : callTimeout;
    this.closeTimeout = closeTimeout == null ? DEFAULT_CLOSE_TIMEOUT : closeTimeout;
    this.stats = new PoolStats(size);
    this.registry = new HandleRegistry(this);
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
    this.collector = new ReplyCollector(this, channel, this.callTimeout, shrink, completer);
    LOG.debug("started {} on {}", this, channel.describe());
    this.events = new CallRecording(recorder, name + "[" + size + "]", size, this);
    this.sender =
        new CallSender(this, channel, members, registry, events, stats, this.settings, shrink);
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

  // ---------------------------------------------------------------- pool properties

  @Override
  public int size() {
    return members.alive().length;
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
        + members.alive().length
        + (closed ? ", closed" : broken != null ? ", broken" : "")
        + "]";
  }

  // ---------------------------------------------------------------- push and scatter

  @Override
  public <T> RemoteObject<T> push(T obj) {
    Objects.requireNonNull(obj, "push: obj must not be null");
    boolean immutable = obj instanceof org.jmor.base.Immutable;
    HandleRegistry.Reservation reserved;
    synchronized (registry) {
      checkUsable("push");
      reserved = registry.reserve(obj, immutable);
    }
    long id = reserved.id;
    Registration shared = reserved.shared;
    String what = "push of " + obj.getClass().getSimpleName();
    if (!reserved.owner) {
      // this object is pushed already, or being pushed by another thread: wait for that transfer
      awaitTransfer(Objects.requireNonNull(shared), obj);
      events.local(CallKind.PUSH);
      return registry.register(id, obj, what);
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
      registry.forget(obj, shared, failure);
      throw failure;
    }
    Sent sent = sender.toAll(prepared, CallKind.PUSH);
    try {
      collector.collect("push", sent, false, Loss.OMIT, null);
    } catch (RuntimeException e) {
      registry.forget(obj, shared, e);
      discard(id);
      throw e;
    }
    stats.uploads.incrementAndGet();
    stats.commands.addAndGet(sent.workers.length);
    stats.live.incrementAndGet();
    if (shared != null) {
      shared.ready.complete(null);
    }
    return registry.register(id, immutable ? obj : null, what);
  }

  private void awaitTransfer(Registration r, Object obj) {
    try {
      ReplyCollector.waitFor(r.ready, collector.deadline());
    } catch (ExecutionException e) {
      registry.unreference(r);
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
   * (with where its slices are) under the membership's read lock, so that a later loss finds it.
   */
  private <T> Handle<T> scatter(
      String op, String what, int n, SliceMaker slicer, @Nullable Object source) {
    while (true) {
      int[] workers = members.alive();
      int[] b = splitRule.bounds(n, workers.length);
      long id = registry.newId();
      Command[] stores = new Command[workers.length];
      for (int i = 0; i < workers.length; i++) {
        stores[i] = Commands.store(id, slicer.make(b[i], b[i + 1]), false);
      }
      if (!sendStores(id, stores, op, b, workers)) {
        continue; // the membership changed before the slices were sent: split again
      }
      if (!shrink) {
        return registry.register(id, null, what);
      }
      members.lockRead();
      try {
        if (Arrays.equals(workers, members.alive())) {
          Handle<T> h = registry.register(id, null, what);
          registry.placeSlices(h, workers, b, source);
          return h;
        }
      } finally {
        members.unlockRead();
      }
      LOG.warn(
          "{}: a worker was lost during {} ({}); scattering it again over workers {}",
          this,
          op,
          what,
          Arrays.toString(members.alive()));
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
    Sent sent = sender.toEach(workers, prepared, false, workers, op, NO_ARGS, CallKind.SCATTER);
    if (sent == null) {
      return false;
    }
    try {
      collector.collect(op, sent, false, Loss.OMIT, null);
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

  /** Removes a handle: the remote copy goes when its last reference goes. */
  void remove(Handle<?> h) {
    HandleRegistry.Release release = registry.release(h);
    if (release == HandleRegistry.Release.SHARED) {
      events.local(CallKind.REMOVE);
      return;
    }
    if (release == HandleRegistry.Release.NONE) {
      return;
    }
    stats.live.decrementAndGet();
    stats.commands.addAndGet(members.alive().length);
    if (broken != null) {
      return; // the workers cannot be reached; close() releases what is left
    }
    collector.collect(
        "remove",
        sender.toAll(channel.prepare(Commands.remove(h.remoteId)), CallKind.REMOVE),
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
      collector.collect(
          "remove",
          sender.toAll(channel.prepare(Commands.remove(id)), CallKind.REMOVE),
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
    return collector.collect("apply", sendApply(task, args), false, Loss.OMIT, null);
  }

  @Override
  public <R> CompletableFuture<List<R>> applyAsync(Task<R> task, Object... args) {
    Sent sent = sendApply(task, args);
    return collector.gather(
        "applyAsync", sent, () -> collector.collect("applyAsync", sent, false, Loss.OMIT, null));
  }

  private Sent sendApply(Task<?> task, Object[] args) {
    Objects.requireNonNull(task, "apply: task must not be null");
    int[] seen = members.alive();
    Object[] encoded = encode("apply", args);
    Object call = sender.prepare(Commands.call(task, encoded), "apply");
    sender.syncSettings();
    Sent sent = sender.toAll(call, seen, "apply", args, CallKind.APPLY);
    stats.commands.addAndGet(sent.workers.length);
    return sent;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <R> R applyOnly(int worker, Task<R> task, Object... args) {
    checkUsable("applyOnly");
    int[] live = members.alive();
    if (worker < 0 || worker >= live.length) {
      throw new IndexOutOfBoundsException(
          "applyOnly: worker index "
              + worker
              + " out of range: this pool has workers 0.."
              + (live.length - 1));
    }
    Objects.requireNonNull(task, "applyOnly: task must not be null");
    int[] seen = members.alive();
    Object[] encoded = encode("applyOnly", args);
    Object call = sender.prepare(Commands.call(task, encoded), "applyOnly");
    sender.syncSettings();
    stats.commands.incrementAndGet();
    Sent sent = sender.toOne(live[worker], call, seen, "applyOnly", args, CallKind.APPLY_ONLY);
    List<Object> r = collector.collect("applyOnly", sent, false, Loss.FAIL, null);
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
    int[] seen = members.alive();
    Object[] encoded = encode("map", args);
    Blocks blocks = sendBlocks(task, columns, false, args, seen, encoded, 0, sequence.size());
    return collector.gather(
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
    int[] seen = members.alive();
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
    return collector.collect(
        op,
        blocks.sent,
        true,
        Loss.RERUN,
        (i, log) -> {
          int from = blocks.from + blocks.bounds[i];
          int to = blocks.from + blocks.bounds[i + 1];
          int[] seen = members.alive();
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
      int[] workers = members.alive();
      int size = workers.length;
      int[] b = splitRule.bounds(to - from, size);
      Object[] blocks = new Object[size];
      for (int i = 0; i < size; i++) {
        List<?>[] block = new List<?>[columns.length];
        for (int c = 0; c < columns.length; c++) {
          block[c] = columns[c].subList(from + b[i], from + b[i + 1]);
        }
        blocks[i] = sender.prepare(Commands.map(task, block, zipped, from + b[i], encoded), "map");
      }
      sender.syncSettings();
      // the last worker first (see CallSender#toEach)
      Sent sent = sender.toEach(workers, blocks, true, seen, "map", args, CallKind.MAP);
      if (sent == null) {
        continue; // a worker was lost meanwhile: split over the survivors
      }
      stats.commands.addAndGet(size);
      return new Blocks(sent, from, b);
    }
  }

  // ---------------------------------------------------------------- encoding

  private Object[] encode(String op, Object[] args) {
    Objects.requireNonNull(args, op + ": args must not be null (pass no arguments instead)");
    checkUsable(op);
    if (args.length == 0) {
      return args;
    }
    Object[] encoded = registry.encode(op, args);
    for (int i = 0; i < args.length; i++) {
      if (encoded[i] == args[i]) {
        stats.uploads.incrementAndGet();
      }
    }
    return encoded;
  }

  // ---------------------------------------------------------------- replies

  /**
   * Takes a lost worker out of a shrinking pool (once; later reports of the same loss do nothing)
   * and sends its recoverable slices to neighbours; breaks the pool if it was the last worker.
   *
   * @return what was re-sent, for the log ({@code ""} if nothing)
   */
  String lose(String op, int worker, WorkerLostException cause) {
    return members.lose(worker, () -> markBroken(op, cause), this::moveSlices);
  }

  /**
   * Under the membership's write lock: for every scattered handle with a slice on {@code worker},
   * sends that slice merged with its neighbour's to the neighbour (recoverable), or marks the
   * handle as having lost the slice.
   */
  private String moveSlices(int worker) {
    StringBuilder log = new StringBuilder();
    for (HandleRegistry.Move m : registry.takeSlicesOf(worker)) {
      Handle<?> h = m.handle;
      CompletableFuture<Object> r =
          channel.send(m.target, channel.prepare(Commands.store(h.remoteId, m.slice, false)));
      r.whenComplete(
          (v, x) -> {
            if (x != null) {
              LOG.warn("{}: re-sending a slice of {} failed: {}", this, h, x.toString());
            }
          });
      stats.uploads.incrementAndGet();
      stats.commands.incrementAndGet();
      stats.scattered.addAndGet(m.target, m.to - m.from);
      log.append("; sent its slice of ")
          .append(h)
          .append(" (elements ")
          .append(m.from)
          .append("..")
          .append(m.to - 1)
          .append(") again to worker ")
          .append(m.target);
    }
    return log.toString();
  }

  /**
   * Breaks the pool (once; the first loss is the one its later calls name) and returns the
   * exception the call that saw the loss throws.
   */
  WorkerLostException markBroken(String op, WorkerLostException lost) {
    WorkerLostException e =
        new WorkerLostException(
            lost.worker(),
            "during "
                + op
                + " on "
                + name
                + "["
                + members.alive().length
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
    synchronized (registry) {
      if (closed) {
        return;
      }
      closed = true;
      registry.close(); // marks every live handle removed
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (broken == null) {
        List<CompletableFuture<Object>> counts =
            sender.toAll(channel.prepare(Commands.clear()), null).replies;
        List<Object> left = new ArrayList<>();
        for (CompletableFuture<Object> c : counts) {
          try {
            left.add(ReplyCollector.waitFor(c, deadline));
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
      events.closed();
    }
  }

  boolean isClosed() {
    return closed;
  }
}
