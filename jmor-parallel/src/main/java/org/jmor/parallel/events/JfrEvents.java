package org.jmor.parallel.events;

import java.util.Map;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import org.jspecify.annotations.Nullable;

/**
 * The Flight Recorder side of the events: one {@link Event} class per event kind, category {@code
 * jmor}, committed only when enabled in a running recording (checked before any field is set).
 */
final class JfrEvents {
  private JfrEvents() {}

  /** One worker's part of a pool call; committed when the part ends. */
  @Name("org.jmor.PoolCall")
  @Label("Pool Call")
  @Category("jmor")
  @Description("One worker's part of a jmor worker-pool call")
  @StackTrace(false)
  static final class CallJfr extends Event {
    @Label("Pool")
    @Nullable String pool;

    @Label("Kind")
    @Nullable String kind;

    @Label("Call Id")
    long callId;

    @Label("Worker")
    int worker;

    @Label("Start (recorder nanos)")
    @Description("When the part was sent, nanoseconds after the recorder's origin")
    long startNanos;

    @Label("Call Duration")
    @Timespan(Timespan.NANOSECONDS)
    long durationNanos;

    @Label("Run Time On Worker")
    @Description("-1 when unknown")
    @Timespan(Timespan.NANOSECONDS)
    long runNanos;

    @Label("Bytes Sent")
    @DataAmount
    long bytesSent;

    @Label("Bytes Received")
    @DataAmount
    long bytesReceived;

    @Label("Outcome")
    @Nullable String outcome;
  }

  /** A worker's state change. */
  @Name("org.jmor.WorkerState")
  @Label("Worker State")
  @Category("jmor")
  @Description("A jmor pool worker started, was lost or closed")
  @StackTrace(false)
  static final class WorkerJfr extends Event {
    @Label("Pool")
    @Nullable String pool;

    @Label("Worker")
    int worker;

    @Label("State")
    @Nullable String state;
  }

  /** An algorithm step, begun when the step starts and committed when it ends. */
  @Name("org.jmor.Step")
  @Label("Algorithm Step")
  @Category("jmor")
  @Description("An algorithm step (greedy extension, error sweep, solve, reduction)")
  @StackTrace(false)
  static final class StepJfr extends Event {
    @Label("Name")
    @Nullable String name;

    @Label("Figures")
    @Description("The step's figures as name=value, comma-separated")
    @Nullable String figures;
  }

  static void call(CallEvent e) {
    CallJfr j = new CallJfr();
    if (!j.isEnabled()) {
      return;
    }
    j.pool = e.pool();
    j.kind = e.kind().name();
    j.callId = e.callId();
    j.worker = e.worker();
    j.startNanos = e.startNanos();
    j.durationNanos = e.durationNanos();
    j.runNanos = e.runNanos();
    j.bytesSent = e.bytesSent();
    j.bytesReceived = e.bytesReceived();
    j.outcome = e.outcome().name();
    j.commit();
  }

  static void worker(WorkerEvent e) {
    WorkerJfr j = new WorkerJfr();
    if (!j.isEnabled()) {
      return;
    }
    j.pool = e.pool();
    j.worker = e.worker();
    j.state = e.state().name();
    j.commit();
  }

  static @Nullable StepJfr beginStep() {
    StepJfr j = new StepJfr();
    if (!j.isEnabled()) {
      return null;
    }
    j.begin();
    return j;
  }

  static void endStep(@Nullable StepJfr j, StepEvent e) {
    if (j == null) {
      return;
    }
    j.end();
    if (!j.shouldCommit()) {
      return;
    }
    j.name = e.name();
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Double> f : e.figures().entrySet()) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(f.getKey()).append('=').append(f.getValue());
    }
    j.figures = b.toString();
    j.commit();
  }
}
