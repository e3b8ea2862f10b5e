/**
 * A live dashboard of a run in the browser: {@link org.jmor.dashboard.Dashboard#start(
 * org.jmor.parallel.WorkerPool)} serves one page that shows, updated live by server-sent events,
 * the task stream per worker, the workers' states, the bytes moved, the call-latency histogram and
 * a greedy search's maximum error per extension. It reads the events of a {@link
 * org.jmor.parallel.events.Recorder}; it binds to the loopback address by default and needs a
 * random token on every request.
 */
@NullMarked
package org.jmor.dashboard;

import org.jspecify.annotations.NullMarked;
