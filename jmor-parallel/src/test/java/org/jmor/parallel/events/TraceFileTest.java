package org.jmor.parallel.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.junit.jupiter.api.Test;

/** The trace file of a small run is valid Trace Event Format with the expected tracks. */
class TraceFileTest {

  @Test
  void aRun_givesATrackPerWorker_callsAsSlicesWithFlows_andStepsOnTheCallerTrack()
      throws Exception {
    Path file = Files.createDirectories(Path.of("target", "trace-test")).resolve("run.json");
    Files.deleteIfExists(file);
    Recorder recorder = Recorder.create();
    RecordingTest.Events seen = new RecordingTest.Events();
    recorder.subscribe(seen);
    try (TraceFile trace = TraceFile.writeTo(recorder, file)) {
      try (WorkerPool pool =
          WorkerPools.builder().backend("threads:2").recorder(recorder).build()) {
        var h = pool.scatterList(List.of("a", "b\"\n\\", "c"));
        for (int k = 0; k < 3; k++) {
          try (Recorder.Step s = recorder.step("extension")) {
            pool.apply((ctx, a) -> ctx.workerIndex());
            pool.applyAsync((ctx, a) -> ctx.workerIndex()).get();
            s.figure("max_error", 1.0 / (k + 1)).figure("extension", k).figure("bad", Double.NaN);
          }
        }
        h.remove();
      }
      seen.await(CallKind.REMOVE, 2);
      assertThat(Files.exists(file)).as("written at close only").isFalse();
    }
    Map<Integer, String> names = new HashMap<>();
    JsonNode root = TraceFormat.validate(file, names);
    assertThat(names.values()).contains("caller");
    assertThat(names.values().stream().filter(n -> n.matches("threads#\\d+\\[2\\] worker 0")))
        .hasSize(1);
    assertThat(names.values().stream().filter(n -> n.matches("threads#\\d+\\[2\\] worker 1")))
        .hasSize(1);
    List<JsonNode> slices = new ArrayList<>();
    root.get("traceEvents")
        .forEach(
            e -> {
              if (e.get("ph").asText().equals("X")) {
                slices.add(e);
              }
            });
    int callerTid = tidOf(names, "caller");
    List<JsonNode> steps =
        slices.stream().filter(e -> e.get("name").asText().equals("extension")).toList();
    assertThat(steps).hasSize(3);
    assertThat(steps).allSatisfy(e -> assertThat(e.get("tid").asInt()).isEqualTo(callerTid));
    assertThat(steps.get(2).get("args").get("max_error").asDouble()).isEqualTo(1.0 / 3);
    assertThat(steps.get(2).get("args").get("bad").asText()).isEqualTo("NaN");
    for (String worker : List.of("worker 0", "worker 1")) {
      int tid = tidOf(names, worker);
      List<JsonNode> onWorker = slices.stream().filter(e -> e.get("tid").asInt() == tid).toList();
      assertThat(onWorker).extracting(e -> e.get("name").asText()).contains("apply", "scatter");
      assertThat(onWorker)
          .allSatisfy(
              e -> {
                assertThat(e.get("args").get("outcome").asText()).isEqualTo("ok");
                assertThat(e.get("args").get("runNanos").asLong()).isGreaterThanOrEqualTo(0);
                assertThat(e.get("args").has("bytesSent")).isTrue();
              });
    }
    assertThat(slices)
        .filteredOn(
            e -> e.get("tid").asInt() == callerTid && e.get("name").asText().equals("apply"))
        .hasSize(6);
  }

  private static int tidOf(Map<Integer, String> names, String suffix) {
    return names.entrySet().stream()
        .filter(e -> e.getValue().endsWith(suffix))
        .findFirst()
        .orElseThrow()
        .getKey();
  }
}
