package org.jmor.base;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Turns the failure to open, read or create a file into words for a one-line message: {@code "no
 * such file"}, {@code "permission denied"}, {@code "is a directory"}, {@code "read-only file
 * system"}, ..., never an exception's class name and never the path again (the message names the
 * path already). Stateless.
 *
 * <pre>{@code
 * catch (IOException e) {
 *   throw new IllegalArgumentException(
 *       "cannot read the password file " + file + ": " + IoReasons.reason(e, file), e);
 * }
 * }</pre>
 */
public final class IoReasons {
  private IoReasons() {}

  /**
   * Returns why an operation on a file failed, in lower-case words.
   *
   * @param e the failure; an {@link UncheckedIOException} stands for its cause
   * @return the reason, for example {@code "no such file"}; when the failure concerns another file
   *     than the one the message names (a parent directory, say), that file follows: {@code "not a
   *     directory: /a/b"}
   */
  public static String reason(Throwable e) {
    return reason(e, null);
  }

  /**
   * Returns why an operation on {@code path} failed, in lower-case words, naming the file the
   * failure concerns only when it is not {@code path} (for example a parent that is a regular
   * file).
   *
   * @param e the failure; an {@link UncheckedIOException} stands for its cause
   * @param path the file the caller's message names, or null
   * @return the reason, for example {@code "no such file"} or {@code "permission denied"}
   */
  public static String reason(Throwable e, @Nullable Path path) {
    Throwable t = e;
    if (t instanceof UncheckedIOException && t.getCause() != null) {
      t = t.getCause();
    }
    String words;
    @Nullable String file = null;
    if (t instanceof FileSystemException f) {
      file = f.getFile();
      String given = f.getReason();
      if (given != null && !given.isBlank()) {
        words = lower(given.strip());
      } else if (t instanceof NoSuchFileException) {
        words = "no such file or directory";
      } else if (t instanceof AccessDeniedException) {
        words = "permission denied";
      } else if (t instanceof FileAlreadyExistsException) {
        words =
            file != null && Files.isDirectory(Path.of(file))
                ? "a directory is in the way"
                : "a file is in the way (not a directory)";
      } else if (t instanceof NotDirectoryException) {
        words = "not a directory";
      } else if (t instanceof DirectoryNotEmptyException) {
        words = "directory not empty";
      } else {
        words = "cannot access";
      }
    } else if (t.getMessage() != null && !t.getMessage().isBlank()) {
      words = lower(firstLine(t.getMessage()));
    } else {
      words = lower(t.getClass().getSimpleName().replace("Exception", "").replace("Error", ""));
    }
    if (file != null && !sameFile(file, path) && !words.contains(file)) {
      return words + ": " + file;
    }
    return words;
  }

  /**
   * Returns the reason why a regular file cannot be read, checked before opening it (so the message
   * does not depend on how a library reports it): {@code "no such file"}, {@code "is a directory"},
   * {@code "not a regular file"}, {@code "permission denied"}; or null when it looks readable.
   *
   * @param file the file
   * @return the reason, or null
   */
  public static @Nullable String unreadable(Path file) {
    if (Files.isDirectory(file)) {
      return "is a directory";
    }
    if (!Files.exists(file)) {
      return "no such file";
    }
    if (!Files.isRegularFile(file)) {
      return "not a regular file";
    }
    if (!Files.isReadable(file)) {
      return "permission denied";
    }
    return null;
  }

  private static boolean sameFile(String file, @Nullable Path path) {
    if (path == null) {
      return false;
    }
    try {
      // the file itself, or one inside it (a temporary file the caller's directory would hold)
      return Path.of(file)
          .toAbsolutePath()
          .normalize()
          .startsWith(path.toAbsolutePath().normalize());
    } catch (RuntimeException e) {
      return file.equals(path.toString());
    }
  }

  private static String lower(String s) {
    if (s.isEmpty() || s.length() > 1 && Character.isUpperCase(s.charAt(1))) {
      return s; // an acronym such as "SQLITE..."
    }
    return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl).stripTrailing();
  }
}
