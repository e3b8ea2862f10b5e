package org.jmor.parallel.events;

import java.util.Map;
import java.util.Objects;

/**
 * An algorithm step on the caller's track (for example a greedy extension, an error sweep, a
 * full-order solve, a reduction), with the figures the algorithm added to it.
 *
 * @param name the step's name, for example {@code "extension"}
 * @param startNanos when the step started, relative to the recorder's origin
 * @param endNanos when it ended, relative to the recorder's origin; {@code >= startNanos}
 * @param figures the figures by name, in the order they were first added (an unmodifiable copy; a
 *     figure added twice keeps its last value)
 */
public record StepEvent(String name, long startNanos, long endNanos, Map<String, Double> figures) {

  /**
   * Checks the fields and copies the figures.
   *
   * @throws NullPointerException if {@code name} or {@code figures} is null, or a figure's name or
   *     value is null
   * @throws IllegalArgumentException if {@code endNanos < startNanos}
   */
  public StepEvent {
    Objects.requireNonNull(name, "name");
    figures = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(figures));
    for (Map.Entry<String, Double> e : figures.entrySet()) {
      Objects.requireNonNull(e.getKey(), "figure name");
      Objects.requireNonNull(e.getValue(), "figure value");
    }
    if (endNanos < startNanos) {
      throw new IllegalArgumentException(
          "endNanos " + endNanos + " is before startNanos " + startNanos);
    }
  }
}
