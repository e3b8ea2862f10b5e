package org.jmor.base;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a file atomically: through a temporary file in the same directory ({@code .NAME.*.tmp}),
 * renamed over the target when complete. Readers see the old file or the new one, never a part; on
 * failure the temporary file is removed and the target is untouched. The new file gets the
 * permissions of an ordinary file ({@code rw-r--r--} on POSIX file systems). Stateless; blocks the
 * caller for the writing.
 *
 * <pre>{@code
 * AtomicFiles.write(file, tmp -> Files.writeString(tmp, text));
 * }</pre>
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes the content of the temporary file. */
  @FunctionalInterface
  public interface Content {
    /**
     * Writes the whole content into {@code tmp}, an existing empty file.
     *
     * @param tmp the temporary file
     * @throws IOException if writing fails (the target is then untouched)
     */
    void write(Path tmp) throws IOException;
  }

  /** What {@link #write(Path, Content, Set)} does besides writing and renaming. */
  public enum Option {
    /** Creates missing parent directories first. */
    CREATE_DIRECTORIES,
    /**
     * Makes the result durable: forces the temporary file's content to the disk before the rename,
     * and the directory after it (where the platform allows opening a directory: Linux does).
     */
    SYNC
  }

  /**
   * {@link #write(Path, Content, Set)} with {@link Option#CREATE_DIRECTORIES}.
   *
   * @param file the target
   * @param content writes the content
   * @throws IOException if the directory cannot be created, or writing or renaming fails
   */
  public static void write(Path file, Content content) throws IOException {
    write(file, content, Set.of(Option.CREATE_DIRECTORIES));
  }

  /**
   * Writes {@code file} atomically.
   *
   * @param file the target; replaced if it exists
   * @param content writes the content into the temporary file
   * @param options what to do besides (none: the parent directory must exist)
   * @throws IOException if the directory cannot be created (or does not exist), or writing or
   *     renaming fails; the target is then untouched and no temporary file is left
   */
  public static void write(Path file, Content content, Set<Option> options) throws IOException {
    Objects.requireNonNull(content, "content");
    Path target = file.toAbsolutePath();
    Path dir = Objects.requireNonNull(target.getParent(), "the file's directory");
    if (options.contains(Option.CREATE_DIRECTORIES)) {
      Files.createDirectories(dir);
    }
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      content.write(tmp);
      if (options.contains(Option.SYNC)) {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          ch.force(true);
        }
      }
      try {
        // createTempFile makes the file private (rw-------); results are ordinary files
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: keep the default
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      if (options.contains(Option.SYNC)) {
        forceDirectory(dir);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Makes a rename durable where the platform allows opening a directory (Linux does). */
  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // not supported here (e.g. Windows): the rename is atomic, only its durability is weaker
    }
  }
}
