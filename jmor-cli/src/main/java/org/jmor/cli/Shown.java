package org.jmor.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A user's value as the command line's messages show it: a long value is cut to its first {@value
 * #LIMIT} characters, {@code …} and its length, so that a message stays one short line.
 */
public final class Shown {
  /** The characters of a value that a message shows. */
  public static final int LIMIT = 40;

  /** A word of a finished message longer than this is surely a pasted value: it is cut too. */
  static final int WORD_LIMIT = 200;

  private static final Pattern LONG_WORD = Pattern.compile("[^\\s'\"]{" + (WORD_LIMIT + 1) + ",}");

  private Shown() {}

  /**
   * The value, or its first {@value #LIMIT} characters, {@code …} and its length.
   *
   * @param value the user's value (null is shown as {@code null})
   * @return the value as a message shows it
   */
  public static String cut(@org.jspecify.annotations.Nullable Object value) {
    String s = String.valueOf(value);
    if (s.length() <= LIMIT) {
      return s;
    }
    return s.substring(0, LIMIT) + "… (" + s.length() + " characters)";
  }

  /**
   * A finished message with every word longer than {@value #WORD_LIMIT} characters cut ({@link
   * #cut}): the last guard for values echoed by code that does not cut them (picocli's messages).
   *
   * @param message the message
   * @return the message, with long words cut
   */
  static String cutLongWords(String message) {
    Matcher m = LONG_WORD.matcher(message);
    if (!m.find()) {
      return message;
    }
    StringBuilder sb = new StringBuilder();
    m.reset();
    while (m.find()) {
      String word = m.group();
      int end = word.length();
      while (end > 0 && ":;,.)".indexOf(word.charAt(end - 1)) >= 0) {
        end--; // keep the punctuation that follows the value
      }
      m.appendReplacement(
          sb, Matcher.quoteReplacement(cut(word.substring(0, end)) + word.substring(end)));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
