package org.jmor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The wiring of {@code ./jmor bench mpi}: the result lines it parses and the section it writes. */
class MpiBenchRunnerTest {

  @Test
  void parsesTheLinesOfTheThreePrograms() {
    MpiBenchRunner.Line c =
        MpiBenchRunner.parse(
            "mpibench impl=c op=pingpong bytes=1 iters=100 min_us=0.350 median_us=0.461");
    assertThat(c).isNotNull();
    assertThat(c.key()).isEqualTo("c pingpong");
    assertThat(c.median()).isEqualTo(0.461);
    assertThat(c.unit()).isEqualTo("us");
    MpiBenchRunner.Line j =
        MpiBenchRunner.parse(
            "mpibench impl=java op=bcast kind=direct bytes=8388608 iters=200 min_ms=0.36"
                + " median_ms=0.45");
    assertThat(j.key()).isEqualTo("java bcast kind=direct");
    assertThat(j.unit()).isEqualTo("ms");
    MpiBenchRunner.Line p =
        MpiBenchRunner.parse("mpipool op=w3Push,megabytes=8 iters=29 min=11.5 median=12.5 unit=ms");
    assertThat(p.key()).isEqualTo("pool w3Push megabytes=8");
    assertThat(MpiBenchRunner.parse("mpipool info workers=2")).isNull();
    assertThat(MpiBenchRunner.parse("something else")).isNull();
  }

  @Test
  void writesTheTargetsTableBetweenItsMarkers() {
    MpiBenchRunner.Measured m = new MpiBenchRunner.Measured();
    for (String l :
        List.of(
            "mpibench impl=c op=pingpong bytes=1 iters=9 min_us=0.4 median_us=0.5",
            "mpibench impl=c op=bcast bytes=8388608 iters=9 min_ms=0.4 median_ms=0.5",
            "mpipool op=codec iters=9 min=10 median=20 unit=us",
            "mpipool op=w1Apply iters=9 min=20 median=30 unit=us",
            "mpipool op=w3Push,megabytes=8 iters=9 min=1 median=2 unit=ms")) {
      m.lines.add(MpiBenchRunner.parse(l));
    }
    String md = MpiBenchRunner.report(new MpiBenchRunner.Options(), m);
    assertThat(md)
        .startsWith("## MPI pool")
        .contains("| push 8 MB bandwidth / C `MPI_Bcast` 8 MiB bandwidth")
        .contains("| 0.25 | >= 0.80 | NO |") // 0.5 ms / 2 ms
        .contains("| 30.00 µs | <= 25.00 µs | NO |"); // 5 x 2 x 0.5 + 20
    String file =
        ThermalBlockBench.replaceSection(
            "# Benchmark results\n\nJMH\n", md, MpiBenchRunner.BEGIN, MpiBenchRunner.END);
    assertThat(ThermalBlockBench.section(file, MpiBenchRunner.BEGIN, MpiBenchRunner.END))
        .contains("## MPI pool");
    assertThat(
            ThermalBlockBench.replaceSection(
                file, "new\n", MpiBenchRunner.BEGIN, MpiBenchRunner.END))
        .startsWith("# Benchmark results\n\nJMH\n")
        .contains(MpiBenchRunner.BEGIN + "\nnew\n" + MpiBenchRunner.END)
        .doesNotContain("## MPI pool");
  }
}
