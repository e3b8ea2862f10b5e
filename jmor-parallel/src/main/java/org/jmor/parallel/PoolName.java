package org.jmor.parallel;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A parsed pool name, the value of {@link PoolConfig#POOL}: {@code auto}, {@code sequential},
 * {@code threads}, {@code threads:4}, or the name of a backend found on the class path, optionally
 * with a worker count ({@code mpi}, {@code cluster:2}). Names are case-insensitive and trimmed; the
 * backend is kept in lower case.
 *
 * @param backend the backend name in lower case, for example {@code "threads"} or {@code "auto"}
 * @param workers the worker count after the colon, or 0 when none was given (the backend's natural
 *     number)
 */
public record PoolName(String backend, int workers) {
  /** The name that asks for automatic selection. */
  public static final String AUTO = "auto";

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

  /**
   * Checks the components.
   *
   * @throws IllegalArgumentException if the backend is not a valid name or {@code workers < 0}
   */
  public PoolName {
    Objects.requireNonNull(backend, "backend");
    if (!NAME.matcher(backend).matches()) {
      throw new IllegalArgumentException(
          "'"
              + Shown.cut(backend)
              + "' is not a pool name; expected letters, digits, '.', '_' or '-', in lower case");
    }
    if (workers < 0) {
      throw new IllegalArgumentException("the worker count must be >= 1");
    }
    if (backend.equals(AUTO) && workers != 0) {
      throw new IllegalArgumentException("auto takes no worker count");
    }
  }

  /**
   * Parses a pool name.
   *
   * @param text {@code auto}, {@code sequential}, {@code threads}, {@code threads:N}, {@code
   *     <provider>} or {@code <provider>:N}; case-insensitive, surrounding blanks ignored
   * @return the parsed name
   * @throws NullPointerException if {@code text} is null
   * @throws IllegalArgumentException if it is blank, the count is not an integer, is too large (an
   *     {@code int}) or is below 1 (the message is then exactly {@code the worker count must be >=
   *     1}), or the name has characters other than letters, digits, {@code .}, {@code _} and {@code
   *     -}; the message does not repeat {@code text} (the caller names it), and shows at most
   *     {@value Shown#LIMIT} characters of any part of it
   */
  public static PoolName parse(String text) {
    Objects.requireNonNull(text, "pool name");
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.isEmpty()) {
      throw new IllegalArgumentException(
          "the pool name is blank; expected auto, sequential, threads, threads:N, or the name of a"
              + " backend on the class path, optionally followed by :N");
    }
    int colon = t.indexOf(':');
    if (colon < 0) {
      return new PoolName(t, 0);
    }
    String name = t.substring(0, colon).trim();
    String count = t.substring(colon + 1).trim();
    if (name.isEmpty()) {
      throw new IllegalArgumentException(
          "no backend name before the colon; expected e.g. threads:4");
    }
    int n;
    try {
      n = Integer.parseInt(count);
    } catch (NumberFormatException e) {
      if (count.matches("\\+?[0-9]+")) {
        throw new IllegalArgumentException(
            "the worker count is too large (at most " + Integer.MAX_VALUE + ")", e);
      }
      if (count.matches("-[0-9]+")) {
        throw new IllegalArgumentException("the worker count must be >= 1", e);
      }
      throw new IllegalArgumentException(
          "'"
              + Shown.cut(count)
              + "' is not a worker count; expected an integer >= 1 after the colon, as in "
              + (name.length() <= Shown.LIMIT ? name : "threads")
              + ":4",
          e);
    }
    if (n < 1) {
      throw new IllegalArgumentException("the worker count must be >= 1");
    }
    return new PoolName(name, n);
  }

  /** Returns whether this is {@code auto}: choose the backend from the environment. */
  public boolean isAuto() {
    return backend.equals(AUTO);
  }

  /** Returns the name as it is written: {@code backend} or {@code backend:workers}. */
  @Override
  public String toString() {
    return workers == 0 ? backend : backend + ":" + workers;
  }
}
