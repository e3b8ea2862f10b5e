/**
 * The {@code processes} backend: worker JVMs on this host over plain JDK loopback sockets, for code
 * that must not share the caller's JVM (native libraries that are not thread-safe, memory
 * isolation, a crash that must not take the caller down) without an engine's weight. One host only:
 * it is not a distributed backend (more hosts: the {@code cluster} pool).
 *
 * <p>Use it by name: {@code jmor.pool=processes:N} (or {@code --pool processes:N}); {@code
 * processes} alone starts one worker per available processor. {@link
 * org.jmor.parallel.processes.ProcessesProvider} lists its keys. It is written with the backend kit
 * of {@link org.jmor.parallel.spi} only: {@link org.jmor.parallel.processes.ProcessesTransport} on
 * the caller's side and {@link org.jmor.parallel.processes.ProcessWorkerMain} in each worker.
 */
@NullMarked
package org.jmor.parallel.processes;

import org.jspecify.annotations.NullMarked;
