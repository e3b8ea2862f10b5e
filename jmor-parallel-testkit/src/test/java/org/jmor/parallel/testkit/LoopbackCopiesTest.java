package org.jmor.parallel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jmor.parallel.RemoteObject;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.junit.jupiter.api.Test;

/**
 * Measures what a large push costs through the frame seam: the bytes allocated by every thread of
 * the JVM while an 8 MiB {@code double[]} is pushed to 2 loopback workers, in units of the array's
 * size. The array travels out of band (never through {@code ObjectOutputStream} element by
 * element); the loopback transport joins each frame into one byte array per worker (a copy), and
 * each worker reads it into its final array (a copy): at most two copies per worker.
 */
class LoopbackCopiesTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static Map<Long, Long> allocatedByThread() {
    long[] ids = THREADS.getAllThreadIds();
    long[] bytes = THREADS.getThreadAllocatedBytes(ids);
    Map<Long, Long> m = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (bytes[i] >= 0) {
        m.put(ids[i], bytes[i]);
      }
    }
    return m;
  }

  private static long allocatedSince(Map<Long, Long> before) {
    long total = 0;
    for (Map.Entry<Long, Long> e : allocatedByThread().entrySet()) {
      total += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    }
    return total;
  }

  @Test
  void push8MiB_toTwoWorkers_costsAtMostTwoCopiesPerWorker() {
    double[] data = new double[1 << 20];
    for (int i = 0; i < data.length; i++) {
      data[i] = i;
    }
    double arrayBytes = 8.0 * data.length;
    try (WorkerPool pool =
        WorkerPools.builder().backend(LoopbackTransport.Provider.NAME).workers(2).build()) {
      // warm up: threads, classes and the codec's paths
      pool.push(new double[1 << 10]).remove();
      Map<Long, Long> before = allocatedByThread();
      RemoteObject<double[]> h = pool.push(data);
      double copies = allocatedSince(before) / arrayBytes;
      List<Double> sums =
          pool.apply(
              h,
              (ctx, a) -> {
                double s = 0;
                for (double v : a) {
                  s += v;
                }
                return s;
              });
      double expected = (data.length - 1.0) * data.length / 2;
      assertThat(sums).containsExactly(expected, expected);
      assertThat(copies)
          .as("allocated bytes / array bytes while pushing 8 MiB to 2 workers")
          .isLessThanOrEqualTo(2 * 2 + 0.1);
      h.remove();
    }
  }
}
