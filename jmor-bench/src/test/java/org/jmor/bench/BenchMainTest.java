package org.jmor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ./jmor bench} checks its own arguments: one line, exit code 2, before any benchmark. */
class BenchMainTest {

  private static String[] run(String args, int[] code) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code[0] = BenchMain.run(args.isEmpty() ? new String[0] : args.split(" "));
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
    return new String[] {
      out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)
    };
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--only",
        "--only W9",
        "--root",
        "--nonsense",
        "thermalblock --reps abc",
        "thermalblock --reps 0",
        "thermalblock --reps",
        "thermalblock --warmup -1",
        "thermalblock --timeout x",
        "thermalblock --nonsense",
        "thermalblock --pools threads:3",
        "thermalblock --case nonsense",
        "mpi --rounds 0",
        "mpi --timeout",
        "mpi --nonsense",
        "cluster --starts 0",
        "cluster --starts",
        "cluster --out",
        "cluster --nonsense"
      })
  void badArguments_oneLineAndExitCode2(String args) {
    int[] code = new int[1];
    String[] outErr = run(args, code);
    assertThat(code[0]).as(outErr[1]).isEqualTo(2);
    assertThat(outErr[1].strip()).startsWith("jmor bench").doesNotContain("\n");
    assertThat(outErr[0] + outErr[1]).doesNotContain("Exception");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "thermalblock --help", "mpi --help", "cluster --help"})
  void help_printsTheUsage(String args) {
    int[] code = new int[1];
    String[] outErr = run(args, code);
    assertThat(code[0]).isZero();
    assertThat(outErr[0]).startsWith("usage: jmor bench");
  }

  @org.junit.jupiter.api.Test
  void thermalblockOptions_takeJvmOptionsThatStartWithADash_andRepeatedCases() {
    ThermalBlockBench.Options o = new ThermalBlockBench.Options();
    boolean run =
        BenchArgs.parse(
            "jmor bench thermalblock",
            o,
            java.util.List.of(
                "--java-opts",
                "-XX:+UseParallelGC",
                "--compare-opts",
                "-XX:+UseParallelGC -XX:TieredStopAtLevel=1",
                "--case",
                "2 2 3 5",
                "--case",
                "--grid 50 3 3 4 12",
                "--pools",
                "threads:2,mpi:2",
                "--no-warm",
                "--warmup",
                "0",
                "--timeout",
                "30"));
    assertThat(run).isTrue();
    assertThat(o.javaOpts).isEqualTo("-XX:+UseParallelGC");
    assertThat(o.compareOpts).containsExactly("-XX:+UseParallelGC -XX:TieredStopAtLevel=1");
    assertThat(o.chosenCases)
        .extracting(ThermalBlockBench.Case::label)
        .containsExactly("2 2 3 5", "--grid 50 3 3 4 12");
    assertThat(o.chosenPools).containsExactly("threads:2", "mpi:2");
    assertThat(o.noWarm).isTrue();
    assertThat(o.noCold).isFalse();
    assertThat(o.warmup).isZero();
    assertThat(o.timeoutSeconds).isEqualTo(30);
    assertThat(
            BenchArgs.parse(
                "jmor bench thermalblock",
                new ThermalBlockBench.Options(),
                java.util.List.of("-h")))
        .isFalse();
  }
}
