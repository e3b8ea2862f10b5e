package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jmor.parallel.WorkerPools;
import org.jmor.parallel.events.TraceFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code --trace FILE}: a valid timeline with a track per worker and the greedy's steps. */
@Timeout(300)
class TraceOptionTest {
  private static final Path DIR = Path.of("target", "trace-cli");

  private static int run(StringWriter err, String... args) {
    try {
      return Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
    } finally {
      WorkerPools.resetParallelPool();
    }
  }

  /** Runs the demo with {@code --trace} and checks the file; returns its slices. */
  private static List<JsonNode> traced(String pool) throws Exception {
    Path file = Files.createDirectories(DIR).resolve(pool.replace(':', '-') + ".json");
    Files.deleteIfExists(file);
    StringWriter err = new StringWriter();
    int code =
        run(
            err,
            "thermalblock",
            "--pool",
            pool,
            "--grid",
            "10",
            "--no-plots",
            "--trace",
            file.toString(),
            "2",
            "2",
            "3",
            "5");
    assertThat(code).as(err.toString()).isZero();
    Map<Integer, String> names = new HashMap<>();
    JsonNode root = TraceFormat.validate(file, names);
    List<JsonNode> slices = new ArrayList<>();
    root.get("traceEvents")
        .forEach(
            e -> {
              if (e.get("ph").asText().equals("X")) {
                slices.add(e);
              }
            });
    int caller = tid(names, "caller");
    List<JsonNode> extensions =
        slices.stream()
            .filter(e -> e.get("tid").asInt() == caller)
            .filter(e -> e.get("name").asText().equals("extension"))
            .toList();
    assertThat(extensions).as("greedy extensions on the caller track").hasSize(5);
    for (int k = 0; k < 5; k++) {
      JsonNode args = extensions.get(k).get("args");
      assertThat(args.get("extension").asInt()).isEqualTo(k);
      assertThat(args.get("max_error").asDouble()).isPositive();
      assertThat(args.get("training_set_size").asInt())
          .isEqualTo(3 * 3 * 3 * 3); // 3 snapshots per block
    }
    for (String worker : List.of(" worker 0", " worker 1")) {
      int tid = tid(names, worker);
      assertThat(slices.stream().filter(e -> e.get("tid").asInt() == tid))
          .as("slices on the track of%s", worker)
          .isNotEmpty();
    }
    return slices;
  }

  private static int tid(Map<Integer, String> names, String suffix) {
    return names.entrySet().stream()
        .filter(e -> e.getValue().endsWith(suffix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no track named *" + suffix + " in " + names))
        .getKey();
  }

  @Test
  void threads2_givesSlicesOnBothWorkerTracks_andExtensionsWithTheirMaximumErrors()
      throws Exception {
    List<JsonNode> slices = traced("threads:2");
    assertThat(slices)
        .filteredOn(e -> e.get("cat").asText().equals("worker"))
        .extracting(e -> e.get("name").asText())
        .contains("map");
  }

  @Test
  void processes2_countsTheBytesThatCrossedToTheWorkers() throws Exception {
    List<JsonNode> slices = traced("processes:2");
    assertThat(slices)
        .filteredOn(e -> e.get("cat").asText().equals("worker"))
        .anySatisfy(
            e -> {
              assertThat(e.get("args").get("bytesSent").asLong()).isPositive();
              assertThat(e.get("args").get("bytesReceived").asLong()).isPositive();
              assertThat(e.get("args").get("runNanos").asLong()).isGreaterThanOrEqualTo(0);
            });
  }

  @Test
  void aTraceFileThatCannotBeWritten_isRefusedBeforeAnyWork() throws Exception {
    Path dir = Files.createDirectories(DIR);
    StringWriter err = new StringWriter();
    int code =
        run(
            err,
            "thermalblock",
            "--pool",
            "threads:2",
            "--trace",
            dir.toString(),
            "2",
            "2",
            "3",
            "5");
    assertThat(code).isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString()).contains("--trace").contains("is a directory");
    err = new StringWriter();
    code = run(err, "sweep", "--pool", "threads:2", "--trace", dir.toString());
    assertThat(code).isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString()).contains("--trace");
  }
}
