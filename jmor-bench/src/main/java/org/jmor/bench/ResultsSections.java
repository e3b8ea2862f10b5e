package org.jmor.bench;

/**
 * The sections of {@code bench/RESULTS.md}: each benchmark replaces only its own section, between
 * its begin and end markers.
 */
final class ResultsSections {

  private ResultsSections() {}

  /**
   * Replaces the section between the markers {@code begin} and {@code end} of {@code old}, or
   * appends it.
   */
  static String replaceSection(String old, String section, String begin, String end) {
    String block = begin + "\n" + section + end + "\n";
    int b = old.indexOf(begin);
    int e = old.indexOf(end);
    if (b >= 0 && e > b) {
      return old.substring(0, b) + block + old.substring(e + end.length()).replaceFirst("^\n", "");
    }
    if (old.isEmpty()) {
      return "# Benchmark results\n\n" + block;
    }
    return old + (old.endsWith("\n") ? "\n" : "\n\n") + block;
  }

  /** The section of {@code text} between {@code begin} and {@code end} (included), or "". */
  static String section(String text, String begin, String end) {
    int b = text.indexOf(begin);
    int e = text.indexOf(end);
    return b >= 0 && e > b ? text.substring(b, e + end.length()) + "\n" : "";
  }
}
