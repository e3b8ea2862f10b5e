package org.jmor.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two users of one persistent cache at the same time: two regions with connections of their own in
 * two threads, and a second JVM beside this one. Both finish with correct values, and every entry
 * is readable afterwards.
 */
class ConcurrentUsersTest {

  @TempDir Path tmp;

  /** Reads or computes keys {@code from..to-1}, checking every value; returns the statistics. */
  static CacheStatistics use(Path dir, int from, int to) {
    return use(dir, from, to, () -> {});
  }

  static CacheStatistics use(Path dir, int from, int to, Runnable opened) {
    try (CacheRegion r = CacheRegions.open(RegionKind.PERSISTENT, dir)) {
      opened.run();
      for (int i = from; i < to; i++) {
        int at = i;
        double[] v = r.getOrCompute(RegionTest.key(i), () -> RegionTest.value(at));
        if (!java.util.Arrays.equals(v, RegionTest.value(i))) {
          throw new AssertionError("wrong value for key " + i);
        }
      }
      return r.statistics();
    }
  }

  private void assertAllReadable(int n) {
    try (CacheRegion r = CacheRegions.open(RegionKind.PERSISTENT, tmp)) {
      assertThat(r.size()).isEqualTo(n);
      for (int i = 0; i < n; i++) {
        assertThat(r.get(RegionTest.key(i))).containsExactly(RegionTest.value(i));
      }
      assertThat(r.statistics().rejectedCount()).isZero();
    }
  }

  @Test
  void twoConnectionsInTwoThreads() throws Exception {
    ExecutorService ex = Executors.newFixedThreadPool(2);
    try {
      // overlapping ranges: both write keys 100..199
      Future<CacheStatistics> a = ex.submit(() -> use(tmp, 0, 200));
      Future<CacheStatistics> b = ex.submit(() -> use(tmp, 100, 300));
      CacheStatistics sa = a.get(120, TimeUnit.SECONDS);
      CacheStatistics sb = b.get(120, TimeUnit.SECONDS);
      assertThat(sa.hits() + sa.computedCount()).isEqualTo(200);
      assertThat(sb.hits() + sb.computedCount()).isEqualTo(200);
      assertThat(sa.errorCount() + sb.errorCount()).isZero();
      assertThat(sa.rejectedCount() + sb.rejectedCount()).isZero();
    } finally {
      ex.shutdownNow();
      assertThat(ex.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    assertAllReadable(300);
  }

  @Test
  void aSecondJvm() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                SecondUser.class.getName(),
                tmp.toString(),
                "0",
                "300")
            .redirectErrorStream(true);
    Process p = pb.start();
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try {
      BufferedReader lines =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      // start when the second JVM has opened the cache, so that the two overlap
      Future<String> first = reader.submit(lines::readLine);
      assertThat(first.get(120, TimeUnit.SECONDS)).isEqualTo("opened");
      Future<String> rest = reader.submit(() -> lines.lines().collect(Collectors.joining("\n")));
      CacheStatistics mine = use(tmp, 150, 450);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the second JVM finished").isTrue();
      String out = rest.get(60, TimeUnit.SECONDS);
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).contains("ok 300");
      assertThat(mine.hits() + mine.computedCount()).isEqualTo(300);
      assertThat(mine.errorCount()).isZero();
    } finally {
      reader.shutdownNow();
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    assertAllReadable(450);
  }

  /** The second JVM: {@code SecondUser DIR FROM TO}. */
  public static final class SecondUser {
    private SecondUser() {}

    /**
     * @param args the directory and the key range
     * @throws IOException never
     */
    public static void main(String[] args) throws IOException {
      CacheStatistics s =
          use(
              Path.of(args[0]),
              Integer.parseInt(args[1]),
              Integer.parseInt(args[2]),
              () -> {
                System.out.println("opened");
                System.out.flush();
              });
      if (s.errorCount() > 0 || s.rejectedCount() > 0) {
        System.out.println("failed: " + s);
        System.exit(1);
      }
      System.out.println("ok " + (s.hits() + s.computedCount()));
    }
  }
}
