package org.jmor.parallel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jmor.parallel.spi.Command;
import org.jmor.parallel.spi.Commands;
import org.jmor.parallel.spi.ElementFailure;
import org.jmor.parallel.spi.SerializedValue;
import org.jmor.parallel.spi.Transport;
import org.jmor.vectors.VectorArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generic pool (pyMOR's {@code WorkerPoolBase}): de-duplication of immutable objects, reference
 * counts, argument encoding, splitting, settings synchronization, error aggregation and input
 * checks, on top of a backend's {@link Transport}.
 */
final class GenericWorkerPool implements WorkerPool {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

  private final Transport transport;
  private final String backend;
  private final String name;
  private final int size;
  private final boolean parallel;
  private final SplitRule splitRule;
  private final Settings settings;
  private final boolean serializes;
  private final AtomicLong nextId = new AtomicLong(1);
  private final Stats stats;

  /** Pushed immutable objects, by caller-side identity. Guarded by this. */
  private final Map<Object, Registration> immutables = new IdentityHashMap<>();

  /** Live handles, to mark them removed at close. Guarded by this. */
  private final Map<Handle<?>, Boolean> handles = new IdentityHashMap<>();

  private volatile long syncedSettingsVersion;
  private volatile boolean closed;

  GenericWorkerPool(
      Transport transport,
      String backend,
      String name,
      boolean parallel,
      SplitRule splitRule,
      Settings settings) {
    this.transport = transport;
    this.backend = backend;
    this.name = name;
    this.size = transport.size();
    this.parallel = parallel;
    this.splitRule = splitRule;
    this.settings = settings;
    this.serializes = transport.serializes();
    this.stats = new Stats(size);
    this.syncedSettingsVersion = 0;
    LOG.debug("started {}", this);
  }

  /**
   * The constructor the factory calls. Temporary overload (branch wt-config) until the integrator's
   * version lands: it ignores the two durations (null: none) and keeps the display names of the
   * other constructor.
   */
  GenericWorkerPool(
      Transport transport,
      String backend,
      boolean parallel,
      SplitRule splitRule,
      Settings settings,
      java.time.Duration callTimeout,
      java.time.Duration closeTimeout) {
    this(
        transport,
        backend,
        backend.equals("sequential")
            ? "SequentialPool"
            : backend.equals("threads")
                ? (transport.serializes() ? "StrictThreadPool" : "ThreadPool")
                : backend + "Pool",
        parallel,
        splitRule,
        settings);
  }

  private static final class Registration {
    final long id;
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
  public String toString() {
    return name + "[" + size + (closed ? ", closed" : "") + "]";
  }

  // ---------------------------------------------------------------- push and scatter

  @Override
  public <T> RemoteObject<T> push(T obj) {
    Objects.requireNonNull(obj, "push: obj must not be null");
    synchronized (this) {
      checkOpen("push");
      if (obj instanceof Immutable) {
        Registration r = immutables.get(obj);
        if (r != null) {
          r.references++;
          return newHandle(r.id, obj, "push of " + obj.getClass().getSimpleName());
        }
      }
      long id = nextId.getAndIncrement();
      boolean copy = !(obj instanceof Immutable);
      Command store = Commands.store(id, obj, copy);
      try {
        store = prepare(store);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "push: cannot transfer a "
                + obj.getClass().getName()
                + " to the workers: "
                + e.getMessage()
                + (copy
                    ? "; a mutable object is copied for each worker, so it must be Serializable"
                    : "; remote and strict pools serialize every object"),
            e);
      }
      try {
        await(transport.broadcast(store), false);
      } catch (RemoteExecutionException e) {
        discard(id);
        throw e;
      }
      stats.uploads.incrementAndGet();
      stats.commands.addAndGet(size);
      stats.live.incrementAndGet();
      if (obj instanceof Immutable) {
        Registration r = new Registration(id);
        r.references = 1;
        immutables.put(obj, r);
      }
      return newHandle(id, copy ? null : obj, "push of " + obj.getClass().getSimpleName());
    }
  }

  @Override
  public <T> RemoteObject<List<T>> scatterList(List<? extends T> list) {
    Objects.requireNonNull(list, "scatterList: list must not be null");
    synchronized (this) {
      checkOpen("scatterList");
      int[] b = splitRule.bounds(list.size(), size);
      long id = nextId.getAndIncrement();
      Command[] stores = new Command[size];
      for (int i = 0; i < size; i++) {
        stores[i] = Commands.store(id, new ArrayList<T>(list.subList(b[i], b[i + 1])), false);
      }
      sendStores(id, stores, "scatterList", b);
      return newHandle(id, null, "scatterList of " + list.size());
    }
  }

  @Override
  public RemoteObject<VectorArray> scatterArray(VectorArray u, boolean copy) {
    Objects.requireNonNull(u, "scatterArray: u must not be null");
    synchronized (this) {
      checkOpen("scatterArray");
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
      return newHandle(id, null, "scatterArray of " + b[size]);
    }
  }

  private void sendStores(long id, Command[] stores, String op, int[] bounds) {
    for (int i = 0; i < size; i++) {
      try {
        stores[i] = prepare(stores[i]);
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
      replies.add(transport.send(i, stores[i]));
    }
    try {
      await(replies, false);
    } catch (RemoteExecutionException e) {
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

  private <T> Handle<T> newHandle(long id, Object immutable, String what) {
    Handle<T> h = new Handle<>(this, id, immutable, what);
    handles.put(h, Boolean.TRUE);
    return h;
  }

  /** Removes a handle: the remote copy goes when its last reference goes. */
  synchronized void remove(Handle<?> h) {
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
      immutables.remove(immutable);
    }
    stats.live.decrementAndGet();
    stats.commands.addAndGet(size);
    await(transport.broadcast(prepare(Commands.remove(h.remoteId))), false);
  }

  /** After a store failed on some workers, drops the copies the others made (best effort). */
  private void discard(long id) {
    try {
      await(transport.broadcast(prepare(Commands.remove(id))), false);
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
    // the blocking path waits on the replies directly, without composing futures
    List<CompletableFuture<Object>> replies = sendApply(task, args);
    return awaitAt(replies, allWorkers(replies.size()), false);
  }

  @Override
  public <R> CompletableFuture<List<R>> applyAsync(Task<R> task, Object... args) {
    return gather(sendApply(task, args), false);
  }

  private List<CompletableFuture<Object>> sendApply(Task<?> task, Object[] args) {
    Objects.requireNonNull(task, "apply: task must not be null");
    Object[] encoded = encode("apply", args);
    Command call = prepareCall(Commands.call(task, encoded), "apply");
    syncSettings();
    stats.commands.addAndGet(size);
    return transport.broadcast(call);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <R> R applyOnly(int worker, Task<R> task, Object... args) {
    checkOpen("applyOnly");
    if (worker < 0 || worker >= size) {
      throw new IndexOutOfBoundsException(
          "applyOnly: worker index "
              + worker
              + " out of range: this pool has workers 0.."
              + (size - 1));
    }
    Objects.requireNonNull(task, "applyOnly: task must not be null");
    Object[] encoded = encode("applyOnly", args);
    Command call = prepareCall(Commands.call(task, encoded), "applyOnly");
    syncSettings();
    stats.commands.incrementAndGet();
    List<CompletableFuture<Object>> one = new ArrayList<>(1);
    one.add(transport.send(worker, call));
    List<Object> r = awaitAt(one, new int[] {worker}, false);
    return (R) r.get(0);
  }

  @Override
  public <T, R> List<R> map(
      MapTask<? super T, R> task, List<? extends T> sequence, Object... args) {
    List<CompletableFuture<Object>> replies = sendMap(task, sequence, args);
    return awaitAt(replies, allWorkers(replies.size()), true);
  }

  @Override
  public <T, R> CompletableFuture<List<R>> mapAsync(
      MapTask<? super T, R> task, List<? extends T> sequence, Object... args) {
    return gather(sendMap(task, sequence, args), true);
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
    List<CompletableFuture<Object>> replies = sendBlocks(task, columns, true, args);
    return awaitAt(replies, allWorkers(replies.size()), true);
  }

  private List<CompletableFuture<Object>> sendBlocks(
      MapTask<?, ?> task, List<?>[] columns, boolean zipped, Object[] args) {
    Object[] encoded = encode("map", args);
    int n = columns[0].size();
    int[] b = splitRule.bounds(n, size);
    Command[] blocks = new Command[size];
    for (int i = 0; i < size; i++) {
      List<?>[] block = new List<?>[columns.length];
      for (int c = 0; c < columns.length; c++) {
        block[c] = columns[c].subList(b[i], b[i + 1]);
      }
      blocks[i] = prepareCall(Commands.map(task, block, zipped, b[i], encoded), "map");
    }
    syncSettings();
    List<CompletableFuture<Object>> replies = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      replies.add(transport.send(i, blocks[i]));
    }
    stats.commands.addAndGet(size);
    return replies;
  }

  // ---------------------------------------------------------------- encoding

  private Object[] encode(String op, Object[] args) {
    Objects.requireNonNull(args, op + ": args must not be null (pass no arguments instead)");
    checkOpen(op);
    if (args.length == 0) {
      return args;
    }
    Object[] encoded = new Object[args.length];
    synchronized (this) {
      for (int i = 0; i < args.length; i++) {
        Object a = args[i];
        if (a instanceof RemoteObject) {
          encoded[i] = encodeHandle(op, i, (RemoteObject<?>) a);
        } else if (a instanceof Immutable && immutables.containsKey(a)) {
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

  private Command prepare(Command command) {
    if (serializes) {
      return Commands.serialized(command);
    }
    Commands.prepare(command);
    return command;
  }

  private Command prepareCall(Command command, String op) {
    if (!serializes) {
      return command;
    }
    try {
      return Commands.serialized(command);
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

  private void syncSettings() {
    long v = settings.version();
    if (v != syncedSettingsVersion) {
      synchronized (this) {
        v = settings.version();
        if (v != syncedSettingsVersion) {
          Command sync = prepare(Commands.settings(settings.snapshot()));
          await(transport.broadcast(sync), false);
          stats.commands.addAndGet(size);
          syncedSettingsVersion = v;
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

  private <R> CompletableFuture<List<R>> gather(
      List<CompletableFuture<Object>> replies, boolean concat) {
    int[] workers = allWorkers(replies.size());
    if (allDone(replies)) {
      try {
        return CompletableFuture.completedFuture(awaitAt(replies, workers, concat));
      } catch (RemoteExecutionException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0]))
        .handle((ignored, error) -> awaitAt(replies, workers, concat));
  }

  private static boolean allDone(List<CompletableFuture<Object>> replies) {
    for (CompletableFuture<Object> f : replies) {
      if (!f.isDone()) {
        return false;
      }
    }
    return true;
  }

  private void await(List<CompletableFuture<Object>> replies, boolean concat) {
    awaitAt(replies, allWorkers(replies.size()), concat);
  }

  /** Waits for every reply, then returns the values or throws one aggregated exception. */
  @SuppressWarnings("unchecked")
  private <R> List<R> awaitAt(
      List<CompletableFuture<Object>> replies, int[] workers, boolean concat) {
    List<Object> values = new ArrayList<>(replies.size());
    List<WorkerFailure> failures = null;
    for (int i = 0; i < replies.size(); i++) {
      try {
        values.add(decode(waitFor(replies.get(i))));
      } catch (ExecutionException | CompletionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        long element = -1;
        if (cause instanceof ElementFailure) {
          element = ((ElementFailure) cause).element();
          cause = cause.getCause();
        }
        if (failures == null) {
          failures = new ArrayList<>();
        }
        failures.add(new WorkerFailure(workers[i], element, cause));
        values.add(null);
      }
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

  /** Waits for a future; an interruption restores the flag and becomes a cancellation. */
  private static <V> V waitFor(CompletableFuture<V> f) throws ExecutionException {
    if (f.isDone()) {
      return f.join();
    }
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      CancellationException c = new CancellationException("interrupted while waiting for workers");
      c.initCause(e);
      throw c;
    }
  }

  private static Object decode(Object reply) {
    return reply instanceof SerializedValue ? ((SerializedValue) reply).value() : reply;
  }

  // ---------------------------------------------------------------- lifecycle

  private void checkOpen(String op) {
    if (closed) {
      throw new IllegalStateException(op + ": " + this + " is closed");
    }
  }

  @Override
  public void close() {
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
    try {
      List<CompletableFuture<Object>> counts = transport.broadcast(prepare(Commands.clear()));
      List<Object> left = awaitAt(counts, allWorkers(size), false);
      LOG.debug("{} closed; workers released {} objects", this, left);
    } catch (RuntimeException e) {
      LOG.warn("{}: releasing remote objects at close failed: {}", this, e.toString());
    } finally {
      stats.live.set(0);
      transport.close();
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
    final java.util.concurrent.atomic.AtomicInteger live =
        new java.util.concurrent.atomic.AtomicInteger();

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
