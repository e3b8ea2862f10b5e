package org.jmor.parallel.events;

/**
 * Receives the events of a {@link Recorder} (see {@link Recorder#subscribe}). Every method is
 * called on the thread that produced the event (a caller's thread, a worker lane's or a transport's
 * thread), possibly from several threads at once: implementations must be thread-safe and quick,
 * and must not call the pool. An exception thrown by a listener is logged and otherwise ignored.
 * The default methods do nothing.
 */
public interface RunListener {
  /**
   * One worker's part of a pool call ended.
   *
   * @param e the event
   */
  default void onCall(CallEvent e) {}

  /**
   * An algorithm step ended.
   *
   * @param e the event
   */
  default void onStep(StepEvent e) {}

  /**
   * A worker changed its state.
   *
   * @param e the event
   */
  default void onWorker(WorkerEvent e) {}
}
