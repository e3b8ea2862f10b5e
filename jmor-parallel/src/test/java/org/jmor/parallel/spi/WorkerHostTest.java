package org.jmor.parallel.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ObjectInputFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jmor.parallel.Task;
import org.jmor.parallel.internal.Commands;
import org.jmor.parallel.internal.FrameCodec;
import org.jmor.parallel.internal.Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkerHostTest {
  static volatile CountDownLatch started = new CountDownLatch(1);
  static volatile CountDownLatch release = new CountDownLatch(1);

  private final List<String> replies = java.util.Collections.synchronizedList(new ArrayList<>());
  private final WorkerHost host =
      new WorkerHost(
          "test-host",
          (pool, seq, reply) -> {
            Object v;
            try {
              v = Protocol.decodeReply(reply, seq, filter());
            } catch (Throwable t) {
              v = t.getClass().getSimpleName();
            }
            replies.add(pool + "/" + seq + "=" + v);
          });

  private static ObjectInputFilter filter() {
    return FrameCodec.filter();
  }

  @AfterEach
  void close() {
    host.close(Duration.ofSeconds(2));
  }

  private static Frame call(long seq, Task<?> task) {
    return Protocol.request(seq, Commands.call(task, new Object[0]));
  }

  private static Object value(CompletableFuture<Frame> f, long seq) throws Throwable {
    return Protocol.decodeReply(f.get(10, TimeUnit.SECONDS), seq, filter());
  }

  @Test
  void requestsRunInSequenceOrder_whateverOrderTheyArriveIn() throws Throwable {
    Task<Integer> index = (ctx, args) -> ctx.workerIndex();
    CompletableFuture<Frame> r2 = host.receive(7, 2, call(2, index));
    CompletableFuture<Frame> r1 = host.receive(7, 1, call(1, index));
    assertThat(r2).isNotDone();
    assertThat(r1).isNotDone();
    host.receive(7, 0, Protocol.open(1, 3, 42, null));
    assertThat(value(r2, 2)).isEqualTo(1);
    assertThat(value(r1, 1)).isEqualTo(1);
    assertThat(replies).containsExactly("7/0=null", "7/1=1", "7/2=1");
  }

  @Test
  void severalPools_eachWithItsOwnRuntime() throws Throwable {
    Task<Integer> size = (ctx, args) -> ctx.poolSize();
    host.receive(1, 0, Protocol.open(0, 2, 1, null));
    host.receive(2, 0, Protocol.open(3, 5, 1, null));
    assertThat(value(host.receive(1, 1, call(1, size)), 1)).isEqualTo(2);
    assertThat(value(host.receive(2, 1, call(1, size)), 1)).isEqualTo(5);
    assertThat(host.pools()).containsExactlyInAnyOrder(1L, 2L);
    assertThat(host.closePool(1, Duration.ofSeconds(1))).isEmpty();
    assertThat(host.pools()).containsExactly(2L);
    assertThat(host.receive(1, 2, call(2, size))).as("a closed pool drops frames").isCancelled();
  }

  @Test
  void aRequestBeforeTheOpenPoolFrame_isRefused() throws Throwable {
    Task<Integer> one = (ctx, args) -> 1;
    CompletableFuture<Frame> r = host.receive(3, 0, call(0, one));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> value(r, 0))
        .hasMessageContaining("not opened");
  }

  @Test
  void cancel_interruptsTheRunningRequest_dropsQueuedAndNotYetArrivedOnes() throws Throwable {
    started = new CountDownLatch(1);
    Task<String> sleep =
        (ctx, args) -> {
          started.countDown();
          try {
            Thread.sleep(30_000);
            return "slept";
          } catch (InterruptedException e) {
            return "interrupted";
          }
        };
    Task<Boolean> interrupted = (ctx, args) -> Thread.currentThread().isInterrupted();
    host.receive(1, 0, Protocol.open(0, 1, 1, null));
    CompletableFuture<Frame> running = host.receive(1, 1, call(1, sleep));
    CompletableFuture<Frame> queued = host.receive(1, 2, call(2, sleep));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    host.cancel(1, 4); // not arrived yet: skipped when it comes
    host.cancel(1, 2);
    host.cancel(1, 1);
    assertThat(queued).isCancelled();
    try {
      running.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.CancellationException expected) {
      // cancelled
    }
    CompletableFuture<Frame> skipped = host.receive(1, 4, call(4, interrupted));
    assertThat(skipped).isCancelled();
    CompletableFuture<Frame> next = host.receive(1, 3, call(3, interrupted));
    assertThat(value(next, 3)).as("the interrupt never reaches the next request").isEqualTo(false);
    CompletableFuture<Frame> after = host.receive(1, 5, call(5, interrupted));
    assertThat(value(after, 5)).isEqualTo(false);
    assertThat(replies).containsExactly("1/0=null", "1/3=false", "1/5=false");
  }

  @Test
  void runHere_runsTheNextRequestOnTheCallingThread() throws Throwable {
    Task<String> thread = (ctx, args) -> Thread.currentThread().getName();
    host.receive(1, 0, Protocol.open(0, 1, 1, null)).get(10, TimeUnit.SECONDS);
    String me = Thread.currentThread().getName();
    boolean ranHere = false;
    for (int i = 1; i < 50 && !ranHere; i++) {
      CompletableFuture<Frame> r = host.receive(1, i, call(i, thread));
      if (host.runHere(r)) {
        ranHere = true;
        assertThat(value(r, i)).isEqualTo(me);
      } else {
        value(r, i);
      }
    }
    assertThat(ranHere).isTrue();
  }

  @Test
  void close_isBounded_evenWhenATaskIgnoresInterrupts() throws Throwable {
    release = new CountDownLatch(1);
    started = new CountDownLatch(1);
    Task<Object> stubborn =
        (ctx, args) -> {
          started.countDown();
          long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
          while (System.nanoTime() < end && release.getCount() > 0) {
            Thread.onSpinWait();
          }
          return null;
        };
    host.receive(1, 0, Protocol.open(0, 1, 1, null));
    host.receive(1, 1, call(1, stubborn));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    long t0 = System.nanoTime();
    List<String> abandoned = host.close(Duration.ofMillis(100));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    assertThat(abandoned).hasSize(1);
    assertThat(abandoned.get(0)).contains("pool 1");
    release.countDown();
    assertThat(host.receive(1, 2, call(2, stubborn))).isCancelled();
  }
}
