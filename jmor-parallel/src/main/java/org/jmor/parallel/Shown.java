package org.jmor.parallel;

/** A user's value as messages show it: long values cut, so that a message stays one short line. */
final class Shown {
  /** The characters of a value that a message shows. */
  static final int LIMIT = 40;

  private Shown() {}

  /**
   * The value, or its first {@value #LIMIT} characters, {@code …} and its length.
   *
   * @param value the user's value
   * @return the value as a message shows it
   */
  static String cut(String value) {
    if (value.length() <= LIMIT) {
      return value;
    }
    return value.substring(0, LIMIT) + "… (" + value.length() + " characters)";
  }
}
