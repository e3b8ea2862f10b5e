package org.jmor.cli.thermalblock;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jmor.base.AtomicFiles;

/**
 * The result files of a command: their places are checked before any work, and every file is
 * written to a temporary file next to it and then renamed, so that a crash or a concurrent run
 * never leaves a truncated file.
 *
 * <p>The one set of checks for every output option ({@code --json}, {@code --plot-dir} and the
 * plots in it, {@code --pickle}, {@code --cache-dir}, ...): a name that is not empty; a file that
 * is not a directory and, if it exists, is writable; a directory that is one; and the nearest
 * existing directory on the way writable (missing directories are created when the file is
 * written). Nothing is created by a check.
 */
public final class Outputs {
  private Outputs() {}

  /** Writes the content of a file. */
  @FunctionalInterface
  interface Body {
    void write(OutputStream out) throws IOException;
  }

  /**
   * Checks that {@code file} can be written, without creating anything.
   *
   * @param option the option that names it, for the message
   * @throws IllegalArgumentException if the name is empty, names a directory, or its directory
   *     cannot be created or written
   */
  public static void checkFile(String option, Path file) {
    if (file.toString().isEmpty()) {
      throw new IllegalArgumentException(option + ": the file name is empty");
    }
    String label = option + " " + file;
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(label + ": is a directory, expected a file name");
    }
    if (Files.exists(file) && !Files.isWritable(file)) {
      throw new IllegalArgumentException(label + ": the file exists and is not writable");
    }
    checkNames(label, file.toAbsolutePath());
    checkWritable(label, file.toAbsolutePath().getParent());
  }

  /**
   * Checks that files can be written in {@code dir}, without creating anything.
   *
   * @param option the option that names it, for the message
   * @throws IllegalArgumentException if the name is empty, names something that is not a directory,
   *     or the directory cannot be created or written
   */
  static void checkDirectory(String option, Path dir) {
    if (dir.toString().isEmpty()) {
      throw new IllegalArgumentException(option + ": the directory name is empty");
    }
    checkNames(option + " " + dir, dir.toAbsolutePath());
    checkWritable(option + " " + dir, dir.toAbsolutePath());
  }

  /** The longest name of a file or directory (in bytes) that common file systems take. */
  static final int NAME_MAX = 255;

  /** Every name on the way that does not exist yet must fit the file system ({@link #NAME_MAX}). */
  private static void checkNames(String label, Path path) {
    for (Path p = path; p != null && !Files.exists(p); p = p.getParent()) {
      Path name = p.getFileName();
      int bytes =
          name == null
              ? 0
              : name.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      if (bytes > NAME_MAX) {
        throw new IllegalArgumentException(
            label + ": a name on the path has " + bytes + " bytes, more than " + NAME_MAX);
      }
    }
  }

  /**
   * Checks that files {@code names} can be written in {@code dir} ({@link #checkDirectory}), and
   * that none of them is a directory or an existing file that cannot be written.
   *
   * @param option the option that names the directory, for the message
   * @param dir the directory
   * @param names the names of the files the command will write there
   * @throws IllegalArgumentException as {@link #checkDirectory}, or if one of the files is a
   *     directory or not writable
   */
  static void checkFilesIn(String option, Path dir, Iterable<String> names) {
    checkDirectory(option, dir);
    for (String name : names) {
      Path file = dir.resolve(name);
      if (Files.isDirectory(file)) {
        throw new IllegalArgumentException(
            option + " " + dir + ": " + file + " is a directory; the command writes a file there");
      }
      if (Files.exists(file) && !Files.isWritable(file)) {
        throw new IllegalArgumentException(
            option + " " + dir + ": " + file + " exists and is not writable");
      }
    }
  }

  /** The nearest existing ancestor (or {@code dir} itself) must be a writable directory. */
  private static void checkWritable(String label, Path dir) {
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      throw new IllegalArgumentException(label + ": no part of the path exists");
    }
    if (!Files.isDirectory(existing)) {
      throw new IllegalArgumentException(label + ": " + existing + " is a file, not a directory");
    }
    try {
      // the one sure test, also for root and read-only file systems
      Files.delete(Files.createTempFile(existing, ".jmor-", ".probe"));
    } catch (IOException | SecurityException e) {
      throw new IllegalArgumentException(
          label + ": cannot write in " + existing + " (" + reason(e) + ")", e);
    }
  }

  /**
   * Writes a file through a temporary file in the same directory and an atomic rename; creates
   * missing directories. On failure the temporary file is removed and the target is untouched.
   */
  static void writeAtomically(Path file, Body body) throws IOException {
    AtomicFiles.write(
        file,
        tmp -> {
          try (OutputStream out = Files.newOutputStream(tmp)) {
            body.write(out);
          }
        });
  }

  /** A short reason for a failure to write, without exception class names. */
  static String reason(Throwable e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory: " + ((NoSuchFileException) e).getFile();
    }
    if (e instanceof FileSystemException) {
      FileSystemException f = (FileSystemException) e;
      return f.getReason() != null ? f.getReason() : String.valueOf(f.getFile());
    }
    return e.getMessage() != null ? e.getMessage() : "unknown reason";
  }
}
