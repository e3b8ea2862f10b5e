package org.jmor.parallel.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Delivers {@link Command}s to numbered workers and their replies back: the only part of a pool
 * that a backend implements. Each worker runs a {@link WorkerRuntime} that executes the commands.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>A worker executes the commands sent to it one at a time, in the order of the {@code send}
 *       calls.
 *   <li>The returned future completes with the value of {@link WorkerRuntime#execute(Command)}, or
 *       exceptionally with what it threw (unwrapped, or wrapped in a {@link
 *       java.util.concurrent.CompletionException}). A worker that dies or becomes unreachable must
 *       complete its pending futures exceptionally: never leave them pending.
 *   <li>When {@link #serializes()} is true, the core hands over only {@link Command#isSerialized()
 *       serialized} commands, so that a transport sends their bytes as they are.
 * </ul>
 */
public interface Transport extends AutoCloseable {

  /** Returns the number of workers. */
  int size();

  /**
   * Returns whether commands cross a serialization boundary (remote workers, or strict mode). The
   * core then serializes every command on the caller's side, so that an argument that cannot be
   * transferred fails before anything is sent.
   */
  boolean serializes();

  /**
   * Sends a command to one worker.
   *
   * @param worker the worker index
   * @param command the command
   * @return the reply
   */
  CompletableFuture<Object> send(int worker, Command command);

  /**
   * Sends the same command to every worker; a transport may override this to encode the command
   * once.
   *
   * @param command the command
   * @return the replies in worker order
   */
  default List<CompletableFuture<Object>> broadcast(Command command) {
    List<CompletableFuture<Object>> replies = new ArrayList<>(size());
    for (int i = 0; i < size(); i++) {
      replies.add(send(i, command));
    }
    return replies;
  }

  /** Returns a short description for logs, for example {@code "threads[4]"}. */
  String describe();

  /** Ends the workers and releases the transport's resources. Idempotent. */
  @Override
  void close();
}
