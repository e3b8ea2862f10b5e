/**
 * Worker pools on an Apache Ignite 2.17 cluster (pyMOR's {@code IPythonPool} and {@code
 * new_ipcluster_pool}): worker JVMs are Ignite server nodes, each running the core's {@link
 * org.jmor.parallel.spi.WorkerRuntime} per pool; the driver is a thick client node that moves the
 * core's frames to them as byte arrays over {@code IgniteMessaging}.
 *
 * <p>Start a cluster with {@link org.jmor.parallel.cluster.IgnitePools#start}, or let the factory
 * start one ({@code jmor.pool=cluster:2}). Every Ignite JVM on Java 17 needs the flags of {@link
 * org.jmor.parallel.cluster.IgniteFlags#FLAGS}.
 */
@NullMarked
package org.jmor.parallel.cluster;

import org.jspecify.annotations.NullMarked;
