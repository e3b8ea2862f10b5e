package org.jmor.parallel;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jmor.parallel.events.Recorder;
import org.jmor.vectors.VectorArray;

/**
 * A set of {@link #size()} numbered workers (0 … size−1) that run tasks on data that lives on the
 * workers: pyMOR's {@code WorkerPool}.
 *
 * <h2>What it does</h2>
 *
 * <ul>
 *   <li>{@link #push(Object) push} copies one object to every worker and returns a {@link
 *       RemoteObject} handle; {@link #scatterList(List) scatterList} and {@link
 *       #scatterArray(VectorArray, boolean) scatterArray} give each worker its own contiguous
 *       slice.
 *   <li>{@link #apply(Task, Object...) apply} runs a task once on every worker (results in worker
 *       order), {@link #applyOnly(int, Task, Object...) applyOnly} on one worker, and {@link
 *       #map(MapTask, List, Object...) map} splits a sequence into contiguous blocks, one per
 *       worker (results in input order).
 * </ul>
 *
 * <h2>How to get one</h2>
 *
 * {@link WorkerPools#sequential()}, {@link WorkerPools#threads(int)}, {@link WorkerPools#builder()}
 * for every option, or {@link WorkerPools#newParallelPool()} for the process-wide pool chosen from
 * the configuration (pyMOR's {@code new_parallel_pool}).
 *
 * <pre>{@code
 * try (WorkerPool pool = WorkerPools.threads(4);
 *      RemoteObject<Model> model = pool.push(fom)) {
 *   List<Double> outputs = pool.map((ctx, mu, args) -> args.<Model>get(0).output(mu), mus, model);
 * }
 * }</pre>
 *
 * <h2>Arguments</h2>
 *
 * The trailing {@code args} of {@code apply}, {@code applyOnly} and {@code map} reach the task
 * through {@link Args}, by position:
 *
 * <ul>
 *   <li>a {@link RemoteObject} of this pool is replaced on each worker by that worker's object (for
 *       scattered data, its own slice); handles are resolved only when they are arguments
 *       themselves, not when nested inside another argument;
 *   <li>an {@link Immutable} object that is currently pushed is passed as a reference to the remote
 *       copy and is not sent again;
 *   <li>any other argument is sent with the call and exists on the worker only for that call.
 *       Remote and strict pools serialize it; the sequential and thread pools pass it by reference
 *       (see the copy rules in the README).
 * </ul>
 *
 * <h2>Blocking, ordering and threads</h2>
 *
 * Every method except the {@code *Async} ones blocks until all workers involved are done. Each
 * worker runs the commands it receives one at a time, in the order they were issued. A pool may be
 * used from several threads; commands issued concurrently are ordered per worker but not across
 * threads.
 *
 * <h2>Failures</h2>
 *
 * Input errors are detected on the caller's side before any worker runs and raise {@link
 * IllegalArgumentException}, {@link IndexOutOfBoundsException} or {@link IllegalStateException}
 * with a message that says what was wrong. A task that throws on one or more workers raises one
 * {@link RemoteExecutionException} that lists every failing worker and its cause; the pool stays
 * usable. {@link java.util.concurrent.ExecutionException} and {@link InterruptedException} never
 * escape a blocking call; on interruption the interrupt flag is restored and an {@link
 * java.util.concurrent.CancellationException} is thrown.
 */
public interface WorkerPool extends AutoCloseable {

  /**
   * Returns the number of workers, at least 1. On a pool that {@linkplain OnWorkerLoss#SHRINK
   * shrinks} this drops when a worker is lost.
   */
  int size();

  /**
   * Returns the backend's name as the configuration spells it: {@code sequential}, {@code threads},
   * or a provider's name such as {@code cluster} or {@code mpi}.
   */
  String backend();

  /**
   * Returns whether algorithms should take their parallel code path: {@code false} only for the
   * sequential pool (pyMOR's falsy {@code DummyPool}), {@code true} for every other pool, even one
   * with a single worker.
   */
  boolean isParallel();

  /**
   * Returns whether every worker runs in the caller's JVM: {@code true} for the sequential and
   * thread pools (strict ones too), {@code false} for pools whose workers are, or include, other
   * processes (the cluster and MPI pools). Calls to an in-process pool never cross a process
   * boundary, and code that the JVM has compiled for one worker is compiled for all; algorithms use
   * this to decide whether short, fine-grained steps pay on the pool (the reduced-basis greedy
   * searches of {@code jmor-rb} run their reductor's per-extension work on in-process pools only).
   *
   * <p>The default implementation returns {@code false}, the safe answer for a pool that does not
   * know.
   */
  default boolean isInProcess() {
    return false;
  }

  /**
   * Copies {@code obj} to every worker and returns a handle to the copies.
   *
   * <p>A mutable object is transferred on every call, and each worker gets its own copy; the
   * caller's object is never aliased by a worker. An {@link Immutable} object is transferred only
   * if it is not currently pushed; otherwise the returned handle refers to the existing remote copy
   * (same {@link RemoteObject#remoteId()}) and a reference count is incremented. The copies
   * disappear when every handle to them has been removed.
   *
   * @param obj the object; it must be {@link java.io.Serializable} unless it is {@link Immutable}
   *     and the pool runs in this process without strict mode
   * @param <T> the object's type
   * @return a new handle, owned by the caller, to be removed with {@link RemoteObject#remove()}
   * @throws NullPointerException if {@code obj} is null
   * @throws IllegalArgumentException if the pool cannot transfer {@code obj}
   * @throws IllegalStateException if the pool is closed
   */
  <T> RemoteObject<T> push(T obj);

  /**
   * Gives worker {@code i} a new list holding the {@code i}-th contiguous block of {@code list}
   * (see {@link SplitRule}); each worker receives only its own block.
   *
   * @param list the elements; the list is not modified; elements are copied to remote workers and
   *     shared by reference on in-process pools
   * @param <T> the element type
   * @return a handle that resolves to a different {@code List<T>} on each worker
   * @throws NullPointerException if {@code list} is null
   * @throws IllegalArgumentException if an element cannot be transferred
   * @throws IllegalStateException if the pool is closed
   */
  <T> RemoteObject<List<T>> scatterList(List<? extends T> list);

  /**
   * Gives worker {@code i} a new {@link VectorArray} with the {@code i}-th contiguous block of the
   * vectors of {@code u} (see {@link SplitRule}).
   *
   * @param u the vectors
   * @param copy if {@code true}, {@code u} is not modified; if {@code false}, the vectors are moved
   *     out of {@code u}, which is empty afterwards, on every pool
   * @return a handle that resolves to a different {@code VectorArray} on each worker
   * @throws NullPointerException if {@code u} is null
   * @throws IllegalArgumentException if {@code copy} is false and {@code u} is a view (a view
   *     cannot be emptied); nothing is sent
   * @throws IllegalStateException if the pool is closed
   */
  RemoteObject<VectorArray> scatterArray(VectorArray u, boolean copy);

  /**
   * Same as {@link #scatterList(List)}, and with {@link Scatter#RECOVERABLE} the pool keeps the
   * source so that a {@linkplain OnWorkerLoss#SHRINK shrinking} pool can send a lost worker's slice
   * again (see {@link Scatter}).
   *
   * @param list the elements; the list is not modified (with {@code RECOVERABLE} on a shrinking
   *     pool a copy of it is kept, sharing the elements, which must not change)
   * @param mode {@link Scatter#PLAIN} (what {@link #scatterList(List)} does) or {@link
   *     Scatter#RECOVERABLE}
   * @param <T> the element type
   * @return a handle that resolves to a different {@code List<T>} on each worker
   * @throws NullPointerException if {@code list} or {@code mode} is null
   * @throws IllegalArgumentException if an element cannot be transferred
   * @throws IllegalStateException if the pool is closed or broken
   */
  <T> RemoteObject<List<T>> scatterList(List<? extends T> list, Scatter mode);

  /**
   * Same as {@link #scatterArray(VectorArray, boolean)}, and with {@link Scatter#RECOVERABLE} the
   * pool keeps a copy of the vectors so that a {@linkplain OnWorkerLoss#SHRINK shrinking} pool can
   * send a lost worker's slice again (see {@link Scatter}).
   *
   * @param u the vectors
   * @param copy if {@code false}, the vectors are moved out of {@code u}, which is empty afterwards
   * @param mode {@link Scatter#PLAIN} or {@link Scatter#RECOVERABLE}
   * @return a handle that resolves to a different {@code VectorArray} on each worker
   * @throws NullPointerException if {@code u} or {@code mode} is null
   * @throws IllegalArgumentException if {@code copy} is false and {@code u} is a view; nothing is
   *     sent
   * @throws IllegalStateException if the pool is closed or broken
   */
  RemoteObject<VectorArray> scatterArray(VectorArray u, boolean copy, Scatter mode);

  /**
   * Runs {@code task} once on every worker and returns the results in worker order.
   *
   * @param task the task
   * @param args the task's arguments (see the class documentation for how they travel)
   * @param <R> the result type
   * @return a list of exactly {@link #size()} results, element {@code i} from worker {@code i}
   * @throws NullPointerException if {@code task} is null
   * @throws IllegalArgumentException if an argument is a handle of another pool or cannot be
   *     transferred
   * @throws IllegalStateException if the pool is closed or an argument is a removed handle
   * @throws RemoteExecutionException if the task throws on one or more workers
   */
  <R> List<R> apply(Task<R> task, Object... args);

  /**
   * Runs {@code task} on worker {@code worker} only and returns its result.
   *
   * @param worker the worker index, {@code 0 <= worker < size()}
   * @param task the task
   * @param args the task's arguments
   * @param <R> the result type
   * @return the task's result
   * @throws IndexOutOfBoundsException if {@code worker} is negative or at least {@link #size()}
   * @throws NullPointerException if {@code task} is null
   * @throws IllegalArgumentException as for {@link #apply(Task, Object...)}
   * @throws IllegalStateException as for {@link #apply(Task, Object...)}
   * @throws RemoteExecutionException if the task throws
   */
  <R> R applyOnly(int worker, Task<R> task, Object... args);

  /**
   * Calls {@code task} once for every element of {@code sequence}; the sequence is split into
   * contiguous blocks, one per worker (see {@link SplitRule}); each worker processes its block in
   * order. A handle argument is resolved once per worker and shared by all calls on that worker.
   *
   * @param task the task, called as {@code task.run(ctx, element, args)}
   * @param sequence the elements, any {@link List}; not modified
   * @param args arguments passed to every call
   * @param <T> the element type
   * @param <R> the result type
   * @return the results in input order; empty for an empty sequence
   * @throws NullPointerException if {@code task} or {@code sequence} is null
   * @throws IllegalArgumentException as for {@link #apply(Task, Object...)}
   * @throws IllegalStateException as for {@link #apply(Task, Object...)}
   * @throws RemoteExecutionException if the task throws on one or more workers
   */
  <T, R> List<R> map(MapTask<? super T, R> task, List<? extends T> sequence, Object... args);

  /**
   * Like {@link #map(MapTask, List, Object...)} over several sequences of equal length: call {@code
   * k} receives the tuple {@code (s0[k], s1[k], …)} as an {@link Args}.
   *
   * @param task the task, called as {@code task.run(ctx, tuple, args)}
   * @param sequences at least one sequence, all of the same length
   * @param args arguments passed to every call
   * @param <R> the result type
   * @return the results in input order
   * @throws IllegalArgumentException if no sequence is given or their lengths differ (nothing is
   *     sent); otherwise as for {@link #map(MapTask, List, Object...)}
   */
  <R> List<R> mapZipped(MapTask<Args, R> task, List<? extends List<?>> sequences, Object... args);

  /**
   * Asynchronous {@link #apply(Task, Object...)}: input errors are thrown at once; worker failures
   * complete the future exceptionally with a {@link RemoteExecutionException}. On the sequential
   * pool the task runs in the calling thread before this method returns.
   *
   * @param task the task
   * @param args the task's arguments
   * @param <R> the result type
   * @return a future of the results in worker order
   */
  <R> CompletableFuture<List<R>> applyAsync(Task<R> task, Object... args);

  /**
   * Asynchronous {@link #map(MapTask, List, Object...)}; failures as for {@link #applyAsync(Task,
   * Object...)}.
   *
   * @param task the task
   * @param sequence the elements
   * @param args arguments passed to every call
   * @param <T> the element type
   * @param <R> the result type
   * @return a future of the results in input order
   */
  <T, R> CompletableFuture<List<R>> mapAsync(
      MapTask<? super T, R> task, List<? extends T> sequence, Object... args);

  /**
   * Returns the settings registry that this pool mirrors on its workers: a value set there is
   * visible on every worker (through {@link WorkerContext#get(Setting)}) from the next {@code
   * apply}, {@code applyOnly} or {@code map} on.
   */
  Settings settings();

  /** Returns counters of what this pool has transferred, for tests and diagnostics. */
  TransferStatistics statistics();

  /**
   * Returns the recorder that this pool records its calls and worker states with, as set by {@link
   * PoolBuilder#recorder} or {@link ParallelPoolOptions#withRecorder}; {@link Recorder#off()} by
   * default. Algorithms that take a pool record their steps with it: {@code try (Recorder.Step s =
   * pool.recorder().step("extension")) { ... }}.
   *
   * @return the recorder, never null
   */
  default Recorder recorder() {
    return Recorder.off();
  }

  /**
   * Returns whether this pool lost a worker ({@link WorkerLostException}; with {@link
   * OnWorkerLoss#SHRINK}: its last worker). A broken pool stays broken: every method that sends
   * work or data throws an {@link IllegalStateException} that says why, and {@link #close()} still
   * releases what it can.
   */
  boolean isBroken();

  /**
   * Returns what this pool does when it loses a worker ({@link PoolConfig#ON_WORKER_LOSS}). The
   * default implementation returns {@link OnWorkerLoss#FAIL}.
   *
   * @return the policy
   */
  default OnWorkerLoss onWorkerLoss() {
    return OnWorkerLoss.FAIL;
  }

  /**
   * Same as {@link #close(Duration)} with the pool's close timeout ({@link
   * PoolConfig#CLOSE_TIMEOUT}, 5 seconds unless configured).
   */
  @Override
  void close();

  /**
   * Removes every remote object, ends the workers and releases their resources, and returns within
   * about {@code timeout}: work still queued or running then is interrupted and abandoned (and
   * logged at WARN). Afterwards every handle of this pool reports {@link RemoteObject#isRemoved()},
   * removing one is a silent no-op, and every method that sends work or data ({@code push}, {@code
   * scatter*}, {@code apply*}, {@code map*}) throws {@link IllegalStateException}; futures of calls
   * still running complete exceptionally; {@link #size()}, {@link #isParallel()}, {@link
   * #settings()} and {@link #statistics()} still answer. Idempotent: a second call returns at once.
   *
   * @param timeout how long to let queued and running work finish; zero interrupts at once
   * @throws NullPointerException if {@code timeout} is null
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  void close(Duration timeout);

  // ===== BEGIN typed task overloads ==============================================================
  //
  // Typed forms of apply, applyOnly, map, applyAsync and mapAsync for one to three handle
  // arguments. The handles come first and the task last: a task-first typed overload for one
  // argument would have the same shape as the Args form (Task.run(ctx, args) has the arity of
  // Task1.run(ctx, a)), and Java would pick it for existing Args-form calls with one handle. With
  // the task last, the first parameter (a RemoteObject or a List, never a functional interface)
  // separates the two families for every lambda and method reference. Each method adapts to the
  // Args form through a named serializable adapter in TypedTaskAdapters.

  /**
   * Typed {@link #apply(Task, Object...)} with one handle: runs {@code task} once on every worker,
   * with the worker's object behind {@code a}.
   *
   * <pre>{@code
   * List<Double> outputs = pool.apply(remoteModel, (ctx, model) -> model.output(1.0));
   * }</pre>
   *
   * @param a a handle of this pool; its object arrives as the task's {@code a}
   * @param task the task
   * @param <A> the type of the object behind {@code a}
   * @param <R> the result type
   * @return a list of exactly {@link #size()} results, element {@code i} from worker {@code i}
   * @throws NullPointerException if {@code task} is null
   * @throws IllegalArgumentException if {@code a} is a handle of another pool
   * @throws IllegalStateException if the pool is closed or {@code a} was removed
   * @throws RemoteExecutionException if the task throws on one or more workers
   */
  default <A, R> List<R> apply(RemoteObject<A> a, Task1<? super A, R> task) {
    return apply(TypedTaskAdapters.<A, R>task(task, "apply"), a);
  }

  /**
   * Typed {@link #apply(Task, Object...)} with two handles; see {@link #apply(RemoteObject,
   * Task1)}.
   *
   * @param a the first handle
   * @param b the second handle
   * @param task the task
   * @param <A> the type of the object behind {@code a}
   * @param <B> the type of the object behind {@code b}
   * @param <R> the result type
   * @return the results in worker order
   */
  default <A, B, R> List<R> apply(
      RemoteObject<A> a, RemoteObject<B> b, Task2<? super A, ? super B, R> task) {
    return apply(TypedTaskAdapters.<A, B, R>task(task, "apply"), a, b);
  }

  /**
   * Typed {@link #apply(Task, Object...)} with three handles; see {@link #apply(RemoteObject,
   * Task1)}.
   *
   * @param a the first handle
   * @param b the second handle
   * @param c the third handle
   * @param task the task
   * @param <A> the type of the object behind {@code a}
   * @param <B> the type of the object behind {@code b}
   * @param <C> the type of the object behind {@code c}
   * @param <R> the result type
   * @return the results in worker order
   */
  default <A, B, C, R> List<R> apply(
      RemoteObject<A> a,
      RemoteObject<B> b,
      RemoteObject<C> c,
      Task3<? super A, ? super B, ? super C, R> task) {
    return apply(TypedTaskAdapters.<A, B, C, R>task(task, "apply"), a, b, c);
  }

  /**
   * Typed {@link #applyOnly(int, Task, Object...)} with one handle.
   *
   * @param worker the worker index, {@code 0 <= worker < size()}
   * @param a the handle
   * @param task the task
   * @param <A> the type of the object behind {@code a}
   * @param <R> the result type
   * @return the task's result
   * @throws IndexOutOfBoundsException if {@code worker} is negative or at least {@link #size()}
   */
  default <A, R> R applyOnly(int worker, RemoteObject<A> a, Task1<? super A, R> task) {
    return applyOnly(worker, TypedTaskAdapters.<A, R>task(task, "applyOnly"), a);
  }

  /**
   * Typed {@link #applyOnly(int, Task, Object...)} with two handles.
   *
   * @param worker the worker index
   * @param a the first handle
   * @param b the second handle
   * @param task the task
   * @param <A> the type of the object behind {@code a}
   * @param <B> the type of the object behind {@code b}
   * @param <R> the result type
   * @return the task's result
   */
  default <A, B, R> R applyOnly(
      int worker, RemoteObject<A> a, RemoteObject<B> b, Task2<? super A, ? super B, R> task) {
    return applyOnly(worker, TypedTaskAdapters.<A, B, R>task(task, "applyOnly"), a, b);
  }

  /**
   * Typed {@link #applyOnly(int, Task, Object...)} with three handles.
   *
   * @param worker the worker index
   * @param a the first handle
   * @param b the second handle
   * @param c the third handle
   * @param task the task
   * @param <A> the type of the object behind {@code a}
   * @param <B> the type of the object behind {@code b}
   * @param <C> the type of the object behind {@code c}
   * @param <R> the result type
   * @return the task's result
   */
  default <A, B, C, R> R applyOnly(
      int worker,
      RemoteObject<A> a,
      RemoteObject<B> b,
      RemoteObject<C> c,
      Task3<? super A, ? super B, ? super C, R> task) {
    return applyOnly(worker, TypedTaskAdapters.<A, B, C, R>task(task, "applyOnly"), a, b, c);
  }

  /**
   * Typed {@link #map(MapTask, List, Object...)} with one handle: calls {@code task} once for every
   * element of {@code sequence}, with the worker's object behind {@code a}.
   *
   * <pre>{@code
   * List<Double> outputs = pool.map(mus, remoteModel, (ctx, mu, model) -> model.output(mu));
   * }</pre>
   *
   * @param sequence the elements, any {@link List}; not modified
   * @param a a handle of this pool, resolved once per worker
   * @param task the task, called as {@code task.run(ctx, element, a)}
   * @param <T> the element type
   * @param <A> the type of the object behind {@code a}
   * @param <R> the result type
   * @return the results in input order; empty for an empty sequence
   * @throws NullPointerException if {@code task} or {@code sequence} is null
   * @throws IllegalArgumentException if {@code a} is a handle of another pool
   * @throws IllegalStateException if the pool is closed or {@code a} was removed
   * @throws RemoteExecutionException if the task throws on one or more workers
   */
  default <T, A, R> List<R> map(
      List<? extends T> sequence, RemoteObject<A> a, MapTask1<? super T, ? super A, R> task) {
    return map(TypedTaskAdapters.<T, A, R>mapTask(task, "map"), sequence, a);
  }

  /**
   * Typed {@link #map(MapTask, List, Object...)} with two handles; see {@link #map(List,
   * RemoteObject, MapTask1)}.
   *
   * @param sequence the elements
   * @param a the first handle
   * @param b the second handle
   * @param task the task
   * @param <T> the element type
   * @param <A> the type of the object behind {@code a}
   * @param <B> the type of the object behind {@code b}
   * @param <R> the result type
   * @return the results in input order
   */
  default <T, A, B, R> List<R> map(
      List<? extends T> sequence,
      RemoteObject<A> a,
      RemoteObject<B> b,
      MapTask2<? super T, ? super A, ? super B, R> task) {
    return map(TypedTaskAdapters.<T, A, B, R>mapTask(task, "map"), sequence, a, b);
  }

  /**
   * Typed {@link #map(MapTask, List, Object...)} with three handles; see {@link #map(List,
   * RemoteObject, MapTask1)}.
   *
   * @param sequence the elements
   * @param a the first handle
   * @param b the second handle
   * @param c the third handle
   * @param task the task
   * @param <T> the element type
   * @param <A> the type of the object behind {@code a}
   * @param <B> the type of the object behind {@code b}
   * @param <C> the type of the object behind {@code c}
   * @param <R> the result type
   * @return the results in input order
   */
  default <T, A, B, C, R> List<R> map(
      List<? extends T> sequence,
      RemoteObject<A> a,
      RemoteObject<B> b,
      RemoteObject<C> c,
      MapTask3<? super T, ? super A, ? super B, ? super C, R> task) {
    return map(TypedTaskAdapters.<T, A, B, C, R>mapTask(task, "map"), sequence, a, b, c);
  }

  /**
   * Typed {@link #applyAsync(Task, Object...)} with one handle.
   *
   * @param a the handle
   * @param task the task
   * @param <A> the type of the object behind {@code a}
   * @param <R> the result type
   * @return a future of the results in worker order
   */
  default <A, R> CompletableFuture<List<R>> applyAsync(
      RemoteObject<A> a, Task1<? super A, R> task) {
    return applyAsync(TypedTaskAdapters.<A, R>task(task, "applyAsync"), a);
  }

  /**
   * Typed {@link #applyAsync(Task, Object...)} with two handles.
   *
   * @param a the first handle
   * @param b the second handle
   * @param task the task
   * @param <A> the type of the object behind {@code a}
   * @param <B> the type of the object behind {@code b}
   * @param <R> the result type
   * @return a future of the results in worker order
   */
  default <A, B, R> CompletableFuture<List<R>> applyAsync(
      RemoteObject<A> a, RemoteObject<B> b, Task2<? super A, ? super B, R> task) {
    return applyAsync(TypedTaskAdapters.<A, B, R>task(task, "applyAsync"), a, b);
  }

  /**
   * Typed {@link #applyAsync(Task, Object...)} with three handles.
   *
   * @param a the first handle
   * @param b the second handle
   * @param c the third handle
   * @param task the task
   * @param <A> the type of the object behind {@code a}
   * @param <B> the type of the object behind {@code b}
   * @param <C> the type of the object behind {@code c}
   * @param <R> the result type
   * @return a future of the results in worker order
   */
  default <A, B, C, R> CompletableFuture<List<R>> applyAsync(
      RemoteObject<A> a,
      RemoteObject<B> b,
      RemoteObject<C> c,
      Task3<? super A, ? super B, ? super C, R> task) {
    return applyAsync(TypedTaskAdapters.<A, B, C, R>task(task, "applyAsync"), a, b, c);
  }

  /**
   * Typed {@link #mapAsync(MapTask, List, Object...)} with one handle.
   *
   * @param sequence the elements
   * @param a the handle
   * @param task the task
   * @param <T> the element type
   * @param <A> the type of the object behind {@code a}
   * @param <R> the result type
   * @return a future of the results in input order
   */
  default <T, A, R> CompletableFuture<List<R>> mapAsync(
      List<? extends T> sequence, RemoteObject<A> a, MapTask1<? super T, ? super A, R> task) {
    return mapAsync(TypedTaskAdapters.<T, A, R>mapTask(task, "mapAsync"), sequence, a);
  }

  /**
   * Typed {@link #mapAsync(MapTask, List, Object...)} with two handles.
   *
   * @param sequence the elements
   * @param a the first handle
   * @param b the second handle
   * @param task the task
   * @param <T> the element type
   * @param <A> the type of the object behind {@code a}
   * @param <B> the type of the object behind {@code b}
   * @param <R> the result type
   * @return a future of the results in input order
   */
  default <T, A, B, R> CompletableFuture<List<R>> mapAsync(
      List<? extends T> sequence,
      RemoteObject<A> a,
      RemoteObject<B> b,
      MapTask2<? super T, ? super A, ? super B, R> task) {
    return mapAsync(TypedTaskAdapters.<T, A, B, R>mapTask(task, "mapAsync"), sequence, a, b);
  }

  /**
   * Typed {@link #mapAsync(MapTask, List, Object...)} with three handles.
   *
   * @param sequence the elements
   * @param a the first handle
   * @param b the second handle
   * @param c the third handle
   * @param task the task
   * @param <T> the element type
   * @param <A> the type of the object behind {@code a}
   * @param <B> the type of the object behind {@code b}
   * @param <C> the type of the object behind {@code c}
   * @param <R> the result type
   * @return a future of the results in input order
   */
  default <T, A, B, C, R> CompletableFuture<List<R>> mapAsync(
      List<? extends T> sequence,
      RemoteObject<A> a,
      RemoteObject<B> b,
      RemoteObject<C> c,
      MapTask3<? super T, ? super A, ? super B, ? super C, R> task) {
    return mapAsync(TypedTaskAdapters.<T, A, B, C, R>mapTask(task, "mapAsync"), sequence, a, b, c);
  }

  // ===== END typed task overloads ================================================================
}
