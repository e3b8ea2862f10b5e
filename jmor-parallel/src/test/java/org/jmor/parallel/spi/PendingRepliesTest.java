package org.jmor.parallel.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jmor.parallel.WorkerLostException;
import org.junit.jupiter.api.Test;

class PendingRepliesTest {
  private final List<String> cancels = new ArrayList<>();
  private final PendingReplies table =
      new PendingReplies(3, "test[3]", (w, s) -> cancels.add(w + ":" + s));

  private static Frame frame(int b) {
    return Frame.of(ByteBuffer.wrap(new byte[] {(byte) b}));
  }

  @Test
  void numbersArePerWorker_andRepliesCompleteTheirRequest() throws Exception {
    PendingReplies.Reply a0 = table.register(0);
    PendingReplies.Reply a1 = table.register(0);
    PendingReplies.Reply b0 = table.register(1);
    assertThat(List.of(a0.sequence(), a1.sequence(), b0.sequence())).containsExactly(0L, 1L, 0L);
    assertThat(table.complete(0, 1, frame(1))).isTrue();
    assertThat(table.complete(0, 1, frame(1))).as("a duplicate is ignored").isFalse();
    assertThat(table.complete(2, 0, frame(1))).as("never registered").isFalse();
    assertThat(table.complete(7, 0, frame(1))).as("no such worker").isFalse();
    assertThat(a1.get(1, TimeUnit.SECONDS).part(0).get(0)).isEqualTo((byte) 1);
    assertThat(a0).isNotDone();
    assertThat(table.pendingCount()).isEqualTo(2);
    assertThat(table.pendingCount(0)).isEqualTo(1);
  }

  @Test
  void workerLost_failsExactlyThatWorkersRequests_andLaterOnes() {
    PendingReplies.Reply a = table.register(0);
    PendingReplies.Reply b = table.register(1);
    table.workerLost(1, "its process 42 exited with code 137");
    assertThat(a).isNotDone();
    assertThatThrownBy(() -> b.get(1, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(WorkerLostException.class)
        .hasMessageContaining("worker 1")
        .hasMessageContaining("exited with code 137");
    PendingReplies.Reply later = table.register(1);
    assertThat(later).isCompletedExceptionally();
    assertThat(table.lostReason(1)).contains("process 42");
    assertThat(table.lostReason(0)).isNull();
    table.workerLost(1, "another reason");
    assertThat(table.lostReason(1)).as("the first reason stays").contains("process 42");
  }

  @Test
  void close_failsEveryRequest_andLaterOnes_andListsThem() {
    PendingReplies.Reply running = table.register(0);
    table.register(2);
    List<String> abandoned = table.close("the test pool was closed");
    assertThat(abandoned).hasSize(2);
    assertThatThrownBy(() -> running.get(1, TimeUnit.SECONDS))
        .isInstanceOf(java.util.concurrent.CancellationException.class)
        .hasMessage("the test pool was closed");
    assertThat(table.isClosed()).isTrue();
    assertThat(table.pendingCount()).isZero();
    PendingReplies.Reply later = table.register(1);
    assertThatThrownBy(() -> later.get(1, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the test pool was closed");
    assertThat(table.close("again")).isEmpty();
  }

  @Test
  void cancel_removesTheRequest_andTellsTheWorkerOnce() {
    PendingReplies.Reply r = table.register(2);
    assertThat(r.cancel(true)).isTrue();
    assertThat(r.cancel(true)).isTrue(); // CompletableFuture semantics
    assertThat(cancels).containsExactly("2:0");
    assertThat(table.complete(2, 0, frame(0))).isFalse();
    PendingReplies.Reply done = table.register(2);
    table.complete(2, 1, frame(0));
    done.cancel(true);
    assertThat(cancels).as("a request already answered is not cancelled remotely").hasSize(1);
  }

  @Test
  void chunkedReply_completesWhenWhole_andACorruptOneFailsItsRequest() throws Exception {
    double[] d = new double[50_000];
    java.util.Arrays.setAll(d, i -> i);
    Frame reply = Frame.of(List.of(new byte[] {5}, d));
    FrameChunks.Plan plan = FrameChunks.plan(reply, 16 << 10);
    PendingReplies.Reply r = table.register(0);
    for (int i = plan.count() - 1; i >= 0; i--) {
      boolean done = table.chunk(0, 0, ByteBuffer.wrap(plan.toByteArray(i, 0)));
      assertThat(done).isEqualTo(i == 0);
    }
    assertThat(r.get(1, TimeUnit.SECONDS).doubleArray(1)).containsExactly(d);
    PendingReplies.Reply bad = table.register(0);
    assertThat(table.chunk(0, 1, ByteBuffer.allocate(8))).isFalse();
    assertThatThrownBy(() -> bad.get(1, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("corrupt");
  }

  @Test
  void awaitIdle_returnsWhenNothingIsPending_orAtTheTimeout() {
    table.register(0);
    assertThat(table.awaitIdle(Duration.ofMillis(20))).isFalse();
    table.complete(0, 0, frame(0));
    assertThat(table.awaitIdle(Duration.ofSeconds(1))).isTrue();
  }

  @Test
  void concurrentLossAndRegistration_neverLeaveARequestPending() throws Exception {
    for (int round = 0; round < 200; round++) {
      PendingReplies t = new PendingReplies(1, "race", (w, s) -> {});
      List<PendingReplies.Reply> replies =
          java.util.Collections.synchronizedList(new ArrayList<>());
      Thread registrar =
          new Thread(
              () -> {
                for (int i = 0; i < 50; i++) {
                  replies.add(t.register(0));
                }
              });
      registrar.start();
      t.workerLost(0, "gone");
      registrar.join(10_000);
      for (PendingReplies.Reply r : replies) {
        assertThat(r).isCompletedExceptionally();
      }
    }
  }
}
