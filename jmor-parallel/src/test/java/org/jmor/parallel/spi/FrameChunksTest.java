package org.jmor.parallel.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameChunksTest {

  private static byte[] bytesOf(Frame f, int part) {
    ByteBuffer b = f.part(part);
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  private static Frame sample(int bigDoubles, int bigBytes) {
    Random r = new Random(7);
    double[] d = new double[bigDoubles];
    Arrays.setAll(d, i -> r.nextGaussian());
    byte[] b = new byte[bigBytes];
    r.nextBytes(b);
    return Frame.of(
        List.of(new byte[] {1, 2, 3}, d, new byte[0], b, ByteBuffer.wrap(new byte[13])));
  }

  private static void assertSameContent(Frame a, Frame b) {
    assertThat(b.partCount()).isEqualTo(a.partCount());
    for (int i = 0; i < a.partCount(); i++) {
      assertThat(bytesOf(b, i)).as("part %d", i).isEqualTo(bytesOf(a, i));
    }
  }

  @Test
  void smallFrame_isOneChunk_readAsViewsWithoutCopy() {
    Frame f = sample(10, 100);
    FrameChunks.Plan plan = FrameChunks.plan(f, 1 << 20);
    assertThat(plan.count()).isEqualTo(1);
    byte[] wire = plan.toByteArray(0, 40);
    ByteBuffer chunk = ByteBuffer.wrap(wire, 40, wire.length - 40);
    assertThat(FrameChunks.chunkCount(chunk)).isEqualTo(1);
    Frame back = FrameChunks.read(chunk);
    assertSameContent(f, back);
    wire[wire.length - 4] = 99; // a view: the frame sees the change (13 bytes + 3 padding)
    assertThat(bytesOf(back, 4)[12]).isEqualTo((byte) 99);
  }

  @ParameterizedTest
  @ValueSource(ints = {4096, 65536, 1 << 20})
  void largeFrame_isCut_andPutTogetherInAnyOrder(int chunkBytes) {
    Frame f = sample(300_000, 500_001);
    FrameChunks.Plan plan = FrameChunks.plan(f, chunkBytes);
    assertThat(plan.count()).isGreaterThan(1);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < plan.count(); i++) {
      order.add(i);
      assertThat(plan.length(i)).isLessThanOrEqualTo(chunkBytes + FrameChunks.SLACK + 1024);
    }
    Collections.shuffle(order, new Random(3));
    FrameChunks.Assembly a = new FrameChunks.Assembly();
    ByteBuffer reused = ByteBuffer.allocate(plan.maxLength());
    Frame back = null;
    for (int k = 0; k < order.size(); k++) {
      reused.clear();
      plan.write(order.get(k), reused);
      reused.flip();
      Frame done = a.add(reused);
      if (k < order.size() - 1) {
        assertThat(done).isNull();
      } else {
        back = done;
      }
    }
    assertThat(back).isNotNull();
    assertThat(back.isOwned()).isTrue();
    assertThat(back.doubleArray(1)).as("a double[] part arrives as a double[]").isNotNull();
    assertSameContent(f, back);
    assertThat(a.isComplete()).isTrue();
    reused.rewind();
    assertThatThrownBy(() -> a.add(reused)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void chunksOfOneFrame_canBeAddedFromSeveralThreads() throws Exception {
    Frame f = sample(1_000_000, 3_000_000);
    FrameChunks.Plan plan = FrameChunks.plan(f, 64 << 10);
    FrameChunks.Assembly a = new FrameChunks.Assembly();
    ExecutorService ex = Executors.newFixedThreadPool(4);
    try {
      List<Future<Frame>> results = new ArrayList<>();
      for (int i = 0; i < plan.count(); i++) {
        int chunk = i;
        results.add(ex.submit(() -> a.add(ByteBuffer.wrap(plan.toByteArray(chunk, 0)))));
      }
      Frame back = null;
      for (Future<Frame> r : results) {
        Frame x = r.get(30, TimeUnit.SECONDS);
        if (x != null) {
          assertThat(back).as("exactly one chunk completes the frame").isNull();
          back = x;
        }
      }
      assertThat(back).isNotNull();
      assertSameContent(f, back);
    } finally {
      ex.shutdownNow();
    }
  }

  @Test
  void sendersFrame_isNotModified() {
    double[] d = new double[100_000];
    Arrays.fill(d, 1.5);
    Frame f = Frame.of(List.of(new byte[] {4}, d));
    FrameChunks.Plan plan = FrameChunks.plan(f, 8192);
    for (int i = 0; i < plan.count(); i++) {
      plan.toByteArray(i, 0);
    }
    assertThat(d).containsOnly(1.5);
    assertThat(plan.frame()).isSameAs(f);
  }

  @Test
  void badInput_isRefusedWithAReason() {
    assertThatThrownBy(() -> FrameChunks.plan(Frame.of(ByteBuffer.allocate(1)), 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(">= 4096");
    assertThatThrownBy(() -> FrameChunks.read(ByteBuffer.allocate(64)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a frame chunk");
    Frame big = sample(100_000, 0);
    FrameChunks.Plan plan = FrameChunks.plan(big, 4096);
    ByteBuffer first = ByteBuffer.wrap(plan.toByteArray(0, 0));
    assertThatThrownBy(() -> FrameChunks.read(first))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Assembly");
    byte[] corrupt = plan.toByteArray(1, 0);
    ByteBuffer.wrap(corrupt).order(ByteOrder.LITTLE_ENDIAN).putInt(FrameChunks.HEAD, 1000);
    assertThatThrownBy(() -> new FrameChunks.Assembly().add(ByteBuffer.wrap(corrupt)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("corrupt");
  }
}
