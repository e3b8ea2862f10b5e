package org.jmor.parallel.mpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.jmor.parallel.spi.Frame;
import org.junit.jupiter.api.Test;

/** The layout of control messages, read back without MPI (large parts are only announced). */
class MpiWireTest {

  private static byte[] bytes(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return a;
  }

  @Test
  void aSmallFrameTravelsWhollyInTheControlMessage() {
    double[] d = {1.5, -2.0, 3.25};
    Frame frame = Frame.of(List.of(new byte[] {1, 2, 3}, d, new byte[0]));

    byte[] msg = MpiWire.message(MpiWire.FRAME, 42L, 7L, frame, true);

    ByteBuffer c = MpiWire.read(msg);
    assertThat(c.get()).isEqualTo(MpiWire.FRAME);
    assertThat(c.getLong()).isEqualTo(42L);
    assertThat(c.getLong()).isEqualTo(7L);
    MpiWire.Body body = MpiWire.readBody(c);
    assertThat(body.largeCount()).isZero();
    assertThat(body.small.partCount()).isEqualTo(3);
    assertThat(bytes(body.small.part(0))).containsExactly(1, 2, 3);
    ByteBuffer doubles = body.small.part(1).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    double[] back = new double[3];
    doubles.asDoubleBuffer().get(back);
    assertThat(back).containsExactly(d);
    assertThat(body.small.partSize(2)).isZero();
  }

  @Test
  void largePartsAreAnnouncedWithTheirKindAndSizeAndLeftEmpty() {
    double[] big = new double[MpiWire.PACK_LIMIT / 8 + 1];
    Arrays.fill(big, 0.5);
    byte[] bigBytes = new byte[MpiWire.PACK_LIMIT];
    Frame frame = Frame.of(List.of(new byte[] {9}, big, bigBytes));

    byte[] asDoubles = MpiWire.message(MpiWire.REPLY, 3L, 11L, frame, true);
    byte[] asBytes = MpiWire.message(MpiWire.REPLY, 3L, 11L, frame, false);

    MpiWire.Body body = body(asDoubles);
    assertThat(body.largeCount()).isEqualTo(2);
    assertThat(body.index).containsExactly(1, 2);
    assertThat(body.kinds).containsExactly(MpiWire.DOUBLES, MpiWire.BYTES);
    assertThat(body.sizes).containsExactly(8L * big.length, (long) bigBytes.length);
    assertThat(body.small.partCount()).isEqualTo(3);
    assertThat(bytes(body.small.part(0))).containsExactly(9);
    assertThat(body.small.partSize(1)).isZero();
    assertThat(body.small.partSize(2)).isZero();
    assertThat(asDoubles.length).isLessThan(MpiWire.PACK_LIMIT); // the large parts are not in it
    assertThat(body(asBytes).kinds).containsExactly(MpiWire.BYTES, MpiWire.BYTES);
  }

  @Test
  void theSequenceNumberIsRewrittenInPlace() {
    byte[] msg = MpiWire.message(MpiWire.BCAST, 5L, 0L, Frame.of(List.of(new byte[] {4})), true);

    MpiWire.setSequence(msg, 123_456_789_012L);

    ByteBuffer c = MpiWire.read(msg);
    assertThat(c.get()).isEqualTo(MpiWire.BCAST);
    assertThat(c.getLong()).isEqualTo(5L);
    assertThat(c.getLong()).isEqualTo(123_456_789_012L);
    assertThat(bytes(MpiWire.readBody(c).small.part(0))).containsExactly(4);
  }

  @Test
  void interruptsAndAnswersCarryTheirPoolAndSequence() {
    ByteBuffer cancel = MpiWire.read(MpiWire.requestMessage(MpiWire.CANCEL, 8L, 9L));
    assertThat(cancel.remaining()).isEqualTo(17);
    assertThat(cancel.get()).isEqualTo(MpiWire.CANCEL);
    assertThat(cancel.getLong()).isEqualTo(8L);
    assertThat(cancel.getLong()).isEqualTo(9L);

    ByteBuffer close = MpiWire.read(MpiWire.closeMessage(8L));
    assertThat(close.remaining()).isEqualTo(9);
    assertThat(close.get()).isEqualTo(MpiWire.CLOSE);
    assertThat(close.getLong()).isEqualTo(8L);

    assertThat(MpiWire.opOnly(MpiWire.QUIT)).containsExactly(MpiWire.QUIT);
  }

  private static MpiWire.Body body(byte[] msg) {
    ByteBuffer c = MpiWire.read(msg);
    c.position(1 + 8 + 8);
    return MpiWire.readBody(c);
  }
}
