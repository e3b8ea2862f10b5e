/**
 * Run events: what a pool and the algorithms on it do, recorded for listeners (a trace file, a live
 * dashboard) and for JDK Flight Recorder.
 *
 * <h2>Where to start</h2>
 *
 * <ul>
 *   <li>{@link org.jmor.parallel.events.Recorder}: {@link org.jmor.parallel.events.Recorder#off()}
 *       (the default of every pool, records nothing) or {@link
 *       org.jmor.parallel.events.Recorder#create()}; pass it to a pool with {@code
 *       PoolBuilder.recorder} or {@code ParallelPoolOptions.withRecorder}.
 *   <li>{@link org.jmor.parallel.events.RunListener}: receives {@link
 *       org.jmor.parallel.events.CallEvent}s (one per worker part of a pool call), {@link
 *       org.jmor.parallel.events.StepEvent}s (algorithm steps) and {@link
 *       org.jmor.parallel.events.WorkerEvent}s (worker state changes).
 *   <li>{@link org.jmor.parallel.events.TraceFile}: writes the events of a run in Chrome's Trace
 *       Event Format, which Perfetto and {@code chrome://tracing} open.
 * </ul>
 *
 * <p>Every event of a recorder that is on is also committed as a JDK Flight Recorder event
 * (category {@code jmor}) when a flight recording that enables it runs.
 */
@NullMarked
package org.jmor.parallel.events;

import org.jspecify.annotations.NullMarked;
