package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.jmor.parallel.WorkerPools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thermal-block demo on {@code processes:2} (two worker JVMs on this host) gives the sequential
 * pool's numbers, bit for bit, and leaves no worker process behind.
 */
@Timeout(300)
class ThermalBlockProcessesTest {
  @TempDir Path tmp;

  private static final String[] CASE = {"--grid", "10", "--no-plots", "2", "2", "3", "5"};

  private int run(String pool, Path json, StringWriter out) {
    StringWriter err = new StringWriter();
    try {
      int code =
          Main.run(
              new PrintWriter(out, true),
              new PrintWriter(err, true),
              concat("thermalblock", "--pool", pool, "--json", json.toString()));
      assertThat(code).as(err.toString()).isZero();
      return code;
    } finally {
      WorkerPools.resetParallelPool();
    }
  }

  @Test
  void thermalblock_onProcesses2_matchesTheSequentialPoolBitForBit() throws Exception {
    Path seq = tmp.resolve("sequential.json");
    Path processes = tmp.resolve("processes.json");
    run("sequential", seq, new StringWriter());
    run("processes:2", processes, new StringWriter());
    assertThat(
            ProcessHandle.current()
                .descendants()
                .filter(p -> ProcessCommandLines.of(p).contains("ProcessWorkerMain"))
                .filter(ProcessHandle::isAlive))
        .as("worker JVMs left after the run")
        .isEmpty();

    ObjectMapper m = new ObjectMapper();
    JsonNode a = m.readTree(seq.toFile());
    JsonNode b = m.readTree(processes.toFile());
    assertThat(b.get("pool").get("kind").asText()).isEqualTo("processes");
    assertThat(b.get("pool").get("size").asInt()).isEqualTo(2);
    assertThat(b.get("greedy").get("max_errs")).isEqualTo(a.get("greedy").get("max_errs"));
    assertThat(b.get("greedy").get("max_err_indices"))
        .isEqualTo(a.get("greedy").get("max_err_indices"));
    for (String f : List.of("h1_0_semi_errs", "l2_errs", "estimates", "conditions")) {
      assertThat(b.get("test").get(f)).as(f).isEqualTo(a.get("test").get(f));
    }
  }

  private static String[] concat(String... head) {
    String[] all = new String[head.length + CASE.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(CASE, 0, all, head.length, CASE.length);
    return all;
  }
}
