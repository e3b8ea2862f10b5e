package org.jmor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.jmor.parallel.mpi.MpiRun;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link MpiBench} briefly on 2 ranks, so that it keeps working; its figures are not checked
 * (timing goals belong to the benchmarks, not to tests). Skipped without MPI.
 */
class MpiJavaBenchTest {

  @Test
  void javaBenchmarkRuns() {
    MpiRun.assumeMpi();
    MpiRun.Result r =
        MpiRun.main(MpiBench.class)
            .ranks(2)
            .args("2000", "5")
            .timeout(Duration.ofSeconds(60))
            .run();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.lines("mpibench impl=java op=pingpong")).as(r.describe()).hasSize(2);
    assertThat(r.lines("mpibench impl=java op=bcast")).as(r.describe()).hasSize(3);
  }
}
