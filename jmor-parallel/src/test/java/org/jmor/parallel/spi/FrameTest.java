package org.jmor.parallel.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameTest {

  @Test
  void joinedForm_roundTripsEveryKindOfPart() {
    double[] d = new double[1001];
    Arrays.setAll(d, i -> i * 0.5 - 7);
    byte[] odd = {1, 2, 3, 4, 5};
    Frame f = Frame.of(List.of(ByteBuffer.wrap(new byte[] {9}), odd, new byte[0], d));
    Frame g = Frame.read(f.toByteArray());
    assertThat(g.partCount()).isEqualTo(4);
    assertThat(g.partSize(1)).isEqualTo(5);
    assertThat(g.partSize(2)).isZero();
    double[] back = new double[1001];
    g.part(3).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(back);
    assertThat(back).containsExactly(d);
    assertThat(g.doubleArray(3)).as("a received part is bytes, not an array").isNull();
    assertThat(f.joinedSize()).isEqualTo(f.toByteArray().length);
  }

  @Test
  void doublePart_isExposedForZeroCopyTransports() {
    double[] d = {1, 2};
    assertThat(Frame.of(List.of(new byte[0], d)).doubleArray(1)).isSameAs(d);
  }

  @Test
  void garbage_isRejectedWithAMessage() {
    assertThatThrownBy(() -> Frame.read(new byte[] {1, 2, 3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a jmor frame");
    byte[] joined = Frame.of(ByteBuffer.wrap(new byte[100])).toByteArray();
    assertThatThrownBy(() -> Frame.read(Arrays.copyOf(joined, 50)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("corrupt");
  }

  @Test
  void emptyOrWrongParts_areRejected() {
    assertThatThrownBy(() -> Frame.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Frame.of(List.of("text")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.String");
  }
}
