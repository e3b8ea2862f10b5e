package org.jmor.parallel.mpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Runs the C benchmark briefly, so that it keeps working; its figures are not checked (timing goals
 * belong to the benchmarks, not to tests). Its Java counterpart {@code MpiBench} is in jmor-bench
 * (its {@code MpiJavaBenchTest}).
 */
class MpiBenchTest {

  @Test
  void cBenchmarkRuns() {
    MpiRun.assumeMpi();
    Path exe = Path.of("target", "native", "mpi_bench").toAbsolutePath();
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(exe), exe + " not built");
    MpiRun.Result r =
        MpiRun.executable(exe.toString())
            .ranks(2)
            .args("2000", "5")
            .timeout(Duration.ofSeconds(60))
            .run();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.lines("mpibench impl=c op=pingpong")).as(r.describe()).hasSize(1);
    assertThat(r.lines("mpibench impl=c op=bcast")).as(r.describe()).hasSize(1);
  }
}
