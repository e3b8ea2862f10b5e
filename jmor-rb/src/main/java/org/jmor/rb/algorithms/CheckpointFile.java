package org.jmor.rb.algorithms;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where a greedy search writes its checkpoints ({@link GreedyOptions#checkpoint(CheckpointFile)}):
 * the state after the start and after every extension ({@link GreedyCheckpoint}), each written
 * atomically (temporary file in the same directory, forced to the device, atomic rename), so the
 * file always holds a complete checkpoint: a search killed at any moment loses at most the
 * extension in progress.
 *
 * <p>{@link #close()} is for a signal handler that ends the process: it waits until a write in
 * progress is complete and makes every later write a no-op, so that the file keeps the last
 * complete checkpoint. Thread-safe.
 */
public final class CheckpointFile implements AutoCloseable {
  private final Path file;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile boolean closed;
  private volatile int extensions = -1;
  private volatile long writes;
  private volatile long lastBytes;
  private volatile long nanos;

  private CheckpointFile(Path file) {
    this.file = file;
  }

  /**
   * A checkpoint file at {@code file} (nothing is written yet; an existing file is replaced by the
   * first checkpoint).
   *
   * @param file the file
   * @return the checkpoint file
   */
  public static CheckpointFile at(Path file) {
    return new CheckpointFile(Objects.requireNonNull(file, "file"));
  }

  /**
   * @return the file
   */
  public Path file() {
    return file;
  }

  /**
   * @return the number of extensions in the last checkpoint written, {@code -1} if none was written
   */
  public int extensions() {
    return extensions;
  }

  /**
   * @return the number of checkpoints written
   */
  public long writes() {
    return writes;
  }

  /**
   * @return the size in bytes of the last checkpoint written, 0 if none
   */
  public long lastBytes() {
    return lastBytes;
  }

  /**
   * @return the seconds spent building and writing checkpoints so far (the cost of checkpointing)
   */
  public double seconds() {
    return nanos / 1e9;
  }

  /**
   * Builds and writes a checkpoint unless closed; blocks a concurrent {@link #close()} until
   * complete.
   */
  void write(java.util.function.Supplier<GreedyCheckpoint> state) {
    lock.lock();
    long t0 = System.nanoTime();
    try {
      if (closed) {
        return;
      }
      GreedyCheckpoint checkpoint = state.get();
      if (writes == 0) {
        removeStaleTemporaryFiles();
      }
      checkpoint.write(file);
      extensions = checkpoint.extensions();
      writes++;
      lastBytes = java.nio.file.Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the checkpoint " + file + ": " + e.getMessage(), e);
    } finally {
      nanos += System.nanoTime() - t0;
      lock.unlock();
    }
  }

  /**
   * Removes the temporary files that a process killed while writing this checkpoint left ({@code
   * .NAME.*.tmp} beside it); best effort.
   */
  private void removeStaleTemporaryFiles() {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    if (dir == null || !java.nio.file.Files.isDirectory(dir)) {
      return;
    }
    String glob = "." + target.getFileName() + ".*.tmp";
    try (java.nio.file.DirectoryStream<Path> stale =
        java.nio.file.Files.newDirectoryStream(dir, glob)) {
      for (Path p : stale) {
        java.nio.file.Files.deleteIfExists(p);
      }
    } catch (IOException | java.util.regex.PatternSyntaxException e) {
      // best effort: a stale file costs only space
    }
  }

  /**
   * Stops writing: waits until a checkpoint being written is complete, and makes every later write
   * a no-op. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    lock.lock();
    lock.unlock();
  }

  /**
   * {@link #close()} with a time limit, for a signal handler.
   *
   * @param timeout the longest wait
   * @param unit its unit
   * @return whether no write is in progress any more (false if the time ran out)
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean close(long timeout, TimeUnit unit) throws InterruptedException {
    closed = true;
    if (lock.tryLock(timeout, unit)) {
      lock.unlock();
      return true;
    }
    return false;
  }
}
