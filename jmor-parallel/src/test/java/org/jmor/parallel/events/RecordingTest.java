package org.jmor.parallel.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.junit.jupiter.api.Test;

/** What the pools record: one call event per worker part, worker states, steps. */
class RecordingTest {

  /** Collects every event. */
  static final class Events implements RunListener {
    final List<CallEvent> calls = Collections.synchronizedList(new ArrayList<>());
    final List<StepEvent> steps = Collections.synchronizedList(new ArrayList<>());
    final List<WorkerEvent> workers = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onCall(CallEvent e) {
      calls.add(e);
    }

    @Override
    public void onStep(StepEvent e) {
      steps.add(e);
    }

    @Override
    public void onWorker(WorkerEvent e) {
      workers.add(e);
    }

    /** The call events of {@code kind}, once at least {@code n} arrived (10 s at most). */
    List<CallEvent> await(CallKind kind, int n) throws InterruptedException {
      Predicate<CallEvent> p = e -> e.kind() == kind;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        List<CallEvent> found;
        synchronized (calls) {
          found = calls.stream().filter(p).toList();
        }
        if (found.size() >= n || System.nanoTime() > deadline) {
          return found;
        }
        Thread.sleep(5);
      }
    }
  }

  @Test
  void threadsPool_recordsEachWorkerPartOfEachCall() throws Exception {
    Recorder recorder = Recorder.create();
    Events events = new Events();
    recorder.subscribe(events);
    try (WorkerPool pool = WorkerPools.builder().backend("threads:2").recorder(recorder).build()) {
      assertThat(pool.recorder()).isSameAs(recorder);
      var h = pool.scatterList(List.of(1, 2, 3, 4));
      assertThat(pool.apply((ctx, a) -> ctx.workerIndex())).containsExactly(0, 1);
      String one = pool.applyOnly(1, (ctx, a) -> "one");
      assertThat(one).isEqualTo("one");
      List<Integer> doubled = pool.map((ctx, x, a) -> x * 2, List.of(1, 2, 3));
      assertThat(doubled).containsExactly(2, 4, 6);
      assertThatThrownBy(
              () ->
                  pool.apply(
                      (ctx, a) -> {
                        throw new IllegalStateException("boom");
                      }))
          .hasMessageContaining("boom");
      h.remove();
    }
    List<CallEvent> applies = events.await(CallKind.APPLY, 4);
    assertThat(applies).hasSize(4);
    assertThat(applies.subList(0, 2)).extracting(CallEvent::worker).containsExactlyInAnyOrder(0, 1);
    assertThat(applies).allSatisfy(e -> assertThat(e.pool()).matches("threads#\\d+\\[2\\]"));
    assertThat(applies.stream().filter(e -> e.outcome() == Outcome.FAILED)).hasSize(2);
    assertThat(applies.stream().filter(e -> e.outcome() == Outcome.OK)).hasSize(2);
    // the two parts of one call share its id, the two calls differ
    assertThat(applies.stream().map(CallEvent::callId).distinct()).hasSize(2);
    for (CallEvent e : applies) {
      assertThat(e.endNanos()).isGreaterThanOrEqualTo(e.startNanos());
      assertThat(e.runNanos()).isBetween(0L, e.durationNanos());
      assertThat(e.bytesSent()).isZero(); // in process
    }
    assertThat(events.await(CallKind.SCATTER, 2)).extracting(CallEvent::worker).contains(0, 1);
    assertThat(events.await(CallKind.APPLY_ONLY, 1))
        .singleElement()
        .satisfies(e -> assertThat(e.worker()).isEqualTo(1));
    assertThat(events.await(CallKind.MAP, 2)).hasSize(2);
    assertThat(events.await(CallKind.REMOVE, 2)).hasSize(2);
    assertThat(events.workers)
        .filteredOn(w -> w.state() == WorkerState.STARTED)
        .extracting(WorkerEvent::worker)
        .containsExactly(0, 1);
    assertThat(events.workers)
        .filteredOn(w -> w.state() == WorkerState.CLOSED)
        .extracting(WorkerEvent::worker)
        .containsExactly(0, 1);
  }

  @Test
  void strictPool_countsTheBytesOfRequestsAndReplies_andTheWorkersRunTime() throws Exception {
    Recorder recorder = Recorder.create();
    Events events = new Events();
    recorder.subscribe(events);
    try (WorkerPool pool =
        WorkerPools.builder().backend("threads:2").strict(true).recorder(recorder).build()) {
      pool.apply((ctx, a) -> new double[1000]);
    }
    List<CallEvent> applies = events.await(CallKind.APPLY, 2);
    assertThat(applies).hasSize(2);
    for (CallEvent e : applies) {
      assertThat(e.bytesSent()).isPositive();
      assertThat(e.bytesReceived()).isGreaterThan(8000); // the reply carries 1000 doubles
      assertThat(e.runNanos()).isBetween(0L, e.durationNanos());
      assertThat(e.outcome()).isEqualTo(Outcome.OK);
    }
  }

  @Test
  void steps_carryTheirFigures_andOffRecordsNothing() {
    Recorder recorder = Recorder.create();
    Events events = new Events();
    AutoCloseable sub = recorder.subscribe(events);
    try (Recorder.Step s = recorder.step("extension")) {
      s.figure("max_error", 0.5).figure("extension", 3).figure("max_error", 0.25);
    }
    assertThat(events.steps)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.name()).isEqualTo("extension");
              assertThat(e.figures())
                  .containsExactly(
                      java.util.Map.entry("max_error", 0.25),
                      java.util.Map.entry("extension", 3.0));
              assertThat(e.endNanos()).isGreaterThanOrEqualTo(e.startNanos());
            });
    Recorder.Step again = recorder.step("sweep");
    again.close();
    again.close(); // idempotent
    assertThat(events.steps).hasSize(2);
    try {
      sub.close();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    recorder.step("after").close();
    assertThat(events.steps).hasSize(2);

    Recorder off = Recorder.off();
    assertThat(off.isOn()).isFalse();
    assertThat(off.step("x")).isSameAs(off.step("y"));
    assertThat(WorkerPools.builder().backend("threads:1").build())
        .satisfies(
            p -> {
              try (p) {
                assertThat(p.recorder().isOn()).isFalse();
              }
            });
    assertThatThrownBy(() -> TraceFile.writeTo(off, java.nio.file.Path.of("x.json")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Recorder.off()");
  }

  @Test
  void aFailingListener_doesNotBreakThePool() throws Exception {
    Recorder recorder = Recorder.create();
    recorder.subscribe(
        new RunListener() {
          @Override
          public void onCall(CallEvent e) {
            throw new IllegalStateException("listener bug");
          }
        });
    Events events = new Events();
    recorder.subscribe(events);
    try (WorkerPool pool = WorkerPools.builder().backend("threads:2").recorder(recorder).build()) {
      assertThat(pool.apply((ctx, a) -> 1)).containsExactly(1, 1);
    }
    assertThat(events.await(CallKind.APPLY, 2)).hasSize(2);
  }
}
