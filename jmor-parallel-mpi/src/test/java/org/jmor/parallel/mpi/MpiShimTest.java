package org.jmor.parallel.mpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.jmor.parallel.mpi.jni.Mpi;
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
  void garbageCollectionProceedsWhileThreadsBlockInReceiveAndProbe() {
    MpiRun.assumeMpi();
    MpiRun.Result r = MpiRun.main(MpiGcDuringReceiveMain.class).ranks(2).timeout(TIMEOUT).run();
    assertThat(r.timedOut()).as(r.describe()).isFalse();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdout())
        .as(r.describe())
        .contains("gcwait rank=0 ok", "gcwait rank=1 ok", "gcwait ms=");
  }

  @Test
  void abortEndsTheJobPromptly() {
    MpiRun.assumeMpi();
    MpiRun.Result r = MpiRun.main(MpiAbortMain.class).ranks(3).args("abort").timeout(TIMEOUT).run();
    assertThat(r.timedOut()).as(r.describe()).isFalse();
    assertThat(r.exitCode()).as(r.describe()).isNotZero();
    // from rank 1's last sign of life (just before abort) to the end of mpirun
    long end = System.currentTimeMillis();
    List<String> up = r.lines("abortmain rank=1 up at_ms=");
    assertThat(up).as(r.describe()).hasSize(1);
    long abortedAt = Long.parseLong(up.get(0).substring(up.get(0).indexOf("at_ms=") + 6).trim());
    assertThat(end - abortedAt).as(r.describe()).isLessThan(10_000);
    assertThat(r.stdout()).as(r.describe()).doesNotContain("passed the barrier");
    // mpirun exits with the code given to MPI_Abort. (Its "MPI_ABORT was invoked" text is not
    // checked: Open MPI's show_help sometimes loses it with an ORTE_ERROR_LOG line instead.)
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(3);
  }

  @Test
  void uncaughtExceptionAbortsTheJob() {
    MpiRun.assumeMpi();
    MpiRun.Result r =
        MpiRun.main(MpiAbortMain.class).ranks(2).args("uncaught").timeout(TIMEOUT).run();
    assertThat(r.timedOut()).as(r.describe()).isFalse();
    assertThat(r.exitCode()).as(r.describe()).isNotZero();
    // code 5 is the handler's abort(5), not the JVM's own exit code 1 for an uncaught exception.
    // The stack trace is usually forwarded too, but mpirun may kill the job before it drains the
    // rank's stderr, so it is not asserted.
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(5);
    assertThat(r.stdout()).as(r.describe()).doesNotContain("passed the barrier");
  }
}
