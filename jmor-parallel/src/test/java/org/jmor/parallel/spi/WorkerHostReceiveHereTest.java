package org.jmor.parallel.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jmor.parallel.Task;
import org.jmor.parallel.internal.Commands;
import org.jmor.parallel.internal.FrameCodec;
import org.jmor.parallel.internal.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link WorkerHost#receiveHere}: requests run in the receiving thread when their pool is idle. */
@Timeout(60)
class WorkerHostReceiveHereTest {
  private static final Task<String> THREAD = (ctx, args) -> Thread.currentThread().getName();
  private static final CountDownLatch RELEASE = new CountDownLatch(1);
  private static final Task<String> BLOCK =
      (ctx, args) -> {
        RELEASE.await();
        return Thread.currentThread().getName();
      };

  private final List<Long> replied = new CopyOnWriteArrayList<>();
  private final List<String> replyThreads = new CopyOnWriteArrayList<>();

  private WorkerHost host() {
    return new WorkerHost(
        "host-test",
        (pool, seq, reply) -> {
          replied.add(seq);
          replyThreads.add(Thread.currentThread().getName());
        });
  }

  private static Frame call(long seq, Task<?> task) {
    return Protocol.request(seq, Commands.call(task, new Object[0]));
  }

  private static Object value(CompletableFuture<Frame> reply, long seq) throws Throwable {
    return Protocol.decodeReply(reply.get(10, TimeUnit.SECONDS), seq, FrameCodec.filter());
  }

  @Test
  void receiveHere_runsAnIdlePoolsRequestInTheCallingThread_andRepliesThere() throws Throwable {
    try (WorkerHost host = host()) {
      CompletableFuture<Frame> open = host.receiveHere(7, 0, Protocol.open(0, 1, 42, null));
      assertThat(open).isDone();
      CompletableFuture<Frame> r = host.receiveHere(7, 1, call(1, THREAD));
      assertThat(r).as("ran before receiveHere returned").isDone();
      String me = Thread.currentThread().getName();
      assertThat(value(r, 1)).isEqualTo(me);
      assertThat(replied).containsExactly(0L, 1L);
      assertThat(replyThreads).containsOnly(me);
    }
  }

  @Test
  void receiveHere_behindARunningRequest_runsOnTheLaneAfterIt() throws Throwable {
    try (WorkerHost host = host()) {
      host.receiveHere(7, 0, Protocol.open(0, 1, 42, null));
      CompletableFuture<Frame> first = host.receive(7, 1, call(1, BLOCK));
      CompletableFuture<Frame> second = host.receiveHere(7, 2, call(2, THREAD));
      assertThat(second).as("queued behind the blocked request").isNotDone();
      RELEASE.countDown();
      String lane = (String) value(first, 1);
      assertThat(lane).startsWith("host-test-pool7");
      assertThat(value(second, 2)).isEqualTo(lane);
      assertThat(replied).containsExactly(0L, 1L, 2L);
    }
  }

  @Test
  void receiveHere_withAnInterruptedCaller_leavesTheRequestToTheLane() throws Throwable {
    try (WorkerHost host = host()) {
      host.receiveHere(7, 0, Protocol.open(0, 1, 42, null));
      Thread.currentThread().interrupt();
      CompletableFuture<Frame> r = host.receiveHere(7, 1, call(1, THREAD));
      assertThat(Thread.interrupted()).as("the caller's interrupt is kept").isTrue();
      assertThat((String) value(r, 1)).startsWith("host-test-pool7");
    }
  }

  @Test
  void receiveHere_outOfOrder_waitsForTheEarlierRequest() throws Throwable {
    try (WorkerHost host = host()) {
      host.receiveHere(7, 0, Protocol.open(0, 1, 42, null));
      CompletableFuture<Frame> second = host.receiveHere(7, 2, call(2, THREAD));
      assertThat(second).isNotDone();
      CompletableFuture<Frame> first = host.receiveHere(7, 1, call(1, THREAD));
      // the lane's thread, woken for request 2, may take request 1 too
      assertThat(value(first, 1)).isNotNull();
      assertThat(value(second, 2)).isNotNull();
      assertThat(replied).containsExactly(0L, 1L, 2L);
    }
  }
}
