package org.jmor.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VectorArraySerializationTest {

  private static byte[] serialize(Object o) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bos)) {
      out.writeObject(o);
    }
    return bos.toByteArray();
  }

  private static Object deserialize(byte[] b) throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b))) {
      return in.readObject();
    }
  }

  @Test
  void roundTripIsCompact() throws Exception {
    Random rnd = new Random(42);
    VectorArray a = VectorArray.ofRows(Ref.random(rnd, 1000, 100));
    byte[] bytes = serialize(a);
    assertThat(bytes.length)
        .isGreaterThanOrEqualTo(8 * 1000 * 100)
        .isLessThan(8 * 1000 * 100 + 200);
    VectorArray b = (VectorArray) deserialize(bytes);
    assertThat(b).isEqualTo(a).isNotSameAs(a);
    assertThat(b.len()).isEqualTo(1000);
    assertThat(b.dim()).isEqualTo(100);
    // deserialized array is fully functional
    b.append(a.copyRange(0, 1));
    assertThat(b.len()).isEqualTo(1001);
    assertThat(b.row(1000)).containsExactly(a.row(0));
  }

  @Test
  void spareCapacityIsNotSerialized() throws Exception {
    VectorArray a = VectorArray.zeros(1000, 10);
    a.remove(java.util.stream.IntStream.range(1, 1000).toArray()); // capacity stays 10000 doubles
    a.set(0, 3, 1.5);
    byte[] bytes = serialize(a);
    assertThat(bytes.length).isLessThan(8 * 10 + 200);
    VectorArray b = (VectorArray) deserialize(bytes);
    assertThat(b).isEqualTo(a);
    assertThat(b.toRowMajor()).containsExactly(0, 0, 0, 1.5, 0, 0, 0, 0, 0, 0);
  }

  @Test
  void viewSerializesAsCompactCopy() throws Exception {
    Random rnd = new Random(42);
    VectorArray a = VectorArray.ofRows(Ref.random(rnd, 500, 50));
    VectorArray v = a.view(7, 3, 7);
    byte[] bytes = serialize(v);
    assertThat(bytes.length).isLessThan(8 * 3 * 50 + 200);
    VectorArray b = (VectorArray) deserialize(bytes);
    assertThat(b.isView()).isFalse();
    assertThat(b).isEqualTo(a.copy(7, 3, 7));
    b.set(0, 0, 1e9);
    assertThat(a.get(7, 0)).isNotEqualTo(1e9);
  }

  @Test
  void emptyAndSpecialValuesRoundTrip() throws Exception {
    VectorArray e = VectorArray.empty(17);
    VectorArray eb = (VectorArray) deserialize(serialize(e));
    assertThat(eb.len()).isZero();
    assertThat(eb.dim()).isEqualTo(17);
    eb.append(VectorArray.zeros(1, 17));
    assertThat(eb.len()).isEqualTo(1);

    VectorArray s =
        VectorArray.ofRows(
            new double[] {Double.NaN, -0.0, Double.POSITIVE_INFINITY, Double.MIN_VALUE});
    assertThat((VectorArray) deserialize(serialize(s))).isEqualTo(s);
  }

  @Test
  void invalidatedViewCannotBeSerialized() {
    VectorArray a = VectorArray.zeros(2, 2);
    VectorArray v = a.view(0);
    a.clear();
    assertThatThrownBy(() -> serialize(v)).isInstanceOf(IllegalStateException.class);
  }
}
