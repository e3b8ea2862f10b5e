package org.jmor.parallel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jmor.parallel.internal.Command;

/**
 * How the generic pool reaches its workers: in process with command objects (the sequential and
 * thread pools), or through frames and a backend's {@link org.jmor.parallel.spi.Transport} (strict
 * and remote pools, see {@link FrameChannel}).
 */
interface Channel {

  /** Returns the number of workers. */
  int size();

  /** Returns whether everything crosses a serialization boundary (strict or remote). */
  boolean serializes();

  /** Returns whether tasks run in the calling thread (the sequential pool). */
  boolean runsOnCaller();

  /**
   * Returns whether every worker runs in this JVM (the sequential and thread pools, strict too).
   */
  boolean inProcess();

  /**
   * Prepares a command for sending: serializes it into a frame, or checks that an in-process copy
   * can be made.
   *
   * @throws IllegalArgumentException if the command cannot be transferred; nothing was sent
   */
  Object prepare(Command command);

  /**
   * Sends a prepared command to one worker. The future completes with the reply value, or
   * exceptionally with the task's exception, an {@code ElementFailure}, or a {@link
   * WorkerLostException}; {@code cancel(true)} interrupts the task if it runs.
   */
  CompletableFuture<Object> send(int worker, Object prepared);

  /** Sends a prepared command to every worker; replies in worker order. */
  default List<CompletableFuture<Object>> broadcast(Object prepared) {
    List<CompletableFuture<Object>> replies = new ArrayList<>(size());
    for (int i = 0; i < size(); i++) {
      replies.add(send(i, prepared));
    }
    return replies;
  }

  /**
   * Called by a thread about to block on {@code reply} (a future of {@link #send} or {@link
   * #broadcast}) until {@code deadline} ({@link System#nanoTime()}, {@code Long.MAX_VALUE} for
   * none): a channel whose replies arrive by polling may use the thread to receive them, which
   * saves a thread hop. Returns when the reply is done or the caller should block as usual. The
   * default returns at once.
   */
  default void progress(CompletableFuture<Object> reply, long deadline) {}

  /** Returns a short description, for example {@code "threads[4]"}. */
  String describe();

  /**
   * Ends the workers within {@code timeout}, interrupting what still runs then.
   *
   * @return what was abandoned, one line each
   */
  List<String> close(Duration timeout);
}
