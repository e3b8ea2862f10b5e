package org.jmor.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jmor.vectors.VectorArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The core's shrink policy on thread pools, plain and strict, where a task kills its lane with
 * {@link ThreadDeath} (what a crash does to a worker): a second loss during the re-run of a lost
 * block, losses seen by calls on several threads at once, recoverable vector arrays, and that the
 * default policy still breaks the pool. The per-backend cases are in the test kit's {@code
 * FailureModelContract}.
 */
@Timeout(60)
class ShrinkingPoolTest {

  private static WorkerPool pool(int workers, boolean strict, OnWorkerLoss policy) {
    return WorkerPools.builder().workers(workers).strict(strict).onWorkerLoss(policy).build();
  }

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  /** Worker 1 dies on its first element; worker 2 dies on an element of worker 1's block. */
  private static MapTask<Integer, Integer> killsTwo() {
    return (ctx, e, args) -> {
      if (ctx.workerIndex() == 1 || (ctx.workerIndex() == 2 && e >= 2 && e < 4)) {
        throw new ThreadDeath();
      }
      return e * 10;
    };
  }

  @Test
  void aSecondLossDuringTheReRun_isHandledOneLevelDown() {
    for (boolean strict : new boolean[] {false, true}) {
      try (WorkerPool pool = pool(4, strict, OnWorkerLoss.SHRINK)) {
        // blocks of 8 over 4: [0,2) [2,4) [4,6) [6,8); worker 1's block runs again over 0, 2, 3,
        // and worker 2 dies on element 3 of it
        assertThat(pool.map(killsTwo(), range(8)))
            .isEqualTo(range(8).stream().map(e -> e * 10).collect(Collectors.toList()));
        assertThat(pool.size()).isEqualTo(2);
        assertThat(pool.apply((ctx, args) -> ctx.workerIndex())).containsExactly(0, 3);
      }
    }
  }

  @Test
  void lossesSeenByCallsOnSeveralThreads_takeTheWorkerOutOnce_andEveryCallCompletes()
      throws Exception {
    try (WorkerPool pool = pool(3, false, OnWorkerLoss.SHRINK)) {
      MapTask<Integer, Integer> diesOnWorker1 =
          (ctx, e, args) -> {
            if (ctx.workerIndex() == 1) {
              throw new ThreadDeath();
            }
            Thread.sleep(1);
            return e + 1;
          };
      List<Integer> expected = range(60).stream().map(e -> e + 1).collect(Collectors.toList());
      ExecutorService callers = Executors.newFixedThreadPool(4);
      try {
        List<Future<List<Integer>>> calls = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          calls.add(callers.submit(() -> pool.map(diesOnWorker1, range(60))));
        }
        for (Future<List<Integer>> f : calls) {
          assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
        }
      } finally {
        callers.shutdownNow();
      }
      assertThat(pool.size()).isEqualTo(2);
      assertThat(pool.isBroken()).isFalse();
      CompletableFuture<List<Integer>> async = pool.mapAsync(diesOnWorker1, range(60));
      assertThat(async.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
    }
  }

  @Test
  void recoverableVectorArray_isCompleteAndInOrderAfterALoss_plainOneFailsNamingTheSlice() {
    try (WorkerPool pool = pool(3, true, OnWorkerLoss.SHRINK)) {
      VectorArray u = VectorArray.zeros(9, 2);
      for (int i = 0; i < 9; i++) {
        u.set(i, 0, i);
      }
      try (RemoteObject<VectorArray> kept = pool.scatterArray(u, true, Scatter.RECOVERABLE);
          RemoteObject<VectorArray> plain = pool.scatterArray(u, true)) {
        // worker 0 dies: its slice goes to worker 1, the one after it
        assertThat(
                pool.apply(
                    (ctx, args) -> {
                      if (ctx.workerIndex() == 0) {
                        throw new ThreadDeath();
                      }
                      return ctx.workerIndex();
                    }))
            .containsExactly(1, 2);
        List<double[]> firsts =
            pool.apply(
                kept,
                (ctx, a) -> {
                  double[] f = new double[a.len()];
                  for (int i = 0; i < f.length; i++) {
                    f[i] = a.get(i, 0);
                  }
                  return f;
                });
        assertThat(firsts.get(0)).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(firsts.get(1)).containsExactly(6, 7, 8);
        assertThatThrownBy(() -> pool.apply(plain, (ctx, a) -> a.len()))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("the slice of worker 0 (elements 0..2 of 9) was lost");
      }
    }
  }

  @Test
  void theDefaultPolicy_stillBreaksThePool() {
    try (WorkerPool pool = pool(2, false, OnWorkerLoss.FAIL)) {
      assertThat(pool.onWorkerLoss()).isEqualTo(OnWorkerLoss.FAIL);
      assertThatThrownBy(() -> pool.map(killsTwo(), range(4)))
          .isInstanceOf(WorkerLostException.class)
          .hasMessageContaining("the pool is broken");
      assertThat(pool.isBroken()).isTrue();
    }
  }
}
