package org.jmor.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.parallel.events.CallEvent;
import org.jmor.parallel.events.CallKind;
import org.jmor.parallel.events.Outcome;
import org.jmor.parallel.events.Recorder;
import org.jmor.parallel.events.WorkerEvent;
import org.jmor.parallel.events.WorkerState;
import org.junit.jupiter.api.Test;

/** The server part without a browser: token, methods, assets, the JSON state and the SSE stream. */
class DashboardTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
  private final ObjectMapper json = new ObjectMapper();

  private static DashboardOptions fast() {
    return DashboardOptions.defaults().withRefresh(Duration.ofMillis(100));
  }

  private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri).timeout(WAIT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String token(Dashboard d) {
    String query = d.url().getRawQuery();
    assertThat(query).startsWith("token=");
    return query.substring("token=".length());
  }

  private static URI at(Dashboard d, String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + d.port() + pathAndQuery);
  }

  @Test
  void urlIsOnLoopbackWithA128BitUrlSafeToken() {
    try (Dashboard a = Dashboard.start(Recorder.create(), DashboardOptions.defaults());
        Dashboard b = Dashboard.start(Recorder.create(), DashboardOptions.defaults())) {
      assertThat(a.url().getHost()).isEqualTo("127.0.0.1");
      assertThat(a.url().getPort()).isEqualTo(a.port()).isPositive();
      assertThat(a.url().getPath()).isEqualTo("/");
      // 16 random bytes in unpadded URL-safe base64: 22 characters
      assertThat(token(a)).matches("[A-Za-z0-9_-]{22}");
      assertThat(token(a)).isNotEqualTo(token(b));
      assertThat(a.port()).isNotEqualTo(b.port());
    }
  }

  @Test
  void withTheTokenThePageAndItsAssetsAreServedFromTheJar() throws Exception {
    try (Dashboard d = Dashboard.start(Recorder.create(), DashboardOptions.defaults())) {
      HttpResponse<String> page = get(d.url());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
      // the page passes the token to its assets (and its script passes it to /events)
      assertThat(page.body())
          .contains("static/app.js?token=" + token(d))
          .contains("static/chart.umd.js?token=" + token(d))
          .doesNotContain("@TOKEN@")
          .doesNotContain("http://")
          .doesNotContain("https://");
      for (String asset : List.of("app.js", "style.css", "chart.umd.js", "chart.js-LICENSE.md")) {
        HttpResponse<String> r = get(at(d, "/static/" + asset + "?token=" + token(d)));
        assertThat(r.statusCode()).as(asset).isEqualTo(200);
        assertThat(r.body()).as(asset).isNotEmpty();
      }
      assertThat(get(at(d, "/static/chart.umd.js?token=" + token(d))).body())
          .startsWith("/*!\n * Chart.js v4.");
      assertThat(get(at(d, "/static/../pom.xml?token=" + token(d))).statusCode()).isEqualTo(404);
      assertThat(get(at(d, "/nothing?token=" + token(d))).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void withoutOrWithAWrongTokenEveryRequestIs403WithNoBody() throws Exception {
    try (Dashboard d = Dashboard.start(Recorder.create(), DashboardOptions.defaults());
        Dashboard other = Dashboard.start(Recorder.create(), DashboardOptions.defaults())) {
      String wrong = token(other);
      String almost = token(d).substring(0, 21) + (token(d).endsWith("A") ? "B" : "A");
      for (String path : List.of("/", "/state", "/events", "/static/app.js", "/nothing")) {
        for (String query :
            List.of("", "?token=", "?token=" + wrong, "?token=" + almost, "?tok=" + token(d))) {
          HttpResponse<String> r = get(at(d, path + query));
          assertThat(r.statusCode()).as(path + query).isEqualTo(403);
          assertThat(r.body()).as(path + query).isEmpty();
        }
      }
      // a wrong token wins over a wrong method: nothing is told without the token
      HttpResponse<String> post =
          http.send(
              HttpRequest.newBuilder(at(d, "/state"))
                  .timeout(WAIT)
                  .POST(HttpRequest.BodyPublishers.ofString("x"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(403);
    }
  }

  @Test
  void onlyGetIsAnswered() throws Exception {
    try (Dashboard d = Dashboard.start(Recorder.create(), DashboardOptions.defaults())) {
      for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(d.url())
                    .timeout(WAIT)
                    .method(method, HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).as(method).hasValue("GET");
        assertThat(r.body()).as(method).isEmpty();
      }
    }
  }

  /** One worker's part of a call, as a pool records it. */
  private static CallEvent part(
      Recorder r, CallKind kind, long call, int worker, long sent, long received, Outcome outcome) {
    long now = r.nanos();
    return new CallEvent(
        "threads#9[2]",
        kind,
        call,
        worker,
        now - 2_000_000,
        now,
        1_500_000,
        sent,
        received,
        outcome);
  }

  @Test
  void theStateHasTheCallsOfEveryWorkerTheStepsAndTheGreedyPoints() throws Exception {
    Recorder r = Recorder.create();
    try (Dashboard d = Dashboard.start(r, fast())) {
      r.record(new WorkerEvent("threads#9[2]", 0, WorkerState.STARTED, r.nanos()));
      r.record(new WorkerEvent("threads#9[2]", 1, WorkerState.STARTED, r.nanos()));
      r.record(part(r, CallKind.APPLY, 1, 0, 100, 10, Outcome.OK));
      r.record(part(r, CallKind.APPLY, 1, 1, 200, 20, Outcome.OK));
      r.record(part(r, CallKind.MAP, 2, 1, 1000, 0, Outcome.LOST));
      r.record(part(r, CallKind.REMOVE, 3, -1, 0, 0, Outcome.OK));
      r.record(new WorkerEvent("threads#9[2]", 1, WorkerState.LOST, r.nanos()));
      try (Recorder.Step s = r.step("extension")) {
        s.figure("max_error", 0.5).figure("extension", 0);
      }
      try (Recorder.Step s = r.step("sweep")) {
        s.figure("max_error", 0.02); // not a greedy point: only extension steps are
      }
      try (Recorder.Step s = r.step("extension")) {
        s.figure("max_error", 0.01).figure("extension", 1);
      }
      JsonNode state = json.readTree(get(at(d, "/state?token=" + token(d))).body());
      assertThat(state.get("type").asText()).isEqualTo("full");
      List<String> lanes = new ArrayList<>();
      state
          .get("slices")
          .forEach(s -> lanes.add(s.get("lane").asText() + " " + s.get("kind").asText()));
      assertThat(lanes)
          .containsExactly(
              "threads#9[2]:0 APPLY",
              "threads#9[2]:1 APPLY",
              "threads#9[2]:1 MAP",
              "caller REMOVE",
              "caller extension",
              "caller sweep",
              "caller extension");
      JsonNode workers = state.get("workers");
      assertThat(workers).hasSize(2);
      assertThat(workers.get(0).get("worker").asInt()).isZero();
      assertThat(workers.get(0).get("tasks").asLong()).isEqualTo(1);
      assertThat(workers.get(0).get("state").asText()).isIn("busy", "idle");
      assertThat(workers.get(1).get("tasks").asLong()).isEqualTo(2);
      assertThat(workers.get(1).get("failed").asLong()).isEqualTo(1);
      assertThat(workers.get(1).get("state").asText()).isEqualTo("lost");
      assertThat(workers.get(1).get("bytesSent").asLong()).isEqualTo(1200);
      assertThat(state.get("bytesSent").asLong()).isEqualTo(1300);
      assertThat(state.get("bytesReceived").asLong()).isEqualTo(30);
      // 2 ms per part: both APPLY parts in the bucket from 10^-2.75 s = 1.78 ms
      JsonNode apply = state.get("latency").get("APPLY");
      assertThat(apply.get(9).asLong()).isEqualTo(2);
      assertThat(state.get("latencyEdges").get(9).asDouble()).isCloseTo(1.778e-3, within(1e-6));
      assertThat(state.get("latency").has("PUSH")).isFalse();
      JsonNode greedy = state.get("greedy");
      assertThat(greedy).hasSize(2);
      assertThat(greedy.get(0).get("extension").asInt()).isEqualTo(1);
      assertThat(greedy.get(1).get("extension").asInt()).isEqualTo(2);
      assertThat(greedy.get(1).get("maxError").asDouble()).isEqualTo(0.01);
      assertThat(state.get("current").get("extension").asInt()).isEqualTo(3);
      assertThat(state.get("lastStep").get("name").asText()).isEqualTo("extension");
    }
  }

  @Test
  void aPoolsCallsOnBothWorkersAreShown() throws Exception {
    try (WorkerPool pool =
            WorkerPools.builder()
                .backend("threads")
                .workers(2)
                .recorder(Recorder.create())
                .build();
        Dashboard d = Dashboard.start(pool, fast())) {
      assertThat(pool.apply((ctx, args) -> ctx.workerIndex())).containsExactly(0, 1);
      JsonNode state = json.readTree(get(at(d, "/state?token=" + token(d))).body());
      List<Integer> workers = new ArrayList<>();
      state.get("workers").forEach(w -> workers.add(w.get("worker").asInt()));
      assertThat(workers).containsExactly(0, 1);
      assertThat(state.get("latency").get("APPLY")).isNotNull();
    }
  }

  @Test
  void theEventStreamSendsTheStateThenUpdatesThenAnEndEventAndTheServerIsGone() throws Exception {
    Recorder r = Recorder.create();
    Dashboard d = Dashboard.start(r, fast());
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    CompletableFuture<Void> reader;
    try {
      HttpResponse<Stream<String>> resp =
          http.send(
              HttpRequest.newBuilder(at(d, "/events?token=" + token(d))).GET().build(),
              HttpResponse.BodyHandlers.ofLines());
      assertThat(resp.statusCode()).isEqualTo(200);
      assertThat(resp.headers().firstValue("Content-Type"))
          .hasValue("text/event-stream; charset=utf-8");
      reader = CompletableFuture.runAsync(() -> resp.body().forEach(lines::add));

      // first the whole state (empty so far)
      JsonNode first = nextState(lines);
      assertThat(first.get("type").asText()).isEqualTo("full");
      assertThat(first.get("slices")).isEmpty();

      r.record(part(r, CallKind.APPLY, 1, 0, 0, 0, Outcome.OK));
      r.record(part(r, CallKind.APPLY, 1, 1, 0, 0, Outcome.OK));
      try (Recorder.Step s = r.step("extension")) {
        s.figure("max_error", 0.25);
      }
      // then updates with the new slices only, until both workers and the point have come
      List<String> seen = new ArrayList<>();
      JsonNode u = first;
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline && (seen.size() < 3 || u.get("greedy").isEmpty())) {
        u = nextState(lines);
        assertThat(u.get("type").asText()).isEqualTo("update");
        u.get("slices").forEach(s -> seen.add(s.get("lane").asText()));
      }
      // each slice once
      assertThat(seen).containsExactly("threads#9[2]:0", "threads#9[2]:1", "caller");
      assertThat(u.get("greedy").get(0).get("maxError").asDouble()).isEqualTo(0.25);
      assertThat(u.get("greedy").get(0).get("extension").asInt()).isEqualTo(1);
    } finally {
      d.close();
    }
    // close() ends the stream with the final state and an end event
    reader.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    List<String> rest = new ArrayList<>();
    lines.drainTo(rest);
    int end = rest.indexOf("event: end");
    assertThat(end).isPositive();
    assertThat(rest.subList(0, end)).contains("event: state");
    assertThatThrownBy(() -> get(d.url())).isInstanceOf(ConnectException.class);
    d.close(); // idempotent
  }

  private JsonNode nextState(BlockingQueue<String> lines) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    boolean isState = false;
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line == null) {
        continue;
      }
      if (line.equals("event: state")) {
        isState = true;
      } else if (isState && line.startsWith("data: ")) {
        return json.readTree(line.substring(6));
      }
    }
    throw new AssertionError("no state event within " + WAIT);
  }

  @Test
  void aPoolWhoseRecorderIsOffIsRefusedWithAClearMessage() {
    try (WorkerPool pool = WorkerPools.builder().backend("threads").workers(2).build()) {
      assertThatThrownBy(() -> Dashboard.start(pool))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("recorder")
          .hasMessageContaining("is off")
          .hasMessageContaining("Recorder.create()");
    }
    assertThatThrownBy(() -> Dashboard.start(Recorder.off(), DashboardOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("off");
  }

  @Test
  void aTakenPortIsReportedWithTheAddress() {
    try (Dashboard a = Dashboard.start(Recorder.create(), DashboardOptions.defaults())) {
      assertThatThrownBy(
              () ->
                  Dashboard.start(
                      Recorder.create(), DashboardOptions.defaults().withPort(a.port())))
          .isInstanceOf(java.io.UncheckedIOException.class)
          .hasMessageContaining("127.0.0.1:" + a.port());
    }
  }

  @Test
  void optionsAreChecked() throws Exception {
    assertThatThrownBy(() -> DashboardOptions.defaults().withPort(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> DashboardOptions.defaults().withPort(65536))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DashboardOptions.defaults().withWindow(Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DashboardOptions.defaults().withRefresh(Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
    DashboardOptions o =
        DashboardOptions.defaults()
            .withPort(8123)
            .withBindAddress(InetAddress.getByName("::1"))
            .withWindow(Duration.ofMinutes(2));
    assertThat(o.port()).isEqualTo(8123);
    assertThat(o.window()).isEqualTo(Duration.ofMinutes(2));
    assertThat(DashboardOptions.defaults().port()).isZero();
    assertThat(DashboardOptions.defaults().bindAddress().isLoopbackAddress()).isTrue();
  }
}
