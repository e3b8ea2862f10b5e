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
}
