package org.jmor.parallel.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.junit.jupiter.api.Test;

/** The events reach JDK Flight Recorder, with their fields. */
class JfrEventsTest {

  @Test
  void aFlightRecording_containsCallsStepsAndWorkerStates() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "jfr-test"));
    Path file = dir.resolve("events.jfr");
    Recorder recorder = Recorder.create();
    RecordingTest.Events seen = new RecordingTest.Events();
    recorder.subscribe(seen); // a listener sees an event after it was committed to JFR
    try (Recording recording = new Recording()) {
      recording.enable("org.jmor.PoolCall");
      recording.enable("org.jmor.Step");
      recording.enable("org.jmor.WorkerState");
      recording.start();
      assertThat(Recorder.forFlightRecording().isOn()).isTrue();
      try (WorkerPool pool =
          WorkerPools.builder().backend("threads:2").recorder(recorder).build()) {
        try (Recorder.Step s = recorder.step("extension")) {
          pool.apply((ctx, a) -> ctx.workerIndex());
          s.figure("max_error", 0.125);
        }
      }
      assertThat(seen.await(CallKind.APPLY, 2)).hasSize(2);
      recording.stop();
      recording.dump(file);
    }
    List<RecordedEvent> events = RecordingFile.readAllEvents(file);
    List<RecordedEvent> calls =
        events.stream()
            .filter(e -> e.getEventType().getName().equals("org.jmor.PoolCall"))
            .toList();
    assertThat(calls).hasSizeGreaterThanOrEqualTo(2);
    assertThat(calls)
        .filteredOn(e -> "APPLY".equals(e.getString("kind")))
        .extracting(e -> e.getInt("worker"))
        .containsExactlyInAnyOrder(0, 1);
    for (RecordedEvent e : calls) {
      assertThat(e.getEventType().getCategoryNames()).containsExactly("jmor");
      assertThat(e.getString("pool")).startsWith("threads#");
      assertThat(e.getString("outcome")).isEqualTo("OK");
      assertThat(e.getLong("durationNanos")).isGreaterThanOrEqualTo(0);
      assertThat(e.getLong("runNanos")).isGreaterThanOrEqualTo(0);
    }
    assertThat(events)
        .filteredOn(e -> e.getEventType().getName().equals("org.jmor.Step"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getString("name")).isEqualTo("extension");
              assertThat(e.getString("figures")).isEqualTo("max_error=0.125");
            });
    assertThat(events)
        .filteredOn(e -> e.getEventType().getName().equals("org.jmor.WorkerState"))
        .extracting(e -> e.getString("state") + e.getInt("worker"))
        .contains("STARTED0", "STARTED1", "CLOSED0", "CLOSED1");
  }
}
