package org.jmor.parallel.spi;

import java.io.ObjectInputFilter;
import org.jmor.parallel.internal.FrameCodec;
import org.jmor.parallel.internal.Protocol;
import org.jmor.parallel.internal.WorkerState;

/**
 * The worker side of a remote backend: one worker's object store, random generator and settings,
 * fed with the request {@link Frame}s that the caller's core sends. A backend runs one runtime per
 * worker (in whatever process the worker lives) and calls {@link #handle(Frame)} for each frame it
 * receives, one at a time and in the order received, then sends the reply back.
 *
 * <pre>{@code
 * WorkerRuntime runtime = new WorkerRuntime(index, size, seed);
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
  private final WorkerState state;
  private final ObjectInputFilter filter;

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
    return Protocol.handle(state, request, filter);
  }

  /** Returns this worker's index. */
  public int workerIndex() {
    return state.workerIndex();
  }

  /** Returns how many objects this worker stores. */
  public int objectCount() {
    return state.storedObjectCount();
  }

  @Override
  public String toString() {
    return "WorkerRuntime[" + state + "]";
  }
}
