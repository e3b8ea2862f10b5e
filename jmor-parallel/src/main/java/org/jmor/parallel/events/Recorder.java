package org.jmor.parallel.events;

/**
 * What a run does, recorded for listeners (a trace file, a dashboard) and for JDK Flight Recorder.
 * Thread-safe: every method may be called from any thread.
 *
 * <p>A pool gets its recorder from {@code PoolBuilder.recorder(Recorder)} or {@code
 * ParallelPoolOptions.withRecorder(Recorder)}; {@code WorkerPool.recorder()} returns it ({@link
 * #off()} by default), so an algorithm that takes a pool records its steps with {@code
 * pool.recorder().step("extension")} and needs no new parameter.
 *
 * <p>Times are nanoseconds of {@link System#nanoTime()} relative to the recorder's origin (the
 * moment it was created), whose wall-clock time is {@link #originEpochMillis()}.
 *
 * <p>Events go to the subscribed listeners on the thread that produced them, in the order that
 * thread produced them; events of different threads are not ordered. Each event is also committed
 * as a JDK Flight Recorder event of category {@code jmor} when a flight recording that enables it
 * runs (checked before anything is built). A recorder that is {@linkplain #off() off} records
 * nothing, not even for Flight Recorder: the pools' hot path then costs one field check.
 */
public interface Recorder {

  /**
   * Returns the recorder that records nothing: {@link #isOn()} is false, {@link #step} returns a
   * no-op step, {@link #record} methods do nothing, {@link #subscribe} adds nothing. A shared
   * constant; allocates nothing.
   *
   * @return the recorder that is off
   */
  static Recorder off() {
    return Recorders.OFF;
  }

  /**
   * Returns a new recorder that is on, with no listeners; its origin is now.
   *
   * @return a new recorder
   */
  static Recorder create() {
    return new Recorders.On();
  }

  /**
   * Returns {@link #create()} if a JDK Flight Recorder recording runs now (for example one started
   * with {@code -XX:StartFlightRecording}), else {@link #off()}; so that a flight recording shows
   * the jmor events without any other option. Never starts Flight Recorder itself.
   *
   * @return a recorder that is on when Flight Recorder records, else the recorder that is off
   */
  static Recorder forFlightRecording() {
    return Recorders.flightRecording() ? create() : off();
  }

  /**
   * Returns whether this recorder records.
   *
   * @return false only for {@link #off()}
   */
  boolean isOn();

  /**
   * Returns the wall-clock time (epoch milliseconds) of this recorder's origin: the nanos of every
   * event are relative to it.
   *
   * @return the origin's epoch milliseconds
   */
  long originEpochMillis();

  /**
   * Returns the time now on this recorder's clock: {@link System#nanoTime()} minus the origin.
   *
   * @return nanoseconds since the origin
   */
  long nanos();

  /**
   * Adds a listener. Events are delivered on the thread that produced them; listeners must be quick
   * and thread-safe (see {@link RunListener}). Events recorded before the subscription are not
   * replayed. Closing the returned handle removes the listener (idempotent, never throws).
   *
   * @param listener the listener
   * @return the handle that removes it
   * @throws NullPointerException if {@code listener} is null
   */
  AutoCloseable subscribe(RunListener listener);

  /**
   * Starts an algorithm step on the caller's track (for example {@code "extension"}, {@code
   * "sweep"}, {@code "solve"}, {@code "reduce"}); its {@link Step#close()} ends it and emits a
   * {@link StepEvent} with the figures added meanwhile. Use it in try-with-resources. Steps may
   * nest (a solve inside an extension).
   *
   * @param name the step's name
   * @return the step (a shared no-op step when off)
   * @throws NullPointerException if {@code name} is null
   */
  Step step(String name);

  /**
   * Records one worker's part of a pool call (the pools call this; algorithms use {@link #step}).
   * Delivers it to every listener and to Flight Recorder. Does nothing when off.
   *
   * @param event the event
   * @throws NullPointerException if {@code event} is null
   */
  void record(CallEvent event);

  /**
   * Records a worker's state change (the pools call this). Does nothing when off.
   *
   * @param event the event
   * @throws NullPointerException if {@code event} is null
   */
  void record(WorkerEvent event);

  /** An algorithm step that is running; see {@link Recorder#step}. Thread-safe. */
  interface Step extends AutoCloseable {
    /**
     * Adds a figure to this step (for example {@code "max_error"}, {@code "training_set_size"},
     * {@code "extension"}); a figure added again replaces the earlier value. Figures added after
     * {@link #close()} are ignored.
     *
     * @param name the figure's name
     * @param value its value
     * @return this step
     * @throws NullPointerException if {@code name} is null
     */
    Step figure(String name, double value);

    /** Ends the step and emits its {@link StepEvent}; idempotent, never throws. */
    @Override
    void close();
  }
}
