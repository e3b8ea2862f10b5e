package org.jmor.parallel;

import java.io.Serializable;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A typed key of the {@link Settings} registry, with its default value (pyMOR's {@code @defaults}).
 * Declare settings as constants:
 *
 * <pre>{@code
 * static final Setting<Double> TOLERANCE = Setting.of("myapp.solver.tolerance", Double.class, 1e-10);
 * }</pre>
 *
 * Two settings are equal when their names are equal.
 *
 * @param <T> the value type; values must be {@link Serializable} to reach remote workers
 */
public final class Setting<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final Class<T> type;
  private final @Nullable T defaultValue;

  private Setting(String name, Class<T> type, @Nullable T defaultValue) {
    this.name = name;
    this.type = type;
    this.defaultValue = defaultValue;
  }

  /**
   * Creates a setting.
   *
   * @param name a unique dotted name, for example {@code "myapp.solver.tolerance"}
   * @param type the value class
   * @param defaultValue the value when none was set; may be null
   * @param <T> the value type
   * @return the setting
   * @throws IllegalArgumentException if the name is blank or the default is not a {@code type}
   */
  public static <T> Setting<T> of(String name, Class<T> type, @Nullable T defaultValue) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (name.isBlank()) {
      throw new IllegalArgumentException("setting name must not be blank");
    }
    if (defaultValue != null && !type.isInstance(defaultValue)) {
      throw new IllegalArgumentException(
          "default value of setting '"
              + name
              + "' must be a "
              + type.getName()
              + ", got "
              + defaultValue.getClass().getName());
    }
    return new Setting<>(name, type, defaultValue);
  }

  /** Returns the setting's name. */
  public String name() {
    return name;
  }

  /** Returns the value class. */
  public Class<T> type() {
    return type;
  }

  /** Returns the default value, possibly null. */
  public @Nullable T defaultValue() {
    return defaultValue;
  }

  @Nullable T cast(@Nullable Object value) {
    return value == null ? null : type.cast(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Setting && ((Setting<?>) o).name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return "Setting[" + name + "]";
  }
}
