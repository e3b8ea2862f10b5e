package org.jmor.parallel.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Signals between a test and the tasks it runs, as empty files in a directory, so that they work
 * whatever process a worker lives in (a thread, a worker JVM, an MPI rank, a cluster node on this
 * host): a signal is raised by creating its file and awaited by polling for it with short sleeps
 * and a deadline. Static latches would only reach workers in the test's own JVM.
 *
 * <p>The test creates the directory ({@link #create()}), passes {@link #path()} to its tasks as an
 * argument (a {@code String}, which serializes), and deletes it with {@link #close()}. Tasks use
 * the static methods that take that path. The workers must see the test's file system: the same
 * host, or a shared directory ({@link #create(Path)}).
 *
 * <p>Thread-safe; signal names are file names (letters, digits, {@code -} and {@code _}).
 */
public final class FileSignals implements AutoCloseable {
  /** How long the pollers sleep between looks. */
  private static final long POLL_MILLIS = 5;

  private final Path dir;

  private FileSignals(Path dir) {
    this.dir = dir;
  }

  /**
   * Creates a fresh signal directory under the JVM's temporary directory.
   *
   * @return the signals
   * @throws UncheckedIOException if the directory cannot be created
   */
  public static FileSignals create() {
    try {
      return new FileSignals(Files.createTempDirectory("jmor-signals-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Creates a fresh signal directory under {@code parent} (a directory that the workers share with
   * the test).
   *
   * @param parent an existing directory
   * @return the signals
   * @throws UncheckedIOException if the directory cannot be created
   */
  public static FileSignals create(Path parent) {
    try {
      return new FileSignals(Files.createTempDirectory(parent, "jmor-signals-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the directory's absolute path, to pass to tasks. */
  public String path() {
    return dir.toAbsolutePath().toString();
  }

  /**
   * Raises a signal (idempotent).
   *
   * @param name the signal's name
   */
  public void raise(String name) {
    raise(path(), name);
  }

  /**
   * Returns whether a signal was raised.
   *
   * @param name the signal's name
   * @return whether its file exists
   */
  public boolean isRaised(String name) {
    return isRaised(path(), name);
  }

  /**
   * Waits until a signal is raised.
   *
   * @param name the signal's name
   * @param timeout the longest wait
   * @return whether it was raised in time
   * @throws InterruptedException if the thread is interrupted while it waits
   */
  public boolean await(String name, Duration timeout) throws InterruptedException {
    return await(path(), name, timeout);
  }

  /**
   * Raises a signal in the directory {@code dir} (in a task: the path the test passed).
   *
   * @param dir the signal directory
   * @param name the signal's name
   * @throws UncheckedIOException if the file cannot be created
   */
  public static void raise(String dir, String name) {
    try {
      Files.createFile(file(dir, name));
    } catch (FileAlreadyExistsException e) {
      // raised already
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Returns whether a signal was raised in the directory {@code dir}.
   *
   * @param dir the signal directory
   * @param name the signal's name
   * @return whether its file exists
   */
  public static boolean isRaised(String dir, String name) {
    return Files.exists(file(dir, name));
  }

  /**
   * Waits, polling every few milliseconds, until a signal is raised in the directory {@code dir}.
   *
   * @param dir the signal directory
   * @param name the signal's name
   * @param timeout the longest wait
   * @return whether it was raised in time
   * @throws InterruptedException if the thread is interrupted while it waits (at once if its
   *     interrupt flag is set)
   */
  public static boolean await(String dir, String name, Duration timeout)
      throws InterruptedException {
    Path f = file(dir, name);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while waiting for signal " + name);
      }
      if (Files.exists(f)) {
        return true;
      }
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
    }
  }

  /**
   * Waits, deaf to interrupts, until a signal is raised in the directory {@code dir}: for tasks
   * that must ignore interrupts. The interrupt flag is left as it was found or set.
   *
   * @param dir the signal directory
   * @param name the signal's name
   * @param timeout the longest wait
   * @return whether it was raised in time
   */
  public static boolean awaitIgnoringInterrupts(String dir, String name, Duration timeout) {
    Path f = file(dir, name);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Files.exists(f)) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
      while (System.nanoTime() - until < 0) {
        Thread.onSpinWait(); // no sleep: it would end at the first interrupt
      }
    }
    return true;
  }

  private static Path file(String dir, String name) {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("a signal name is a plain file name, got '" + name + "'");
    }
    return Paths.get(dir, name);
  }

  /** Deletes the directory and its signals. */
  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(dir)) {
      files
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // a worker may still write into it: left to the temporary directory's cleanup
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // as above
    }
  }

  @Override
  public String toString() {
    return "FileSignals[" + dir + "]";
  }
}
