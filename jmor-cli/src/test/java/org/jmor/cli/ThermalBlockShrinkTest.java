package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jmor.parallel.PoolConfig;
import org.jmor.parallel.WorkerPools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thermal-block demo on a shrinking {@code processes:3} pool ({@code
 * jmor.pool.on-worker-loss=shrink}): one worker JVM is SIGKILLed after the greedy search's second
 * extension, the run goes on with the two others, and every number (greedy errors and their
 * parameters, the error analysis) equals the sequential pool's, bit for bit; no worker process is
 * left afterwards.
 */
@Timeout(600)
class ThermalBlockShrinkTest {
  @TempDir Path tmp;

  private static final String[] CASE = {"--grid", "10", "--no-plots", "2", "2", "3", "6"};

  /** The log line after which a worker is killed. */
  private static final String TRIGGER = "Maximum error after 2 extensions";

  private static int run(String pool, Path json, StringWriter err) {
    try {
      return Main.run(
          new PrintWriter(new StringWriter(), true),
          new PrintWriter(err, true),
          concat("thermalblock", "--pool", pool, "--json", json.toString()));
    } finally {
      WorkerPools.resetParallelPool();
    }
  }

  private static Optional<ProcessHandle> oneWorker() {
    return ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().commandLine().orElse("").contains("ProcessWorkerMain"))
        .filter(ProcessHandle::isAlive)
        .findFirst();
  }

  @Test
  void greedyOnProcesses3_withOneWorkerKilled_matchesTheSequentialPoolBitForBit() throws Exception {
    Path seq = tmp.resolve("sequential.json");
    StringWriter seqErr = new StringWriter();
    assertThat(run("sequential", seq, seqErr)).as(seqErr.toString()).isZero();

    Path shrunk = tmp.resolve("processes.json");
    StringWriter err = new StringWriter();
    AtomicLong killed = new AtomicLong(-1);
    // the demo logs to standard output (slf4j-simple, read on every line): watch it for the
    // trigger, and kill one worker JVM then
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream watching =
        new PrintStream(
            new OutputStream() {
              private final StringBuilder line = new StringBuilder();

              @Override
              public synchronized void write(int b) {
                original.write(b);
                captured.write(b);
                if (b == '\n') {
                  if (line.indexOf(TRIGGER) >= 0 && killed.get() < 0) {
                    oneWorker()
                        .ifPresent(
                            p -> {
                              killed.set(p.pid());
                              p.destroyForcibly();
                            });
                  }
                  line.setLength(0);
                } else {
                  line.append((char) b);
                }
              }
            },
            true,
            StandardCharsets.UTF_8);
    System.setOut(watching);
    System.setProperty(PoolConfig.ON_WORKER_LOSS, "shrink");
    int code;
    try {
      code = run("processes:3", shrunk, err);
    } finally {
      System.clearProperty(PoolConfig.ON_WORKER_LOSS);
      System.setOut(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(code).as(err + "\n" + log).isZero();
    assertThat(killed.get()).as("a worker JVM was killed after the trigger line").isPositive();
    assertThat(log).contains("Using pool of 3 workers").contains("was lost").contains("go on");
    assertThat(oneWorker()).as("worker JVMs left after the run").isEmpty();

    ObjectMapper m = new ObjectMapper();
    JsonNode a = m.readTree(seq.toFile());
    JsonNode b = m.readTree(shrunk.toFile());
    assertThat(b.get("pool").get("kind").asText()).isEqualTo("processes");
    assertThat(b.get("greedy").get("max_errs")).isEqualTo(a.get("greedy").get("max_errs"));
    assertThat(b.get("greedy").get("max_err_indices"))
        .isEqualTo(a.get("greedy").get("max_err_indices"));
    assertThat(b.get("greedy").get("max_errs")).hasSize(a.get("greedy").get("max_errs").size());
    for (String f : List.of("h1_0_semi_errs", "l2_errs", "estimates", "conditions")) {
      assertThat(b.get("test").get(f)).as(f).isEqualTo(a.get("test").get(f));
    }
    assertThat(Files.size(shrunk)).isPositive();
  }

  private static String[] concat(String... head) {
    String[] all = new String[head.length + CASE.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(CASE, 0, all, head.length, CASE.length);
    return all;
  }
}
