package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.jmor.parallel.WorkerPools;
import org.jmor.parallel.mpi.MpiMain;
import org.jmor.parallel.mpi.MpiRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The persistent cache on a pool whose workers are other processes: under {@code mpirun -n 2} rank
 * 1 receives the cached model and opens the cache file by its description, so the file ends up with
 * one entry per parameter solved by either rank, and a later run in this process solves nothing.
 * Skipped, with the reason, where the MPI shim or mpirun is missing.
 */
@Timeout(300)
class ThermalBlockCacheMpiTest {
  @TempDir Path tmp;

  private static final List<String> CASE =
      List.of("--grid", "10", "--no-plots", "--no-greedy-with-error-estimator", "2", "2", "3", "5");

  @Test
  void mpiRanksShareThePersistentCache() throws Exception {
    MpiRun.assumeMpi();
    Path dir = tmp.resolve("cache");
    Path mpi = tmp.resolve("mpi.json");
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                Main.class.getName(),
                "thermalblock",
                "--pool",
                "mpi",
                "--cache-region",
                "persistent",
                "--cache-dir",
                dir.toString(),
                "--json",
                mpi.toString()));
    args.addAll(CASE);
    MpiRun.Result r =
        MpiRun.main(MpiMain.class)
            .args(args.toArray(new String[0]))
            .ranks(2)
            .jvmOptions("-Xmx512m")
            .timeout(Duration.ofMinutes(3))
            .run();
    assertThat(r.timedOut()).as(r.describe()).isFalse();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdout()).contains("(counted in this process; remote workers count their own)");

    ObjectMapper m = new ObjectMapper();
    JsonNode a = m.readTree(mpi.toFile());
    assertThat(a.get("pool").get("kind").asText()).isEqualTo("mpi");
    // rank 0 (the driver and worker 0) solved part of the 81 + 10 parameters, rank 1 the rest
    long rank0 = a.get("cache").get("computed_solves").asLong();
    assertThat(rank0).isLessThan(91);
    try (Connection c =
            org.sqlite.JDBC.createConnection(
                "jdbc:sqlite:" + dir.resolve("snapshots.sqlite"), new java.util.Properties());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM jmor_snapshots")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(91);
    }

    Path seq = tmp.resolve("sequential.json");
    StringWriter err = new StringWriter();
    List<String> again =
        new java.util.ArrayList<>(
            List.of(
                "thermalblock",
                "--pool",
                "sequential",
                "--cache-region",
                "persistent",
                "--cache-dir",
                dir.toString(),
                "--json",
                seq.toString()));
    again.addAll(CASE);
    int code;
    try {
      code =
          Main.run(
              new PrintWriter(new StringWriter(), true),
              new PrintWriter(err, true),
              again.toArray(new String[0]));
    } finally {
      WorkerPools.resetParallelPool();
    }
    assertThat(code).as(err.toString()).isZero();
    JsonNode b = m.readTree(seq.toFile());
    assertThat(b.get("cache").get("computed_solves").asLong()).isZero();
    assertThat(b.get("greedy").get("max_errs")).isEqualTo(a.get("greedy").get("max_errs"));
    for (String f : List.of("h1_0_semi_errs", "l2_errs", "estimates", "conditions")) {
      assertThat(b.get("test").get(f)).as(f).isEqualTo(a.get("test").get(f));
    }
  }
}
