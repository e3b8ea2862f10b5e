package org.jmor.parallel.mpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Runs {@link MpiSelfTestMain} and {@link MpiAbortMain} under mpirun (skipped without MPI). */
class MpiShimTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static void selfTest(int ranks) {
    MpiRun.assumeMpi();
    MpiRun.Result r =
        MpiRun.main(MpiSelfTestMain.class)
            .ranks(ranks)
            .args(Integer.toString(ranks))
            .timeout(TIMEOUT)
            .run();
    assertThat(r.timedOut()).as(r.describe()).isFalse();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    for (int rank = 0; rank < ranks; rank++) {
      assertThat(r.stdout()).as(r.describe()).contains("selftest rank=" + rank + " ok");
    }
    assertThat(r.stdout()).as(r.describe()).contains("thread_level=" + Mpi.THREAD_MULTIPLE);
  }

  @Test
  void selfTestOnTwoRanks() {
    selfTest(2);
  }

  @Test
  void selfTestOnThreeRanks() {
    selfTest(3);
  }

  @Test
  void abortEndsTheJobPromptly() {
    MpiRun.assumeMpi();
    MpiRun.Result r = MpiRun.main(MpiAbortMain.class).ranks(3).args("abort").timeout(TIMEOUT).run();
    assertThat(r.timedOut()).as(r.describe()).isFalse();
    assertThat(r.exitCode()).as(r.describe()).isNotZero();
    // from the first barrier to the end of mpirun; the JVM start before it takes about 1-3 s here
    assertThat(r.elapsed()).as(r.describe()).isLessThan(Duration.ofSeconds(10 + 10));
    assertThat(r.stdout()).as(r.describe()).doesNotContain("passed the barrier");
    assertThat(r.stderr()).as(r.describe()).contains("MPI_ABORT");
  }

  @Test
  void uncaughtExceptionAbortsTheJob() {
    MpiRun.assumeMpi();
    MpiRun.Result r =
        MpiRun.main(MpiAbortMain.class).ranks(2).args("uncaught").timeout(TIMEOUT).run();
    assertThat(r.timedOut()).as(r.describe()).isFalse();
    assertThat(r.exitCode()).as(r.describe()).isNotZero();
    assertThat(r.stderr())
        .as(r.describe())
        .contains("deliberate failure on rank 1")
        .contains("aborting the MPI job");
    assertThat(r.stdout()).as(r.describe()).doesNotContain("passed the barrier");
  }
}
