package org.jmor.parallel.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.jmor.parallel.RemoteObject;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.parallel.testkit.ImmutableModel;
import org.jmor.parallel.testkit.TestTasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** 10,000 push/remove cycles on the shared cluster of 2 leave every worker's store empty. */
class ClusterLeakTest {
  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void tenThousandPushRemoveCycles_leaveEveryWorkerStoreEmpty() {
    try (WorkerPool pool =
        WorkerPools.builder()
            .backend(ClusterProvider.NAME)
            .property(ClusterProvider.ID, SharedCluster.get(2).id())
            .build()) {
      ImmutableModel model = ImmutableModel.standard();
      for (int i = 0; i < 10_000; i++) {
        if (i % 2 == 0) {
          RemoteObject<double[]> h = pool.push(new double[] {i, i + 1});
          h.remove();
        } else {
          RemoteObject<ImmutableModel> a = pool.push(model);
          RemoteObject<ImmutableModel> b = pool.push(model); // the same copy, counted twice
          a.remove();
          b.remove();
        }
      }
      assertThat(pool.statistics().liveObjects()).isZero();
      assertThat(pool.apply(TestTasks.storedObjects())).containsExactly(0, 0);
    }
  }
}
