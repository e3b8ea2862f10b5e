package org.jmor.parallel.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Checks a file against Chrome's Trace Event Format (the JSON object form): the fields each phase
 * requires, durations, flow ids, and timestamps that never go back on a track. Shared with the
 * CLI's trace tests through this module's test jar.
 */
public final class TraceFormat {
  private TraceFormat() {}

  /** The parsed file, after the checks; the thread names by tid in {@code names}. */
  public static JsonNode validate(Path file, Map<Integer, String> names) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    assertThat(root.isObject()).as("the top level is an object").isTrue();
    assertThat(root.path("displayTimeUnit").asText()).isIn("ms", "ns");
    JsonNode events = root.get("traceEvents");
    assertThat(events).as("traceEvents").isNotNull();
    assertThat(events.isArray()).isTrue();
    Map<String, Double> lastTs = new HashMap<>();
    Set<Long> flowStarts = new HashSet<>();
    Set<Long> flowEnds = new HashSet<>();
    Set<Integer> tidsWithSlices = new HashSet<>();
    for (JsonNode e : events) {
      assertThat(e.hasNonNull("name")).as("name of %s", e).isTrue();
      assertThat(e.hasNonNull("ph")).as("ph of %s", e).isTrue();
      assertThat(e.path("pid").isInt()).as("pid of %s", e).isTrue();
      assertThat(e.path("tid").isInt()).as("tid of %s", e).isTrue();
      String ph = e.get("ph").asText();
      int tid = e.get("tid").asInt();
      if (ph.equals("M")) {
        assertThat(e.get("name").asText())
            .isIn("process_name", "thread_name", "thread_sort_index", "process_sort_index");
        assertThat(e.path("args").isObject()).isTrue();
        if (e.get("name").asText().equals("thread_name")) {
          names.put(tid, e.get("args").get("name").asText());
        }
        continue;
      }
      assertThat(e.path("ts").isNumber()).as("ts of %s", e).isTrue();
      double ts = e.get("ts").asDouble();
      assertThat(ts).isGreaterThanOrEqualTo(0);
      String track = e.get("pid").asInt() + "/" + tid;
      Double last = lastTs.put(track, ts);
      assertThat(last == null || last <= ts).as("ts ascends on track %s at %s", track, e).isTrue();
      switch (ph) {
        case "X":
          assertThat(e.path("dur").isNumber()).as("dur of %s", e).isTrue();
          assertThat(e.get("dur").asDouble()).isGreaterThanOrEqualTo(0);
          tidsWithSlices.add(tid);
          break;
        case "s":
          assertThat(e.path("id").isNumber()).as("id of %s", e).isTrue();
          assertThat(flowStarts.add(e.get("id").asLong())).isTrue();
          break;
        case "f":
          assertThat(e.path("id").isNumber()).as("id of %s", e).isTrue();
          assertThat(e.path("bp").asText()).isEqualTo("e");
          assertThat(flowEnds.add(e.get("id").asLong())).isTrue();
          break;
        case "i":
          assertThat(e.path("s").asText()).isIn("t", "p", "g");
          break;
        default:
          throw new AssertionError("unexpected phase " + ph + " in " + e);
      }
    }
    assertThat(flowEnds).as("every flow has its start and its end").isEqualTo(flowStarts);
    assertThat(names.keySet()).as("every track with slices is named").containsAll(tidsWithSlices);
    return root;
  }
}
