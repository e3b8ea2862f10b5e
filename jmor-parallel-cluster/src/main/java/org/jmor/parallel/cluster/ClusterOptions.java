package org.jmor.parallel.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How {@link IgnitePools#start} starts a cluster (pyMOR's {@code new_ipcluster_pool} arguments and
 * the safe defaults of the nodes). Immutable; the {@code with...} methods return copies.
 *
 * @param minWait how long to wait at least before counting the workers (pyMOR's {@code min_wait})
 * @param timeout how long to wait for every worker to join (pyMOR's {@code timeout})
 * @param clusterId the cluster id, or empty for a fresh random one
 * @param failureDetection after how long without an answer a node counts as failed
 * @param regionBytes the cap of each server node's off-heap data region
 * @param workerJvmOptions extra options of the worker JVMs (for example {@code -Xmx1g})
 */
public record ClusterOptions(
    Duration minWait,
    Duration timeout,
    String clusterId,
    Duration failureDetection,
    long regionBytes,
    List<String> workerJvmOptions) {

  /** Checks and copies the arguments. */
  public ClusterOptions {
    Objects.requireNonNull(minWait, "minWait");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(failureDetection, "failureDetection");
    workerJvmOptions = List.copyOf(workerJvmOptions);
    if (regionBytes < (16 << 20)) {
      throw new IllegalArgumentException("regionBytes must be at least 16 MiB, got " + regionBytes);
    }
  }

  /**
   * The defaults: no minimum wait, 60 s timeout, a random cluster id, failure detection after 4 s,
   * a 32 MiB data region, {@code -Xmx512m -XX:+UseParallelGC} for the workers.
   *
   * @return the defaults
   */
  public static ClusterOptions defaults() {
    return new ClusterOptions(
        Duration.ZERO,
        Duration.ofSeconds(60),
        "",
        Duration.ofSeconds(4),
        32L << 20,
        List.of("-Xmx512m", "-XX:+UseParallelGC"));
  }

  /**
   * Returns a copy with another timeout.
   *
   * @param timeout how long to wait for the workers to join
   * @return the copy
   */
  public ClusterOptions withTimeout(Duration timeout) {
    return new ClusterOptions(
        minWait, timeout, clusterId, failureDetection, regionBytes, workerJvmOptions);
  }

  /**
   * Returns a copy with another minimum wait.
   *
   * @param minWait how long to wait at least
   * @return the copy
   */
  public ClusterOptions withMinWait(Duration minWait) {
    return new ClusterOptions(
        minWait, timeout, clusterId, failureDetection, regionBytes, workerJvmOptions);
  }

  /**
   * Returns a copy with other worker JVM options.
   *
   * @param options the options, for example {@code -Xmx1g}
   * @return the copy
   */
  public ClusterOptions withWorkerJvmOptions(List<String> options) {
    return new ClusterOptions(minWait, timeout, clusterId, failureDetection, regionBytes, options);
  }
}
