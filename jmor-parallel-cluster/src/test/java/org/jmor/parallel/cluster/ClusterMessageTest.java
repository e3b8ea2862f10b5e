package org.jmor.parallel.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.FrameChunks;
import org.junit.jupiter.api.Test;

/** The wire forms of {@link ClusterMessage}, without a cluster. */
class ClusterMessageTest {
  private static double[] doubles(int n, double scale) {
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = i * scale - 7;
    }
    return d;
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31);
    }
    return b;
  }

  private static List<ByteBuffer> contents(Frame f) {
    List<ByteBuffer> out = new ArrayList<>();
    for (int i = 0; i < f.partCount(); i++) {
      out.add(f.part(i));
    }
    return out;
  }

  /** Sends {@code frame} as one message to workers 0 and 2 and reads it back. */
  private static ClusterMessage roundTrip(ClusterMessage.Outgoing out, int i) {
    ClusterMessage head =
        new ClusterMessage(ClusterMessage.FRAME, 9, -1, 4).to(new int[] {0, 2}, new long[] {4, 7});
    head.transfer = 11;
    return ClusterMessage.parse(out.wire(head, i));
  }

  @Test
  void frameThatFitsOneMessage_sendsItsLargeArraysAsThemselves_andTheReceiverAdoptsThem() {
    // the whole frame still fits one message
    double[] big = doubles((ClusterMessage.CHUNK - 2 * ClusterMessage.DIRECT_BYTES) / 8, 0.5);
    double[] alsoBig = doubles(ClusterMessage.DIRECT_BYTES / 8, 3);
    double[] small = doubles(ClusterMessage.DIRECT_BYTES / 8 - 1, 2);
    Frame frame = Frame.of(List.of(bytes(300), big, small, bytes(5), alsoBig));

    ClusterMessage.Outgoing out = ClusterMessage.Outgoing.of(frame);
    assertThat(out.count()).isEqualTo(1);
    ClusterMessage head = new ClusterMessage(ClusterMessage.FRAME, 9, 1, 4);
    Object wire = out.wire(head, 0);
    assertThat(wire).isInstanceOf(Object[].class);
    Object[] parts = (Object[]) wire;
    assertThat(parts).hasSize(4);
    assertThat((int[]) parts[1]).containsExactly(1, 4);
    assertThat(parts[2]).as("the caller's array itself, not a copy").isSameAs(big);
    assertThat(parts[3]).isSameAs(alsoBig);
    assertThat(((byte[]) parts[0]).length)
        .as("the chunk holds only the small parts")
        .isLessThan(ClusterMessage.DIRECT_BYTES + 1024);

    ClusterMessage m = roundTrip(out, 0);
    assertThat(m.kind).isEqualTo(ClusterMessage.FRAME);
    assertThat(m.seqFor(0)).isEqualTo(4);
    assertThat(m.seqFor(2)).isEqualTo(7);
    assertThat(m.seqFor(1)).isEqualTo(-1);
    assertThat(m.transfer).isEqualTo(11);
    assertThat(m.hasDirectParts()).isTrue();
    Frame back = m.frame();
    assertThat(back.isOwned()).isTrue();
    assertThat(back.doubleArray(1)).isSameAs(big);
    assertThat(back.doubleArray(4)).isSameAs(alsoBig);
    assertThat(back.doubleArray(2)).as("a small array was packed into the chunk").isNull();
    assertThat(contents(back)).isEqualTo(contents(frame));
  }

  @Test
  void framesWithoutLargeArrays_orTooLargeForOneMessage_goAsChunks() {
    Frame small = Frame.of(List.of(bytes(100), doubles(10, 1), bytes(2 << 20)));
    ClusterMessage.Outgoing out = ClusterMessage.Outgoing.of(small);
    assertThat(out.count()).isEqualTo(1);
    assertThat(out.wire(new ClusterMessage(ClusterMessage.FRAME, 1, 0, 0), 0))
        .isInstanceOf(byte[].class);
    ClusterMessage m = roundTrip(out, 0);
    assertThat(m.hasDirectParts()).isFalse();
    assertThat(contents(m.frame())).isEqualTo(contents(small));

    double[] huge = doubles((ClusterMessage.CHUNK + FrameChunks.SLACK) / 8 + 1, 1);
    Frame large = Frame.of(List.of(bytes(100), huge));
    ClusterMessage.Outgoing chunks = ClusterMessage.Outgoing.of(large);
    assertThat(chunks.count()).isEqualTo(2);
    FrameChunks.Assembly a = new FrameChunks.Assembly();
    Frame whole = null;
    for (int i = 0; i < chunks.count(); i++) {
      Object wire = chunks.wire(new ClusterMessage(ClusterMessage.FRAME, 1, 0, 0), i);
      assertThat(wire).isInstanceOf(byte[].class);
      whole = a.add(ClusterMessage.parse(wire).body());
    }
    assertThat(whole).isNotNull();
    assertThat(contents(whole)).isEqualTo(contents(large));
  }

  @Test
  void corruptMessages_areRefused() {
    Frame frame =
        Frame.of(List.of(bytes(40), doubles(ClusterMessage.DIRECT_BYTES / 8, 1), bytes(3)));
    Object[] good =
        (Object[])
            ClusterMessage.Outgoing.of(frame)
                .wire(new ClusterMessage(ClusterMessage.FRAME, 1, 0, 0), 0);
    assertThat(ClusterMessage.parse(good).frame().doubleArray(1)).isSameAs(good[2]);

    assertThatThrownBy(() -> ClusterMessage.parse("text"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.String");
    assertThatThrownBy(() -> ClusterMessage.parse(new Object[] {good[0], good[1]}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClusterMessage.parse(new Object[] {good[0], good[1], new byte[8]}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("element 2");
    for (int[] index : new int[][] {{0}, {2}, {3}, {-1}}) {
      ClusterMessage m = ClusterMessage.parse(new Object[] {good[0], index, good[2]});
      assertThatThrownBy(m::frame)
          .as("an array for part %d", index[0])
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("corrupt");
    }
    ClusterMessage twice =
        ClusterMessage.parse(new Object[] {good[0], new int[] {1, 1}, good[2], good[2]});
    assertThatThrownBy(twice::frame).isInstanceOf(IllegalArgumentException.class);
  }
}
