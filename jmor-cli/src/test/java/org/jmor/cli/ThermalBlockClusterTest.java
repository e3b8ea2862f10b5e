package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jmor.parallel.WorkerPools;
import org.jmor.parallel.cluster.IgniteFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thermal-block demo on {@code cluster:2} (two worker JVMs on Apache Ignite) gives the
 * sequential pool's numbers, bit for bit. The cluster run is a JVM of its own with Ignite's flags
 * (this test JVM has none), killed with its workers if it outlives its bound.
 */
@Timeout(300)
class ThermalBlockClusterTest {
  @TempDir Path tmp;

  private static final String[] CASE = {"--grid", "10", "--no-plots", "2", "2", "3", "5"};

  @Test
  void thermalblock_onCluster2_matchesTheSequentialPoolBitForBit() throws Exception {
    Path seq = tmp.resolve("sequential.json");
    StringWriter err = new StringWriter();
    int code;
    try {
      code =
          Main.run(
              new PrintWriter(new StringWriter(), true),
              new PrintWriter(err, true),
              concat("thermalblock", "--pool", "sequential", "--json", seq.toString()));
    } finally {
      WorkerPools.resetParallelPool();
    }
    assertThat(code).as(err.toString()).isZero();

    Path cluster = tmp.resolve("cluster.json");
    Path log = tmp.resolve("cluster.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(IgniteFlags.FLAGS);
    cmd.addAll(List.of("-Xmx512m", "-XX:+UseParallelGC", "-Djava.net.preferIPv4Stack=true"));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    for (String a : concat("thermalblock", "--pool", "cluster:2", "--json", cluster.toString())) {
      cmd.add(a);
    }
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    // the client JIT only (C1) in this run and the worker JVMs it starts (they inherit the
    // environment): a cluster's start is mostly JIT work, and takes about half as long on 2 cores
    pb.environment().put("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1");
    Process p = pb.start();
    try {
      boolean done = p.waitFor(240, TimeUnit.SECONDS);
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(done).as("the cluster run ended in time:\n" + out).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).contains("Using pool of 2 workers");
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }

    ObjectMapper m = new ObjectMapper();
    JsonNode a = m.readTree(seq.toFile());
    JsonNode b = m.readTree(cluster.toFile());
    assertThat(b.get("pool").get("kind").asText()).isEqualTo("cluster");
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
