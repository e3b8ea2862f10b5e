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

  private static final CountDownLatch SLEEP_STARTED = new CountDownLatch(1);
  private static final Task<String> SLEEP =
      (ctx, args) -> {
        SLEEP_STARTED.countDown();
        try {
          Thread.sleep(30_000);
          return "slept";
        } catch (InterruptedException e) {
          return "interrupted";
        }
      };
  private static final Task<Boolean> INTERRUPTED =
      (ctx, args) -> Thread.currentThread().isInterrupted();

  private final List<Long> replied = new CopyOnWriteArrayList<>();
  private final List<String> replyThreads = new CopyOnWriteArrayList<>();

  private WorkerHost host() {
    return host("host-test");
  }

  private WorkerHost host(String name) {
    return new WorkerHost(
        name,
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
  void receiveDeferred_thenRunHere_runsInTheCallingThread() throws Throwable {
    try (WorkerHost host = host("host-deferred")) {
      host.receiveHere(7, 0, Protocol.open(0, 1, 42, null));
      // the lane's thread must be parked on its empty queue: a thread that is just starting looks
      // at the queue once and would take the request itself
      WorkerLanesTest.awaitParked("host-deferred-pool7-0");
      CompletableFuture<Frame> r = host.receiveDeferred(7, 1, call(1, THREAD));
      assertThat(host.runHere(r)).as("the lane's thread was not woken to take it").isTrue();
      assertThat(value(r, 1)).isEqualTo(Thread.currentThread().getName());
      host.wake(r); // ended: nothing to do
    }
  }

  @Test
  void receiveDeferred_thenWake_runsOnTheLane() throws Throwable {
    try (WorkerHost host = host()) {
      host.receiveHere(7, 0, Protocol.open(0, 1, 42, null));
      CompletableFuture<Frame> r = host.receiveDeferred(7, 1, call(1, THREAD));
      host.wake(r);
      assertThat((String) value(r, 1)).isNotEqualTo(Thread.currentThread().getName());
      assertThat(host.runHere(r)).as("done already").isFalse();
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

  @Test
  void cancelFromAnotherThread_interruptsTheRequestRunningInTheReceivingThread() throws Throwable {
    try (WorkerHost host = host()) {
      host.receiveHere(7, 0, Protocol.open(0, 1, 42, null));
      Thread canceller =
          new Thread(
              () -> {
                try {
                  if (SLEEP_STARTED.await(10, TimeUnit.SECONDS)) {
                    host.cancel(7, 1);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      canceller.start();
      long start = System.nanoTime();
      CompletableFuture<Frame> r = host.receiveHere(7, 1, call(1, SLEEP));
      canceller.join(10_000);
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start))
          .as("interrupted, not slept out")
          .isLessThan(10);
      assertThat(r).isCancelled();
      assertThat(Thread.interrupted()).as("the interrupt ends with the request").isFalse();
      CompletableFuture<Frame> next = host.receiveHere(7, 2, call(2, INTERRUPTED));
      assertThat(value(next, 2)).isEqualTo(false);
      assertThat(replied).as("no reply for the cancelled request").containsExactly(0L, 2L);
    }
  }

  @Test
  void cancelOfTheNextNumberBeforeItArrives_skipsIt_andLaterRequestsRun() throws Throwable {
    try (WorkerHost host = host()) {
      host.receiveHere(7, 0, Protocol.open(0, 1, 42, null));
      host.cancel(7, 1); // the next number, not arrived yet
      CompletableFuture<Frame> second = host.receiveHere(7, 2, call(2, THREAD));
      assertThat(value(second, 2)).isNotNull();
      CompletableFuture<Frame> first = host.receiveHere(7, 1, call(1, THREAD));
      assertThat(first).isCancelled();
      host.cancel(7, 4); // ahead of the next number
      CompletableFuture<Frame> fourth = host.receiveHere(7, 4, call(4, THREAD));
      assertThat(fourth).isCancelled();
      assertThat(value(host.receiveHere(7, 3, call(3, THREAD)), 3)).isNotNull();
      assertThat(value(host.receiveHere(7, 5, call(5, THREAD)), 5)).isNotNull();
      assertThat(replied).containsExactly(0L, 2L, 3L, 5L);
    }
  }
}
