package org.jmor.dashboard.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.jmor.parallel.events.CallEvent;
import org.jmor.parallel.events.CallKind;
import org.jmor.parallel.events.Outcome;
import org.jmor.parallel.events.RunListener;
import org.jmor.parallel.events.StepEvent;
import org.jmor.parallel.events.WorkerEvent;
import org.jspecify.annotations.Nullable;

/**
 * What the dashboard shows, folded from a recorder's events as they come: the recent slices of the
 * task stream (a bounded ring), per-worker totals and states, the call-latency histogram and the
 * greedy search's maximum error per extension. Thread-safe; the listener methods are quick (a short
 * lock or atomic adds), as {@link RunListener} asks.
 */
public final class RunState implements RunListener {

  /** The lane of the caller: its algorithm steps, and calls with no worker part. */
  public static final String CALLER = "caller";

  /**
   * The greedy search's step: one per extension, with the figures {@code max_error} (over the
   * training set, before extending) and {@code extension} (the extensions done before).
   */
  public static final String GREEDY_STEP = "extension";

  /** Latency bucket lower edges in seconds: 10 µs times 10^(i/4), 4 per decade up to 1000 s. */
  static final double[] EDGES = edges();

  private static final List<Double> EDGE_LIST =
      Arrays.stream(EDGES).boxed().collect(Collectors.toUnmodifiableList());

  private static final int PER_DECADE = 4;
  private static final double FIRST_EDGE = 1e-5;
  private static final long BUSY_NANOS = 1_000_000_000L;

  private final long windowNanos;
  private final LongSupplier nowNanos;

  private final Object ringLock = new Object();
  private final Slice[] ring;
  private long nextSeq = 1; // guarded by ringLock

  private final Map<String, WorkerStats> workers = new ConcurrentHashMap<>();
  private final Map<CallKind, AtomicLongArray> latency = new EnumMap<>(CallKind.class);
  private final LongAdder bytesSent = new LongAdder();
  private final LongAdder bytesReceived = new LongAdder();

  private final Object stepLock = new Object();
  private final List<GreedyPoint> greedy = new ArrayList<>(); // guarded by stepLock
  private @Nullable LastStep lastStep; // guarded by stepLock

  /**
   * Creates an empty state.
   *
   * @param windowNanos how far back the task stream reaches
   * @param capacity the most slices kept
   * @param nowNanos the current time on the recorder's clock (nanoseconds since its origin)
   */
  public RunState(long windowNanos, int capacity, LongSupplier nowNanos) {
    this.windowNanos = windowNanos;
    this.ring = new Slice[capacity];
    this.nowNanos = nowNanos;
    for (CallKind kind : CallKind.values()) {
      latency.put(kind, new AtomicLongArray(EDGES.length));
    }
  }

  @Override
  public void onCall(CallEvent e) {
    String outcome = e.outcome().name();
    if (e.worker() < 0) {
      add(CALLER, e.kind().name(), e.startNanos(), e.endNanos(), outcome, false);
    } else {
      String lane = lane(e.pool(), e.worker());
      add(lane, e.kind().name(), e.startNanos(), e.endNanos(), outcome, false);
      workers
          .computeIfAbsent(lane, l -> new WorkerStats(l, e.pool(), e.worker()))
          .call(e, nowNanos.getAsLong());
    }
    Objects.requireNonNull(latency.get(e.kind()))
        .incrementAndGet(bucket(e.endNanos() - e.startNanos()));
    bytesSent.add(e.bytesSent());
    bytesReceived.add(e.bytesReceived());
  }

  @Override
  public void onStep(StepEvent e) {
    add(CALLER, e.name(), e.startNanos(), e.endNanos(), Outcome.OK.name(), true);
    synchronized (stepLock) {
      lastStep = new LastStep(e.name(), seconds(e.startNanos()), seconds(e.endNanos()));
      Double error = e.figures().get("max_error");
      if (e.name().equals(GREEDY_STEP) && error != null) {
        // the figure counts the extensions done before this one
        Double done = e.figures().get("extension");
        int extension = done != null ? (int) Math.round(done) + 1 : greedy.size() + 1;
        greedy.add(
            new GreedyPoint(
                extension,
                error,
                seconds(e.startNanos()),
                seconds(e.endNanos()),
                new LinkedHashMap<>(e.figures())));
      }
    }
  }

  @Override
  public void onWorker(WorkerEvent e) {
    String lane = lane(e.pool(), e.worker());
    workers
        .computeIfAbsent(lane, l -> new WorkerStats(l, e.pool(), e.worker()))
        .state(e.state().name());
  }

  /**
   * Returns what the page needs: the slices after the given sequence number that still fall in the
   * window (at most {@code maxSlices}, the latest), and all the rest in full.
   *
   * @param afterSeq the last slice the page has, 0 for none
   * @param maxSlices the most slices to include
   * @param full whether the page should replace what it has (true) or add to it
   * @return the update (a fresh object, not shared)
   */
  public Update update(long afterSeq, int maxSlices, boolean full) {
    long now = nowNanos.getAsLong();
    long from = now - windowNanos;
    List<Slice> slices = new ArrayList<>();
    long seq;
    synchronized (ringLock) {
      seq = nextSeq - 1;
      long first = Math.max(Math.max(afterSeq + 1, nextSeq - ring.length), seq - maxSlices + 1);
      first = Math.max(first, 1);
      for (long s = first; s <= seq; s++) {
        Slice slice = ring[(int) (s % ring.length)];
        if (slice != null && slice.endNanos() >= from) {
          slices.add(slice);
        }
      }
    }
    List<WorkerView> views = new ArrayList<>();
    for (WorkerStats w : workers.values()) {
      views.add(w.view(now));
    }
    views.sort(
        (a, b) ->
            a.pool().equals(b.pool()) ? a.worker() - b.worker() : a.pool().compareTo(b.pool()));
    Map<String, long[]> histogram = new LinkedHashMap<>();
    for (CallKind kind : CallKind.values()) {
      AtomicLongArray counts = Objects.requireNonNull(latency.get(kind));
      long[] copy = new long[counts.length()];
      long total = 0;
      for (int i = 0; i < copy.length; i++) {
        copy[i] = counts.get(i);
        total += copy[i];
      }
      if (total > 0) {
        histogram.put(kind.name(), copy);
      }
    }
    List<GreedyPoint> points;
    @Nullable LastStep last;
    synchronized (stepLock) {
      points = List.copyOf(greedy);
      last = lastStep;
    }
    @Nullable Current current = null;
    if (!points.isEmpty()) {
      GreedyPoint p = points.get(points.size() - 1);
      current = new Current(p.extension() + 1, p.end(), seconds(now) - p.end());
    }
    return new Update(
        full ? "full" : "update",
        seq,
        seconds(now),
        seconds(windowNanos),
        slices,
        views,
        bytesSent.sum(),
        bytesReceived.sum(),
        EDGE_LIST,
        histogram,
        points,
        current,
        last);
  }

  private void add(
      String lane, String kind, long startNanos, long endNanos, String outcome, boolean step) {
    synchronized (ringLock) {
      long seq = nextSeq++;
      ring[(int) (seq % ring.length)] =
          new Slice(
              seq, lane, kind, seconds(startNanos), seconds(endNanos), endNanos, outcome, step);
    }
  }

  static String lane(String pool, int worker) {
    return pool + ":" + worker;
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }

  static int bucket(long nanos) {
    double s = nanos / 1e9;
    if (!(s > FIRST_EDGE)) {
      return 0;
    }
    int i = (int) Math.floor(Math.log10(s / FIRST_EDGE) * PER_DECADE);
    return Math.min(Math.max(i, 0), EDGES.length - 1);
  }

  private static double[] edges() {
    double[] e = new double[8 * PER_DECADE + 1];
    for (int i = 0; i < e.length; i++) {
      e[i] = FIRST_EDGE * Math.pow(10, (double) i / PER_DECADE);
    }
    return e;
  }

  /** One worker's totals and state; its methods lock it briefly. */
  private static final class WorkerStats {
    private final String lane;
    private final String pool;
    private final int worker;
    private String state = "STARTED";
    private long tasks;
    private long failed;
    private long busyNanos;
    private long lastEndNanos = Long.MIN_VALUE;
    private long lastSeenNanos = Long.MIN_VALUE;
    private long sent;
    private long received;

    WorkerStats(String lane, String pool, int worker) {
      this.lane = lane;
      this.pool = pool;
      this.worker = worker;
    }

    synchronized void call(CallEvent e, long now) {
      tasks++;
      if (e.outcome() != Outcome.OK) {
        failed++;
      }
      if (e.outcome() == Outcome.LOST) {
        state = "LOST";
      }
      long run = e.runNanos() >= 0 ? e.runNanos() : e.endNanos() - e.startNanos();
      busyNanos += Math.max(run, 0);
      lastEndNanos = Math.max(lastEndNanos, e.endNanos());
      lastSeenNanos = now;
      sent += e.bytesSent();
      received += e.bytesReceived();
    }

    synchronized void state(String s) {
      state = s;
    }

    synchronized WorkerView view(long now) {
      long last = Math.max(lastEndNanos, lastSeenNanos);
      String shown =
          switch (state) {
            case "LOST" -> "lost";
            case "CLOSED" -> "closed";
            default -> last != Long.MIN_VALUE && now - last < BUSY_NANOS ? "busy" : "idle";
          };
      return new WorkerView(
          lane, pool, worker, shown, tasks, failed, seconds(busyNanos), sent, received);
    }
  }

  /**
   * One slice of the task stream: a worker's part of a call, or a step on the caller's lane.
   *
   * @param seq its number, increasing in the order recorded
   * @param lane the lane ({@code pool:worker} or {@link #CALLER})
   * @param kind the call kind or the step name
   * @param start start in seconds since the recorder's origin
   * @param end end in seconds since the recorder's origin
   * @param endNanos end in nanoseconds (not sent)
   * @param outcome the outcome
   * @param step whether it is an algorithm step
   */
  public record Slice(
      long seq,
      String lane,
      String kind,
      double start,
      double end,
      @com.fasterxml.jackson.annotation.JsonIgnore long endNanos,
      String outcome,
      boolean step) {}

  /**
   * A worker as the page shows it.
   *
   * @param lane its lane
   * @param pool its pool's name
   * @param worker its index in the pool
   * @param state busy, idle, lost or closed
   * @param tasks the call parts it ran
   * @param failed the call parts that did not end OK
   * @param busySeconds the time it ran tasks
   * @param bytesSent bytes sent to it
   * @param bytesReceived bytes received from it
   */
  public record WorkerView(
      String lane,
      String pool,
      int worker,
      String state,
      long tasks,
      long failed,
      double busySeconds,
      long bytesSent,
      long bytesReceived) {}

  /**
   * One extension of a greedy search.
   *
   * @param extension its number, from 1 (the step's figure {@code extension} plus one)
   * @param maxError the maximum error (estimate) over the training set
   * @param start its start in seconds since the origin
   * @param end its end in seconds since the origin
   * @param figures all the figures of the step
   */
  public record GreedyPoint(
      int extension, double maxError, double start, double end, Map<String, Double> figures) {}

  /**
   * The greedy step under way.
   *
   * @param extension its number
   * @param since its start (the end of the previous one) in seconds since the origin
   * @param elapsed seconds since it started
   */
  public record Current(int extension, double since, double elapsed) {}

  /**
   * The last step that ended, of any name.
   *
   * @param name its name
   * @param start its start in seconds since the origin
   * @param end its end in seconds since the origin
   */
  public record LastStep(String name, double start, double end) {}

  /**
   * What is pushed to the page.
   *
   * @param type {@code full} (replace) or {@code update} (add slices)
   * @param seq the last slice number covered
   * @param now the time in seconds since the origin
   * @param window the window in seconds
   * @param slices the new slices
   * @param workers the workers
   * @param bytesSent total bytes sent to workers
   * @param bytesReceived total bytes received from workers
   * @param latencyEdges the lower edges of the latency buckets, in seconds
   * @param latency counts per latency bucket, per call kind seen
   * @param greedy the greedy extensions so far
   * @param current the greedy step under way, or null
   * @param lastStep the last step that ended, or null
   */
  public record Update(
      String type,
      long seq,
      double now,
      double window,
      List<Slice> slices,
      List<WorkerView> workers,
      long bytesSent,
      long bytesReceived,
      List<Double> latencyEdges,
      Map<String, long[]> latency,
      List<GreedyPoint> greedy,
      @Nullable Current current,
      @Nullable LastStep lastStep) {}
}
