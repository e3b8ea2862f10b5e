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
 */
final class GenericWorkerPool implements WorkerPool {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);
  private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

  /** The default bound of {@link #close()}. */
  static final Duration DEFAULT_CLOSE_TIMEOUT = PoolConfig.DEFAULT_CLOSE_TIMEOUT;

  private final Channel channel;
  private final String backend;
  private final String name;
  private final int size;
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
   */
  GenericWorkerPool(
      Transport transport,
      long seed,
      String backend,
      boolean parallel,
      SplitRule splitRule,
      Settings settings,
      @Nullable Duration callTimeout,
      @Nullable Duration closeTimeout) {
    this(
        nextName(backend),
        FrameChannel.remote(transport, seed),
        backend,
        parallel,
        splitRule,
        settings,
        callTimeout,
        closeTimeout);
  }

  GenericWorkerPool(
      String name,
      Channel channel,
      String backend,
      boolean parallel,
      SplitRule splitRule,
      Settings settings,
      @Nullable Duration callTimeout,
      @Nullable Duration closeTimeout) {
    this.channel = channel;
    this.backend = backend;
    this.name = name;
    this.size = channel.size();
    this.parallel = parallel;
    this.splitRule = Objects.requireNonNull(splitRule, "splitRule");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.callTimeout = callTimeout == null || callTimeout.isZero() ? null : callTimeout;
    this.closeTimeout = closeTimeout == null ? DEFAULT_CLOSE_TIMEOUT : closeTimeout;
    this.stats = new Stats(size);
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
    return size;
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
    return name + "[" + size + (closed ? ", closed" : broken != null ? ", broken" : "") + "]";
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
    try {
      collect("push", channel.broadcast(prepared), allWorkers(size), false);
    } catch (RuntimeException e) {
      forget(obj, shared, e);
      discard(id);
      throw e;
    }
    stats.uploads.incrementAndGet();
    stats.commands.addAndGet(size);
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
    Objects.requireNonNull(list, "scatterList: list must not be null");
    checkUsable("scatterList");
    int[] b = splitRule.bounds(list.size(), size);
    long id = nextId.getAndIncrement();
    Command[] stores = new Command[size];
    for (int i = 0; i < size; i++) {
      stores[i] = Commands.store(id, new ArrayList<T>(list.subList(b[i], b[i + 1])), false);
    }
    sendStores(id, stores, "scatterList", b);
    return register(newHandle(id, null, "scatterList of " + list.size()));
  }

  @Override
  public RemoteObject<VectorArray> scatterArray(VectorArray u, boolean copy) {
    Objects.requireNonNull(u, "scatterArray: u must not be null");
    checkUsable("scatterArray");
    if (!copy && u.isView()) {
      // checked before anything is sent: clearing a view fails, and the slices would leak
      throw new IllegalArgumentException(
          "scatterArray: cannot move the vectors out of a view "
              + "(copy=false); pass copy=true, or scatter the base array");
    }
    int[] b = splitRule.bounds(u.len(), size);
    long id = nextId.getAndIncrement();
    Command[] stores = new Command[size];
    for (int i = 0; i < size; i++) {
      stores[i] = Commands.store(id, u.copyRange(b[i], b[i + 1]), false);
    }
    sendStores(id, stores, "scatterArray", b);
    if (!copy) {
      u.clear();
    }
    return register(newHandle(id, null, "scatterArray of " + b[size]));
  }

  private void sendStores(long id, Command[] stores, String op, int[] bounds) {
    Object[] prepared = new Object[size];
    for (int i = 0; i < size; i++) {
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
    List<CompletableFuture<Object>> replies = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      replies.add(channel.send(i, prepared[i]));
    }
    try {
      collect(op, replies, allWorkers(size), false);
    } catch (RuntimeException e) {
      discard(id);
      throw e;
    }
    for (int i = 0; i < size; i++) {
      stats.scattered.addAndGet(i, bounds[i + 1] - bounds[i]);
    }
    stats.uploads.addAndGet(size);
    stats.commands.addAndGet(size);
    stats.live.incrementAndGet();
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
      if (closed) {
        return;
      }
      Object immutable = h.immutable;
      if (immutable != null) {
        Registration r = immutables.get(immutable);
        if (r != null && r.id == h.remoteId && --r.references > 0) {
          return;
        }
        if (r != null && r.id == h.remoteId) {
          immutables.remove(immutable);
        }
      }
      stats.live.decrementAndGet();
      stats.commands.addAndGet(size);
    }
    if (broken != null) {
      return; // the workers cannot be reached; close() releases what is left
    }
    collect(
        "remove",
        channel.broadcast(channel.prepare(Commands.remove(h.remoteId))),
        allWorkers(size),
        false);
  }

  /** After a store failed on some workers, drops the copies the others made (best effort). */
  private void discard(long id) {
    if (broken != null) {
      return;
    }
    try {
      collect(
          "remove",
          channel.broadcast(channel.prepare(Commands.remove(id))),
          allWorkers(size),
          false);
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
    return collect("apply", sendApply(task, args), allWorkers(size), false);
  }

  @Override
  public <R> CompletableFuture<List<R>> applyAsync(Task<R> task, Object... args) {
    return gather("applyAsync", sendApply(task, args), false);
  }

  private List<CompletableFuture<Object>> sendApply(Task<?> task, Object[] args) {
    Objects.requireNonNull(task, "apply: task must not be null");
    Object[] encoded = encode("apply", args);
    Object call = prepareCall(Commands.call(task, encoded), "apply");
    syncSettings();
    stats.commands.addAndGet(size);
    return channel.broadcast(call);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <R> R applyOnly(int worker, Task<R> task, Object... args) {
    checkUsable("applyOnly");
    if (worker < 0 || worker >= size) {
      throw new IndexOutOfBoundsException(
          "applyOnly: worker index "
              + worker
              + " out of range: this pool has workers 0.."
              + (size - 1));
    }
    Objects.requireNonNull(task, "applyOnly: task must not be null");
    Object[] encoded = encode("applyOnly", args);
    Object call = prepareCall(Commands.call(task, encoded), "applyOnly");
    syncSettings();
    stats.commands.incrementAndGet();
    List<CompletableFuture<Object>> one = new ArrayList<>(1);
    one.add(channel.send(worker, call));
    List<Object> r = collect("applyOnly", one, new int[] {worker}, false);
    return (R) r.get(0);
  }

  @Override
  public <T, R> List<R> map(
      MapTask<? super T, R> task, List<? extends T> sequence, Object... args) {
    return collect("map", sendMap(task, sequence, args), allWorkers(size), true);
  }

  @Override
  public <T, R> CompletableFuture<List<R>> mapAsync(
      MapTask<? super T, R> task, List<? extends T> sequence, Object... args) {
    return gather("mapAsync", sendMap(task, sequence, args), true);
  }

  private List<CompletableFuture<Object>> sendMap(
      MapTask<?, ?> task, List<?> sequence, Object[] args) {
    Objects.requireNonNull(task, "map: task must not be null");
    Objects.requireNonNull(sequence, "map: sequence must not be null");
    return sendBlocks(task, new List<?>[] {sequence}, false, args);
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
    return collect("mapZipped", sendBlocks(task, columns, true, args), allWorkers(size), true);
  }

  private List<CompletableFuture<Object>> sendBlocks(
      MapTask<?, ?> task, List<?>[] columns, boolean zipped, Object[] args) {
    Object[] encoded = encode("map", args);
    int n = columns[0].size();
    int[] b = splitRule.bounds(n, size);
    Object[] blocks = new Object[size];
    for (int i = 0; i < size; i++) {
      List<?>[] block = new List<?>[columns.length];
      for (int c = 0; c < columns.length; c++) {
        block[c] = columns[c].subList(b[i], b[i + 1]);
      }
      blocks[i] = prepareCall(Commands.map(task, block, zipped, b[i], encoded), "map");
    }
    syncSettings();
    // the last worker first: a transport whose worker 0 runs in this process (MPI) has the
    // requests of its remote workers on their way before worker 0 starts taking a core (part of
    // the kit's contract, see Transport#progress)
    @SuppressWarnings("unchecked")
    CompletableFuture<Object>[] sent = new CompletableFuture[size];
    for (int i = size - 1; i >= 0; i--) {
      sent[i] = channel.send(i, blocks[i]);
    }
    stats.commands.addAndGet(size);
    return new ArrayList<>(Arrays.asList(sent));
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
        List<CompletableFuture<Object>> replies =
            channel.broadcast(channel.prepare(Commands.settings(settings.snapshot())));
        stats.commands.addAndGet(size);
        syncedSettingsVersion = v;
        for (int i = 0; i < replies.size(); i++) {
          int worker = i;
          replies
              .get(i)
              .whenComplete(
                  (ok, e) -> {
                    if (e != null) {
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

  private <R> CompletableFuture<List<R>> gather(
      String op, List<CompletableFuture<Object>> replies, boolean concat) {
    int[] workers = allWorkers(replies.size());
    PoolFuture<List<R>> result = new PoolFuture<>(replies);
    CompletableFuture<Void> all =
        CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0]));
    if (callTimeout != null) {
      all = all.orTimeout(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }
    // as in collect: a lost worker fails the call at once, without waiting for the others
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
    CompletableFuture.anyOf(all, anyLost)
        .whenCompleteAsync(
            (ignored, error) -> {
              try {
                if (error instanceof TimeoutException
                    || error instanceof CompletionException
                        && error.getCause() instanceof TimeoutException) {
                  throw timedOut(op, replies, workers);
                }
                result.complete(collect(op, replies, workers, concat));
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

  /**
   * Waits for every reply (until the deadline), then returns the values or throws one aggregated
   * exception.
   */
  private <R> List<R> collect(
      String op, List<CompletableFuture<Object>> replies, int[] workers, boolean concat) {
    try {
      return collectOrInterrupted(op, replies, workers, concat);
    } catch (CancellationException e) {
      // an interrupted caller abandons its call: interrupt its tasks too, so that a remote worker
      // does not go on running them in front of the next call
      for (CompletableFuture<Object> r : replies) {
        r.cancel(true);
      }
      throw e;
    }
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
      throw new RemoteExecutionException(failures, size);
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
                + size
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
            channel.broadcast(channel.prepare(Commands.clear()));
        List<Object> left = new ArrayList<>();
        for (CompletableFuture<Object> c : counts) {
          left.add(waitFor(c, deadline));
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
