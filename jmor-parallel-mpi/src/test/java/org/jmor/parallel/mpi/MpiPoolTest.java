package org.jmor.parallel.mpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The MPI pool under real {@code mpirun}: the contract kit and the differential suite with 1, 2 and
 * 3 ranks, and the faults of pyMOR's MPI pool that we fix. Skipped, with the reason, where the shim
 * or mpirun is missing. Every mpirun is bounded by a timeout, after which it is killed with its
 * descendants.
 */
@Timeout(600)
class MpiPoolTest {

  @BeforeAll
  static void needsMpi() {
    MpiRun.assumeMpi();
  }

  @ParameterizedTest(name = "{0} rank(s)")
  @ValueSource(ints = {1, 2, 3})
  void contractKit_passesUnderMpirun(int ranks) {
    MpiRun.Result r =
        MpiRun.main(MpiMain.class)
            .args(ContractRunner.class.getName())
            .ranks(ranks)
            .timeout(Duration.ofMinutes(4))
            .run();
    assertThat(r.timedOut()).as(r.describe()).isFalse();
    assertThat(r.lines("CONTRACT"))
        .as(r.describe())
        .singleElement()
        .asString()
        .contains("failed=0");
    assertThat(r.exitCode()).as(r.describe()).isZero();
  }

  @Test
  void taskFailureOnOneRank_givesAnErrorOnRank0_notAHang_andEveryRankExitsCleanly() {
    MpiRun.Result r =
        MpiRun.main(MpiMain.class)
            .args(FaultPrograms.FailureThenLeftovers.class.getName())
            .ranks(3)
            .timeout(Duration.ofSeconds(90))
            .run();
    assertThat(r.timedOut()).as(r.describe()).isFalse();
    assertThat(r.stdout()).as(r.describe()).contains("FAILED task failed on worker 2 of 3");
    assertThat(r.stdout()).as(r.describe()).contains("AGAIN [0, 1, 2]");
    assertThat(r.stdout() + r.stderr())
        .as("pyMOR's warning about objects left at exit (E13)")
        .contains(MpiWorld.LEAVING_WARNING);
    assertThat(r.exitCode()).as(r.describe()).isZero();
  }

  @Test
  void rankKilledWithSigkill_endsTheJobWithin10Seconds() {
    MpiRun.Result r =
        MpiRun.main(MpiMain.class)
            .args(FaultPrograms.KillRank1.class.getName())
            .ranks(2)
            .timeout(Duration.ofSeconds(60))
            .run();
    assertThat(r.timedOut()).as(r.describe()).isFalse();
    assertThat(r.exitCode()).as(r.describe()).isNotZero();
    assertThat(r.stdout()).doesNotContain("RESULT");
    assertThat(r.elapsed()).as(r.describe()).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void exceptionOnRank0_abortsTheWholeJobQuickly() {
    MpiRun.Result r =
        MpiRun.main(MpiMain.class)
            .args(FaultPrograms.Rank0Throws.class.getName())
            .ranks(2)
            .timeout(Duration.ofSeconds(60))
            .run();
    assertThat(r.timedOut()).as(r.describe()).isFalse();
    assertThat(r.exitCode()).as(r.describe()).isNotZero();
    assertThat(r.stderr()).contains("deliberate failure on rank 0");
  }

  /** With the default polite waiting, and with busy polling ({@code jmor.mpi.max-sleep-us=0}). */
  @ParameterizedTest(name = "jmor.mpi.max-sleep-us={0}")
  @ValueSource(strings = {"200", "0"})
  void largeTransfersWhileRequestsAreInFlight_arriveIntact(String maxSleep) {
    MpiRun.Result r =
        MpiRun.main(MpiMain.class)
            .jvmOptions(
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-Djmor.mpi.max-sleep-us=" + maxSleep)
            .args(FaultPrograms.Pipelined.class.getName())
            .ranks(3)
            .timeout(Duration.ofSeconds(120))
            .run();
    assertThat(r.timedOut()).as(r.describe()).isFalse();
    assertThat(r.stdout()).as(r.describe()).contains("PIPELINED ok");
    assertThat(r.exitCode()).as(r.describe()).isZero();
  }
}
