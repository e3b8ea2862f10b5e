package org.jmor.parallel.events;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The implementations of {@link Recorder}. */
final class Recorders {
  private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);

  static final Recorder OFF = new Off();

  private Recorders() {}

  /** Whether Flight Recorder is initialized and a recording runs; never initializes it. */
  static boolean flightRecording() {
    try {
      if (!jdk.jfr.FlightRecorder.isAvailable() || !jdk.jfr.FlightRecorder.isInitialized()) {
        return false;
      }
      for (jdk.jfr.Recording r : jdk.jfr.FlightRecorder.getFlightRecorder().getRecordings()) {
        if (r.getState() == jdk.jfr.RecordingState.RUNNING) {
          return true;
        }
      }
      return false;
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static final class Off implements Recorder {
    private static final AutoCloseable NOTHING = () -> {};

    @Override
    public boolean isOn() {
      return false;
    }

    @Override
    public long originEpochMillis() {
      return 0;
    }

    @Override
    public long nanos() {
      return 0;
    }

    @Override
    public AutoCloseable subscribe(RunListener listener) {
      Objects.requireNonNull(listener, "listener");
      return NOTHING;
    }

    @Override
    public Step step(String name) {
      Objects.requireNonNull(name, "name");
      return NoStep.INSTANCE;
    }

    @Override
    public void record(CallEvent event) {
      Objects.requireNonNull(event, "event");
    }

    @Override
    public void record(WorkerEvent event) {
      Objects.requireNonNull(event, "event");
    }

    @Override
    public String toString() {
      return "Recorder.off()";
    }
  }

  private static final class NoStep implements Recorder.Step {
    static final NoStep INSTANCE = new NoStep();

    @Override
    public Recorder.Step figure(String name, double value) {
      Objects.requireNonNull(name, "name");
      return this;
    }

    @Override
    public void close() {}
  }

  static final class On implements Recorder {
    private final long originNanos = System.nanoTime();
    private final long originMillis = System.currentTimeMillis();
    private final CopyOnWriteArrayList<RunListener> listeners = new CopyOnWriteArrayList<>();

    @Override
    public boolean isOn() {
      return true;
    }

    @Override
    public long originEpochMillis() {
      return originMillis;
    }

    @Override
    public long nanos() {
      return System.nanoTime() - originNanos;
    }

    @Override
    public AutoCloseable subscribe(RunListener listener) {
      Objects.requireNonNull(listener, "listener");
      Subscription s = new Subscription(listener);
      listeners.add(s);
      return s::close;
    }

    /** A subscribed listener, removed by identity (a listener may be subscribed twice). */
    private final class Subscription implements RunListener {
      private final RunListener listener;

      Subscription(RunListener listener) {
        this.listener = listener;
      }

      void close() {
        listeners.remove(this);
      }

      @Override
      public void onCall(CallEvent e) {
        listener.onCall(e);
      }

      @Override
      public void onStep(StepEvent e) {
        listener.onStep(e);
      }

      @Override
      public void onWorker(WorkerEvent e) {
        listener.onWorker(e);
      }
    }

    @Override
    public Step step(String name) {
      Objects.requireNonNull(name, "name");
      return new OnStep(this, name);
    }

    @Override
    public void record(CallEvent event) {
      Objects.requireNonNull(event, "event");
      JfrEvents.call(event);
      for (RunListener l : listeners) {
        try {
          l.onCall(event);
        } catch (RuntimeException e) {
          LOG.warn("run listener {} failed on a call event: {}", l, e.toString());
        }
      }
    }

    @Override
    public void record(WorkerEvent event) {
      Objects.requireNonNull(event, "event");
      JfrEvents.worker(event);
      for (RunListener l : listeners) {
        try {
          l.onWorker(event);
        } catch (RuntimeException e) {
          LOG.warn("run listener {} failed on a worker event: {}", l, e.toString());
        }
      }
    }

    void record(StepEvent event) {
      for (RunListener l : listeners) {
        try {
          l.onStep(event);
        } catch (RuntimeException e) {
          LOG.warn("run listener {} failed on a step event: {}", l, e.toString());
        }
      }
    }

    @Override
    public String toString() {
      return "Recorder[" + listeners.size() + " listeners]";
    }
  }

  private static final class OnStep implements Recorder.Step {
    private final On recorder;
    private final String name;
    private final long start;
    private final Map<String, Double> figures = new LinkedHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final JfrEvents.@org.jspecify.annotations.Nullable StepJfr jfr;

    OnStep(On recorder, String name) {
      this.recorder = recorder;
      this.name = name;
      this.jfr = JfrEvents.beginStep();
      this.start = recorder.nanos();
    }

    @Override
    public Recorder.Step figure(String figure, double value) {
      Objects.requireNonNull(figure, "name");
      synchronized (figures) {
        if (!closed.get()) {
          figures.put(figure, value);
        }
      }
      return this;
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      long end = recorder.nanos();
      StepEvent e;
      synchronized (figures) {
        e = new StepEvent(name, start, Math.max(start, end), figures);
      }
      JfrEvents.endStep(jfr, e);
      recorder.record(e);
    }
  }
}
