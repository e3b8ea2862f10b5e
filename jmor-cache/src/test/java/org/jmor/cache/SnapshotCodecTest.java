package org.jmor.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.jmor.cache.SnapshotCodec.CorruptEntryException;
import org.junit.jupiter.api.Test;

class SnapshotCodecTest {

  private static final CacheKey KEY = CacheKey.builder("test").add(new double[] {0.1, 0.2}).build();
  private static final double[] VALUES = {
    0.0, -0.0, 1.0 / 3, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN, -7.25e-300
  };

  private static long[] bits(double[] v) {
    return Arrays.stream(v).mapToLong(Double::doubleToRawLongBits).toArray();
  }

  @Test
  void roundTrip_isBitExact() throws Exception {
    byte[] e = SnapshotCodec.encode(KEY, VALUES);
    assertThat(e).hasSize(52 + 8 * VALUES.length);
    assertThat(bits(SnapshotCodec.decode(KEY, e))).containsExactly(bits(VALUES));
    assertThat(SnapshotCodec.decode(KEY, SnapshotCodec.encode(KEY, new double[0]))).isEmpty();
  }

  @Test
  void everyFlippedByte_isRejected() {
    byte[] good = SnapshotCodec.encode(KEY, VALUES);
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x10;
      int at = i;
      assertThatThrownBy(() -> SnapshotCodec.decode(KEY, bad))
          .as("byte %d flipped", at)
          .isInstanceOf(CorruptEntryException.class);
    }
  }

  @Test
  void truncatedOrExtended_isRejected() {
    byte[] good = SnapshotCodec.encode(KEY, VALUES);
    for (int len : new int[] {0, 7, 51, good.length - 1}) {
      assertThatThrownBy(() -> SnapshotCodec.decode(KEY, Arrays.copyOf(good, len)))
          .isInstanceOf(CorruptEntryException.class);
    }
    assertThatThrownBy(() -> SnapshotCodec.decode(KEY, Arrays.copyOf(good, good.length + 8)))
        .isInstanceOf(CorruptEntryException.class)
        .hasMessageContaining("length");
  }

  @Test
  void foreignEntry_isRejected() {
    CacheKey other = CacheKey.builder("test").add(new double[] {0.1, 0.2000000000000001}).build();
    assertThat(other).isNotEqualTo(KEY);
    byte[] foreign = SnapshotCodec.encode(other, VALUES);
    assertThatThrownBy(() -> SnapshotCodec.decode(KEY, foreign))
        .isInstanceOf(CorruptEntryException.class)
        .hasMessageContaining("another key");
  }

  @Test
  void otherVersion_isRejected() {
    byte[] e = SnapshotCodec.encode(KEY, VALUES);
    e[11] = 2; // version 2, checksum left as it was: the version check comes first
    assertThatThrownBy(() -> SnapshotCodec.decode(KEY, e))
        .isInstanceOf(CorruptEntryException.class)
        .hasMessageContaining("version 2");
  }

  @Test
  void keys_areBitExactAndUnambiguous() {
    CacheKey a = CacheKey.builder("x").add(new double[] {0.0}).build();
    CacheKey b = CacheKey.builder("x").add(new double[] {-0.0}).build();
    assertThat(a).isNotEqualTo(b);
    assertThat(CacheKey.builder("x").add(new double[] {0.0}).build()).isEqualTo(a);
    // component boundaries are part of the digest
    assertThat(CacheKey.builder("ab").add("c").build())
        .isNotEqualTo(CacheKey.builder("a").add("bc").build());
    assertThat(CacheKey.ofBytes(a.bytes())).isEqualTo(a);
    assertThat(a.hex()).hasSize(64);
  }
}
