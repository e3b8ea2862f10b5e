package org.jmor.parallel;

import java.io.Serializable;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A small typed configuration registry on the caller's side whose values the pools mirror on their
 * workers (pyMOR's defaults, spec D1–D3).
 *
 * <p>Each pool owns one {@code Settings} ({@link WorkerPool#settings()}), a fresh one unless one
 * was given to {@link PoolBuilder#settings(Settings)}; several pools may share one. A value set
 * here after the pool exists is visible on every worker from the next {@code apply}, {@code
 * applyOnly} or {@code map} on: the pool compares {@link #version()} with the version it last sent
 * and sends a snapshot when it grew. {@code push} does not synchronize.
 *
 * <p>Thread-safe.
 */
public final class Settings {
  private final Map<String, Object> values = new HashMap<>();
  private long version;

  private Settings() {}

  /** Returns a new, empty registry. */
  public static Settings create() {
    return new Settings();
  }

  /**
   * Sets a value.
   *
   * @param setting the setting
   * @param value the value; must be {@link Serializable} (to reach remote workers); null resets
   * @param <T> the value type
   * @return this registry
   * @throws IllegalArgumentException if the value is not serializable
   */
  public synchronized <T> Settings set(Setting<T> setting, @Nullable T value) {
    Objects.requireNonNull(setting, "setting");
    if (value == null) {
      return reset(setting);
    }
    if (!setting.type().isInstance(value)) {
      throw new ClassCastException(
          "Cannot cast " + value.getClass().getName() + " to " + setting.type().getName());
    }
    if (!(value instanceof Serializable)) {
      throw new IllegalArgumentException(
          "value of " + setting + " must be Serializable, got " + value.getClass().getName());
    }
    values.put(setting.name(), value);
    version++;
    return this;
  }

  /**
   * Returns the value set for {@code setting}, or its default.
   *
   * @param setting the setting
   * @param <T> the value type
   * @return the value
   */
  public synchronized <T> @Nullable T get(Setting<T> setting) {
    Object v = values.get(setting.name());
    return v == null ? setting.defaultValue() : setting.cast(v);
  }

  /**
   * Removes a value, so that the default applies again.
   *
   * @param setting the setting
   * @return this registry
   */
  public synchronized Settings reset(Setting<?> setting) {
    if (values.remove(setting.name()) != null) {
      version++;
    }
    return this;
  }

  /** Returns a counter that grows with every change. */
  public synchronized long version() {
    return version;
  }

  /** Returns an unmodifiable copy of the values set, by setting name. */
  public synchronized Map<String, Object> snapshot() {
    return Collections.unmodifiableMap(new HashMap<>(values));
  }
}
