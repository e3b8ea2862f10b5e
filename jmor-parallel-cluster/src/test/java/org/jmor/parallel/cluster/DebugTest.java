package org.jmor.parallel.cluster;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jmor.parallel.SplitRule;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.parallel.testkit.TestTasks;
import org.junit.jupiter.api.Test;

class DebugTest {
  @Test
  void debug() throws Exception {
    long t0 = System.nanoTime();
    try (IgniteCluster c = IgnitePools.start(2, ClusterOptions.defaults())) {
      System.err.println("started in " + (System.nanoTime() - t0) / 1e6 + " ms");
      WorkerPool shared =
          WorkerPools.builder()
              .backend("cluster")
              .property("jmor.cluster.id", c.id())
              .workers(2)
              .build();
      System.err.println("shared " + shared.map(TestTasks.identity(), List.of(1, 2, 3)));
      for (int k = 0; k < 2; k++) {
        try (WorkerPool pool =
            WorkerPools.builder()
                .backend("cluster")
                .property("jmor.cluster.id", c.id())
                .workers(2)
                .splitRule(SplitRule.CEILING)
                .build()) {
          for (int items : new int[] {0, 1, 2, 5, 9, 10, 13}) {
            List<Integer> r =
                pool.mapAsync(
                        TestTasks.elementWorker(),
                        IntStream.range(0, items).boxed().collect(Collectors.toList()))
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);
            System.err.println(k + " " + items + " " + r);
          }
        }
      }
    }
  }
}
