package org.jmor.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The caller-side settings registry and its keys. */
class SettingsTest {
  private static final Setting<Integer> SIZE = Setting.of("test.size", Integer.class, 3);
  private static final Setting<String> NAME = Setting.of("test.name", String.class, null);

  @Test
  void get_returnsDefaultUntilSet() {
    Settings s = Settings.create();
    assertThat(s.get(SIZE)).isEqualTo(3);
    assertThat(s.get(NAME)).isNull();
    assertThat(s.version()).isZero();
    assertThat(s.snapshot()).isEmpty();
  }

  @Test
  void set_storesValueAndGrowsVersion() {
    Settings s = Settings.create();
    assertThat(s.set(SIZE, 5)).isSameAs(s);
    assertThat(s.get(SIZE)).isEqualTo(5);
    long v = s.version();
    assertThat(v).isPositive();
    s.set(SIZE, 6);
    assertThat(s.version()).isGreaterThan(v);
    assertThat(s.snapshot()).isEqualTo(Map.of("test.size", 6));
  }

  @Test
  void resetAndSetNull_restoreTheDefault() {
    Settings s = Settings.create().set(SIZE, 5).set(NAME, "x");
    long v = s.version();
    s.reset(SIZE);
    assertThat(s.get(SIZE)).isEqualTo(3);
    assertThat(s.version()).isGreaterThan(v);
    s.set(NAME, null);
    assertThat(s.get(NAME)).isNull();
    assertThat(s.snapshot()).isEmpty();
    long after = s.version();
    s.reset(SIZE);
    assertThat(s.version()).as("resetting an unset value changes nothing").isEqualTo(after);
  }

  @Test
  void snapshot_isAnUnmodifiableCopy() {
    Settings s = Settings.create().set(SIZE, 5);
    Map<String, Object> snap = s.snapshot();
    s.set(SIZE, 7);
    assertThat(snap).containsEntry("test.size", 5);
    assertThatThrownBy(() -> snap.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void set_rejectsNonSerializableValue() {
    Setting<Object> any = Setting.of("test.any", Object.class, null);
    Settings s = Settings.create();
    assertThatThrownBy(() -> s.set(any, new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test.any")
        .hasMessageContaining("Serializable");
    assertThat(s.version()).isZero();
  }

  @Test
  void set_rejectsValueOfWrongType() {
    @SuppressWarnings({"unchecked", "rawtypes"})
    Setting<Object> raw = (Setting) SIZE;
    assertThatThrownBy(() -> Settings.create().set(raw, "five"))
        .isInstanceOf(ClassCastException.class);
  }

  @Test
  void setting_checksItsArgumentsAndComparesByName() {
    assertThatThrownBy(() -> Setting.of(" ", String.class, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
    assertThat(Setting.of("test.size", Integer.class, 9)).isEqualTo(SIZE).hasSameHashCodeAs(SIZE);
    assertThat(SIZE.name()).isEqualTo("test.size");
    assertThat(SIZE.type()).isEqualTo(Integer.class);
    assertThat(SIZE.defaultValue()).isEqualTo(3);
  }

  @Test
  void setting_rejectsDefaultOfWrongTypeThroughRawUse() {
    @SuppressWarnings({"unchecked", "rawtypes"})
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> Setting.of("test.raw", (Class) Integer.class, "three"));
    assertThat(e.getMessage()).contains("test.raw").contains("java.lang.Integer");
  }
}
