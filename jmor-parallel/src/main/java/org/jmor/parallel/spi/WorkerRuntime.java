package org.jmor.parallel.spi;

import java.io.ObjectInputFilter;
import org.jmor.parallel.internal.FrameCodec;
import org.jmor.parallel.internal.Protocol;
import org.jmor.parallel.internal.WorkerState;
import org.jspecify.annotations.Nullable;

/**
 * The worker side of a remote backend: one worker's object store, random generator and settings,
 * fed with the request {@link Frame}s that the caller's core sends. A backend runs one runtime per
 * worker and pool (in whatever process the worker lives; {@link WorkerHost} does it for several
 * pools) and calls {@link #handle(Frame)} for each frame it receives, one at a time and in the
 * order received, then sends the reply back.
 *
 * <p>The core opens every remote pool with an <em>open-pool frame</em> to each worker, its first
 * frame: it carries the worker's index, the pool size, the seed and the caller's deserialization
 * filter pattern ({@value FrameCodec#FILTER_PROPERTY}). A runtime made with {@link
 * #WorkerRuntime()} takes them from it; requests before it are refused. The worker's own filters
 * (the JVM-wide {@code jdk.serialFilter} and its own {@value FrameCodec#FILTER_PROPERTY}) apply
 * too: each filter can only narrow what the others allow.
 *
 * <pre>{@code
 * WorkerRuntime runtime = new WorkerRuntime();
 * while (running) {
 *   Frame request = receive();
 *   send(runtime.handle(request)); // never throws
 * }
 * }</pre>
 *
 * <p>Not thread-safe: call {@link #handle(Frame)} from one thread at a time (a {@link WorkerLanes}
 * lane does that).
 */
public final class WorkerRuntime {
  private @Nullable WorkerState state;
  private ObjectInputFilter filter;
  private Protocol.@Nullable Open opened;

  /** Creates a runtime that the core's open-pool frame, its first frame, opens. */
  public WorkerRuntime() {
    this.filter = FrameCodec.filter();
  }

  /**
   * Creates the runtime of worker {@code index}.
   *
   * @param index the worker index, {@code 0 <= index < size}
   * @param size the number of workers
   * @param seed the pool seed; the random generator is PCG64 seeded with child {@code index} of
   *     {@code SeedSequence(seed)}
   * @throws IllegalArgumentException if the index is out of range, or if the configured
   *     deserialization filter ({@value FrameCodec#FILTER_PROPERTY}) is malformed
   */
  public WorkerRuntime(int index, int size, long seed) {
    this.state = new WorkerState(index, size, seed);
    this.filter = FrameCodec.filter();
    this.opened = new Protocol.Open(index, size, seed, FrameCodec.localPattern());
  }

  /**
   * Answers one request: decodes it, runs it, and encodes the result or the failure. Never throws:
   * a task's exception, a request that cannot be read (a missing class, a refused class, corrupt
   * bytes) and a request of another protocol version all become replies that the caller's core
   * turns into the right exception. (A {@link ThreadDeath}, which ends the thread, is the one
   * exception that passes through.)
   *
   * @param request a request from the caller's core
   * @return the reply to send back
   */
  public Frame handle(Frame request) {
    WorkerState s = state;
    Protocol.Open open;
    try {
      open = Protocol.readOpen(request);
    } catch (RuntimeException e) {
      return Protocol.refusal(0, e.getMessage() == null ? e.toString() : e.getMessage());
    }
    if (open != null) {
      return open(open);
    }
    if (s == null) {
      return Protocol.refusal(
          Protocol.sequenceOf(request),
          "this worker's pool was not opened: the first frame of a pool must be the core's"
              + " open-pool frame (a transport that drops or reorders frames?)");
    }
    return Protocol.handle(s, request, filter);
  }

  private Frame open(Protocol.Open open) {
    Protocol.Open was = opened;
    if (was != null) {
      if (was.index() == open.index() && was.size() == open.size() && was.seed() == open.seed()) {
        return Protocol.opened(); // made for this pool already (an in-process runtime)
      }
      return Protocol.refusal(
          0, "this worker's pool is open already as " + describe(was) + ", not " + describe(open));
    }
    try {
      ObjectInputFilter f = FrameCodec.workerFilter(open.filter());
      state = new WorkerState(open.index(), open.size(), open.seed());
      filter = f;
      opened = open;
      return Protocol.opened();
    } catch (RuntimeException e) {
      return Protocol.refusal(0, "cannot open the pool: " + e.getMessage());
    }
  }

  private static String describe(Protocol.Open o) {
    return "worker " + o.index() + " of " + o.size() + " (seed " + o.seed() + ")";
  }

  /** Returns this worker's index, or -1 before the open-pool frame. */
  public int workerIndex() {
    WorkerState s = state;
    return s == null ? -1 : s.workerIndex();
  }

  /** Returns whether the pool is open (made with an index, or opened by its open-pool frame). */
  public boolean isOpen() {
    return state != null;
  }

  /** Returns how many objects this worker stores. */
  public int objectCount() {
    WorkerState s = state;
    return s == null ? 0 : s.storedObjectCount();
  }

  @Override
  public String toString() {
    return "WorkerRuntime[" + (state == null ? "not opened" : state) + "]";
  }
}
