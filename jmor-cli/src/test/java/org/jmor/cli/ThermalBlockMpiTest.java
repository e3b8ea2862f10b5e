package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jmor.parallel.WorkerPools;
import org.jmor.parallel.mpi.MpiMain;
import org.jmor.parallel.mpi.MpiRun;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The thermal-block demo under {@code mpirun -n 2} on the MPI pool gives the sequential pool's
 * numbers, bit for bit. Skipped, with the reason, where the MPI shim or mpirun is missing.
 */
@Timeout(300)
class ThermalBlockMpiTest {
  @TempDir Path tmp;

  private static final String[] CASE = {"--grid", "10", "--no-plots", "2", "2", "3", "5"};

  /** Both reductors: their reduced models travel to the ranks (serialized, not shared). */
  @ParameterizedTest
  @ValueSource(strings = {"residual_basis", "traditional"})
  void thermalblock_underTwoRanks_matchesTheSequentialPoolBitForBit(String reductor)
      throws Exception {
    MpiRun.assumeMpi();
    Path seq = tmp.resolve("sequential.json");
    StringWriter err = new StringWriter();
    int code;
    try {
      code =
          Main.run(
              new PrintWriter(new StringWriter(), true),
              new PrintWriter(err, true),
              concat(
                  "thermalblock",
                  "--reductor",
                  reductor,
                  "--pool",
                  "sequential",
                  "--json",
                  seq.toString()));
    } finally {
      WorkerPools.resetParallelPool();
    }
    assertThat(code).as(err.toString()).isZero();

    Path mpi = tmp.resolve("mpi.json");
    MpiRun.Result r =
        MpiRun.main(MpiMain.class)
            .args(
                concat(
                    Main.class.getName(),
                    "thermalblock",
                    "--reductor",
                    reductor,
                    "--pool",
                    "mpi",
                    "--json",
                    mpi.toString()))
            .ranks(2)
            .jvmOptions("-Xmx512m")
            .timeout(Duration.ofMinutes(3))
            .run();
    assertThat(r.timedOut()).as(r.describe()).isFalse();
    assertThat(r.exitCode()).as(r.describe()).isZero();

    ObjectMapper m = new ObjectMapper();
    JsonNode a = m.readTree(seq.toFile());
    JsonNode b = m.readTree(mpi.toFile());
    assertThat(b.get("pool").get("kind").asText()).isEqualTo("mpi");
    assertThat(b.get("reductor").asText()).isEqualTo(reductor);
    assertThat(b.get("pool").get("size").asInt()).isEqualTo(2);
    assertThat(b.get("greedy").get("max_errs")).isEqualTo(a.get("greedy").get("max_errs"));
    assertThat(b.get("greedy").get("max_err_indices"))
        .isEqualTo(a.get("greedy").get("max_err_indices"));
    for (String f : List.of("h1_0_semi_errs", "l2_errs", "estimates", "conditions")) {
      assertThat(b.get("test").get(f)).as(f).isEqualTo(a.get("test").get(f));
    }
    assertThat(r.stdout()).contains("Using pool of 2 workers");
  }

  private static String[] concat(String... head) {
    String[] all = new String[head.length + CASE.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(CASE, 0, all, head.length, CASE.length);
    return all;
  }
}
