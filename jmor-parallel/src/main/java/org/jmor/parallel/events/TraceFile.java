package org.jmor.parallel.events;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Writes the events of a run in Chrome's Trace Event Format (the JSON object form {@code
 * {"traceEvents": [...], "displayTimeUnit": "ms"}}), which Perfetto ({@code ui.perfetto.dev}) and
 * {@code chrome://tracing} open.
 *
 * <pre>{@code
 * Recorder recorder = Recorder.create();
 * try (TraceFile trace = TraceFile.writeTo(recorder, Path.of("run.json"));
 *     WorkerPool pool = WorkerPools.builder().backend("threads:2").recorder(recorder).build()) {
 *   ...
 * } // the pool closes first, then the file is written
 * }</pre>
 *
 * <h2>Layout</h2>
 *
 * One process (the run) with one thread track per worker of each pool (named {@code "<pool> worker
 * <i>"}) and a {@code "caller"} track. On the caller track: each pool call as a whole (from its
 * first send to its last reply, named after its kind) and the algorithm steps, with their figures
 * as arguments. On a worker track: the worker's part of each call, with the arguments {@code kind},
 * {@code callId}, {@code bytesSent}, {@code bytesReceived}, {@code outcome} and {@code runNanos};
 * when the run time on the worker is known, the slice covers the last {@code runNanos} before the
 * reply arrived (about when the worker ran the task), else the whole part from send to reply. Flow
 * arrows lead from each call on the caller track to its parts on the workers' tracks. Worker state
 * changes are instant events on the worker's track. Slices that do not nest on one track (calls
 * overlapping in time, for example asynchronous ones) go to an extra track of the same name with a
 * suffix {@code " (2)"}, {@code " (3)"}, ... Timestamps are microseconds since the recorder's
 * origin; the origin's wall-clock time is in the {@code "metadata"} object.
 *
 * <p>Events are kept in memory until {@link #close()} (about 100 bytes per worker part of a call).
 * Thread-safe.
 */
public final class TraceFile implements AutoCloseable {
  private final Recorder recorder;
  private final Path file;
  private final AutoCloseable subscription;
  private final ConcurrentLinkedQueue<Object> events = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private TraceFile(Recorder recorder, Path file) {
    this.recorder = recorder;
    this.file = file;
    this.subscription =
        recorder.subscribe(
            new RunListener() {
              @Override
              public void onCall(CallEvent e) {
                events.add(e);
              }

              @Override
              public void onStep(StepEvent e) {
                events.add(e);
              }

              @Override
              public void onWorker(WorkerEvent e) {
                events.add(e);
              }
            });
  }

  /**
   * Subscribes to {@code recorder} and returns the trace file that {@link #close()} writes to
   * {@code file} (replacing it). Events recorded before this call are not in the file. The file is
   * not touched until then.
   *
   * @param recorder the recorder, which must be on
   * @param file the file to write
   * @return the trace file, collecting events from now on
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the recorder is {@linkplain Recorder#off() off}
   */
  public static TraceFile writeTo(Recorder recorder, Path file) {
    Objects.requireNonNull(recorder, "recorder");
    Objects.requireNonNull(file, "file");
    if (!recorder.isOn()) {
      throw new IllegalArgumentException(
          "cannot write a trace file of Recorder.off(); use Recorder.create()");
    }
    return new TraceFile(recorder, file);
  }

  /** Returns the file that {@link #close()} writes. */
  public Path file() {
    return file;
  }

  /**
   * Stops collecting and writes the file (through a temporary file in the same directory, moved
   * into place, so a reader never sees half a file). Idempotent: a second call does nothing.
   *
   * @throws IOException if the file cannot be written
   */
  @Override
  public void close() throws IOException {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      subscription.close();
    } catch (Exception e) {
      // the recorder's handle never throws
    }
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path tmp =
        Files.createTempFile(
            dir != null ? dir : Path.of("."), "." + file.getFileName() + "-", ".tmp");
    try {
      try (Writer w = new BufferedWriter(Files.newBufferedWriter(tmp, StandardCharsets.UTF_8))) {
        write(new ArrayList<>(events), recorder.originEpochMillis(), w);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static final int PID = 1;
  private static final int CALLER_TID = 1;

  /** A slice before its track is chosen. */
  private static final class Slice {
    final String track; // the base track's key
    final String name;
    final long start;
    final long end;
    final Map<String, Object> args;
    int tid;
    long flow = -1; // a flow's id ending here ("f"), or -1
    final List<Long> flowsOut = new ArrayList<>(1); // flows starting here ("s")

    Slice(String track, String name, long start, long end, Map<String, Object> args) {
      this.track = track;
      this.name = name;
      this.start = start;
      this.end = Math.max(start, end);
      this.args = args;
    }
  }

  /** A base track and its overflow lanes; each lane a stack of open slices. */
  private static final class Track {
    final String name;
    final int sortIndex;
    final List<List<Slice>> lanes = new ArrayList<>();
    final List<Integer> tids = new ArrayList<>();

    Track(String name, int sortIndex) {
      this.name = name;
      this.sortIndex = sortIndex;
    }
  }

  static void write(List<Object> events, long originMillis, Writer w) throws IOException {
    Map<String, Track> tracks = new LinkedHashMap<>();
    tracks.put("caller", new Track("caller", 0));
    List<Slice> slices = new ArrayList<>();
    List<WorkerEvent> states = new ArrayList<>();
    Map<String, Slice> calls = new LinkedHashMap<>();
    Map<String, List<Slice>> parts = new LinkedHashMap<>();
    // workers first seen in their pool's order, so that the tracks are sorted by pool and index
    List<Object> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparingLong(TraceFile::startOf));
    for (Object o : sorted) {
      if (o instanceof CallEvent) {
        CallEvent e = (CallEvent) o;
        String callKey = e.pool() + "#" + e.callId();
        Slice whole = calls.get(callKey);
        String kind = e.kind().name().toLowerCase(Locale.ROOT);
        if (whole == null) {
          Map<String, Object> args = new LinkedHashMap<>();
          args.put("pool", e.pool());
          args.put("kind", kind);
          args.put("callId", e.callId());
          args.put("workers", 0L);
          args.put("bytesSent", 0L);
          args.put("bytesReceived", 0L);
          args.put("outcome", e.outcome().name().toLowerCase(Locale.ROOT));
          whole = new Slice("caller", kind, e.startNanos(), e.endNanos(), args);
          calls.put(callKey, whole);
        } else {
          Slice wider =
              new Slice(
                  "caller",
                  kind,
                  Math.min(whole.start, e.startNanos()),
                  Math.max(whole.end, e.endNanos()),
                  whole.args);
          calls.put(callKey, wider);
          whole = wider;
        }
        if (e.outcome() != Outcome.OK) {
          whole.args.put("outcome", e.outcome().name().toLowerCase(Locale.ROOT));
        }
        if (e.worker() < 0) {
          continue;
        }
        add(whole.args, "workers", 1);
        add(whole.args, "bytesSent", e.bytesSent());
        add(whole.args, "bytesReceived", e.bytesReceived());
        String key = workerTrack(tracks, e.pool(), e.worker());
        long start = e.startNanos();
        if (e.runNanos() >= 0 && e.runNanos() <= e.durationNanos()) {
          start = e.endNanos() - e.runNanos();
        }
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("kind", kind);
        args.put("callId", e.callId());
        args.put("bytesSent", e.bytesSent());
        args.put("bytesReceived", e.bytesReceived());
        args.put("outcome", e.outcome().name().toLowerCase(Locale.ROOT));
        args.put("runNanos", e.runNanos());
        args.put("sentToReplyNanos", e.durationNanos());
        Slice part = new Slice(key, kind, start, e.endNanos(), args);
        parts.computeIfAbsent(callKey, k -> new ArrayList<>()).add(part);
        slices.add(part);
      } else if (o instanceof StepEvent) {
        StepEvent e = (StepEvent) o;
        Map<String, Object> args = new LinkedHashMap<>();
        for (Map.Entry<String, Double> f : e.figures().entrySet()) {
          args.put(f.getKey(), f.getValue());
        }
        slices.add(new Slice("caller", e.name(), e.startNanos(), e.endNanos(), args));
      } else if (o instanceof WorkerEvent) {
        WorkerEvent e = (WorkerEvent) o;
        workerTrack(tracks, e.pool(), e.worker());
        states.add(e);
      }
    }
    long flowId = 1;
    for (Map.Entry<String, Slice> c : calls.entrySet()) {
      Slice whole = c.getValue();
      slices.add(whole);
      for (Slice part : parts.getOrDefault(c.getKey(), List.of())) {
        whole.flowsOut.add(flowId);
        part.flow = flowId++;
      }
    }
    int[] nextTid = {CALLER_TID + 1};
    for (Track t : tracks.values()) {
      t.lanes.add(new ArrayList<>());
      t.tids.add(t.name.equals("caller") ? CALLER_TID : nextTid[0]++);
    }
    // place slices on lanes so that each lane's slices nest: by start, the longer first
    slices.sort(Comparator.<Slice>comparingLong(s -> s.start).thenComparingLong(s -> -s.end));
    for (Slice s : slices) {
      Track t = Objects.requireNonNull(tracks.get(s.track));
      int lane = 0;
      while (true) {
        if (lane == t.lanes.size()) {
          t.lanes.add(new ArrayList<>());
          t.tids.add(nextTid[0]++);
        }
        List<Slice> stack = t.lanes.get(lane);
        while (!stack.isEmpty() && stack.get(stack.size() - 1).end <= s.start) {
          stack.remove(stack.size() - 1);
        }
        if (stack.isEmpty() || stack.get(stack.size() - 1).end >= s.end) {
          stack.add(s);
          s.tid = t.tids.get(lane);
          break;
        }
        lane++;
      }
    }
    Map<String, Integer> firstTid = new LinkedHashMap<>();
    for (Map.Entry<String, Track> t : tracks.entrySet()) {
      firstTid.put(t.getKey(), t.getValue().tids.get(0));
    }

    // the events, by time (so every track's timestamps ascend), metadata first
    List<Json> out = new ArrayList<>();
    Json.Obj meta = Json.obj().put("name", "process_name").put("ph", "M").put("pid", PID);
    out.add(meta.put("tid", 0).put("args", Json.obj().put("name", "jmor run")));
    for (Track t : tracks.values()) {
      for (int lane = 0; lane < t.tids.size(); lane++) {
        int tid = t.tids.get(lane);
        String name = lane == 0 ? t.name : t.name + " (" + (lane + 1) + ")";
        out.add(
            Json.obj()
                .put("name", "thread_name")
                .put("ph", "M")
                .put("pid", PID)
                .put("tid", tid)
                .put("args", Json.obj().put("name", name)));
        out.add(
            Json.obj()
                .put("name", "thread_sort_index")
                .put("ph", "M")
                .put("pid", PID)
                .put("tid", tid)
                .put("args", Json.obj().put("sort_index", t.sortIndex * 100 + lane)));
      }
    }
    List<Timed> timed = new ArrayList<>();
    for (Slice s : slices) {
      Json.Obj args = Json.obj();
      for (Map.Entry<String, Object> a : s.args.entrySet()) {
        args.put(a.getKey(), a.getValue());
      }
      timed.add(
          new Timed(
              s.start,
              0,
              Json.obj()
                  .put("name", s.name)
                  .put("cat", s.track.equals("caller") ? "caller" : "worker")
                  .put("ph", "X")
                  .put("ts", micros(s.start))
                  .put("dur", micros(s.end - s.start))
                  .put("pid", PID)
                  .put("tid", s.tid)
                  .put("args", args)));
      for (long id : s.flowsOut) {
        timed.add(
            new Timed(
                s.start,
                1,
                Json.obj()
                    .put("name", "transfer")
                    .put("cat", "transfer")
                    .put("ph", "s")
                    .put("id", id)
                    .put("ts", micros(s.start))
                    .put("pid", PID)
                    .put("tid", s.tid)));
      }
      if (s.flow >= 0) {
        timed.add(
            new Timed(
                s.start,
                1,
                Json.obj()
                    .put("name", "transfer")
                    .put("cat", "transfer")
                    .put("ph", "f")
                    .put("bp", "e")
                    .put("id", s.flow)
                    .put("ts", micros(s.start))
                    .put("pid", PID)
                    .put("tid", s.tid)));
      }
    }
    for (WorkerEvent e : states) {
      timed.add(
          new Timed(
              e.nanos(),
              2,
              Json.obj()
                  .put("name", e.state().name().toLowerCase(Locale.ROOT))
                  .put("cat", "worker")
                  .put("ph", "i")
                  .put("s", "t")
                  .put("ts", micros(e.nanos()))
                  .put("pid", PID)
                  .put("tid", firstTid.get(trackKey(e.pool(), e.worker())))));
    }
    timed.sort(Comparator.<Timed>comparingLong(t -> t.nanos).thenComparingInt(t -> t.order));
    for (Timed t : timed) {
      out.add(t.json);
    }
    w.write("{\"traceEvents\":[\n");
    for (int i = 0; i < out.size(); i++) {
      out.get(i).write(w);
      w.write(i + 1 < out.size() ? ",\n" : "\n");
    }
    w.write("],\"displayTimeUnit\":\"ms\",\"metadata\":");
    Json.obj()
        .put("producer", "jmor")
        .put("originEpochMillis", originMillis)
        .put("timeUnit", "microseconds since originEpochMillis")
        .write(w);
    w.write("}\n");
  }

  private static final class Timed {
    final long nanos;
    final int order;
    final Json json;

    Timed(long nanos, int order, Json json) {
      this.nanos = nanos;
      this.order = order;
      this.json = json;
    }
  }

  private static void add(Map<String, Object> args, String key, long value) {
    args.merge(key, value, (a, b) -> (Long) a + (Long) b);
  }

  private static long startOf(Object o) {
    if (o instanceof CallEvent) {
      return ((CallEvent) o).startNanos();
    }
    if (o instanceof StepEvent) {
      return ((StepEvent) o).startNanos();
    }
    return ((WorkerEvent) o).nanos();
  }

  private static String trackKey(String pool, int worker) {
    return pool + " worker " + worker;
  }

  private static String workerTrack(Map<String, Track> tracks, String pool, int worker) {
    String key = trackKey(pool, worker);
    tracks.computeIfAbsent(key, k -> new Track(k, tracks.size()));
    return key;
  }

  private static double micros(long nanos) {
    return nanos / 1000.0;
  }

  /** A tiny JSON writer: objects of strings, numbers, booleans and nested objects. */
  private interface Json {
    void write(Writer w) throws IOException;

    static Obj obj() {
      return new Obj();
    }

    final class Obj implements Json {
      private final Map<String, @Nullable Object> fields = new LinkedHashMap<>();

      Obj put(String key, @Nullable Object value) {
        fields.put(key, value);
        return this;
      }

      @Override
      public void write(Writer w) throws IOException {
        w.write('{');
        boolean first = true;
        for (Map.Entry<String, @Nullable Object> f : fields.entrySet()) {
          if (!first) {
            w.write(',');
          }
          first = false;
          string(f.getKey(), w);
          w.write(':');
          value(f.getValue(), w);
        }
        w.write('}');
      }
    }

    static void value(@Nullable Object v, Writer w) throws IOException {
      if (v == null) {
        w.write("null");
      } else if (v instanceof Json) {
        ((Json) v).write(w);
      } else if (v instanceof Boolean) {
        w.write(v.toString());
      } else if (v instanceof Double || v instanceof Float) {
        double d = ((Number) v).doubleValue();
        if (Double.isFinite(d)) {
          w.write(
              d == Math.rint(d) && Math.abs(d) < 1e15
                  ? Long.toString((long) d)
                  : Double.toString(d));
        } else {
          string(Double.toString(d), w); // JSON has no NaN or infinity
        }
      } else if (v instanceof Number) {
        w.write(v.toString());
      } else {
        string(v.toString(), w);
      }
    }

    static void string(String s, Writer w) throws IOException {
      w.write('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"':
            w.write("\\\"");
            break;
          case '\\':
            w.write("\\\\");
            break;
          case '\n':
            w.write("\\n");
            break;
          case '\r':
            w.write("\\r");
            break;
          case '\t':
            w.write("\\t");
            break;
          default:
            if (c < 0x20) {
              w.write(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
              w.write(c);
            }
        }
      }
      w.write('"');
    }
  }
}
