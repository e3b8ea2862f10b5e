package org.jmor.parallel.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How {@link IgnitePools#start} starts a cluster and {@link IgnitePools#connect} joins one (pyMOR's
 * {@code new_ipcluster_pool} arguments and the safe defaults of the nodes). Immutable; the {@code
 * with...} methods return copies.
 */
public final class ClusterOptions {
  private Duration minWait;
  private Duration timeout;
  private String clusterId;
  private Duration failureDetection;
  private long regionBytes;
  private List<String> workerJvmOptions;
  private List<String> allow = List.of();
  private @Nullable ClusterKeyStore keyStore;
  private List<String> addresses = List.of();
  private String bind = "";
  private int workers;
  private boolean tls = true;

  private ClusterOptions(
      Duration minWait,
      Duration timeout,
      String clusterId,
      Duration failureDetection,
      long regionBytes,
      List<String> workerJvmOptions) {
    this.minWait = minWait;
    this.timeout = timeout;
    this.clusterId = clusterId;
    this.failureDetection = failureDetection;
    this.regionBytes = regionBytes;
    this.workerJvmOptions = workerJvmOptions;
  }

  private ClusterOptions copy() {
    ClusterOptions c =
        new ClusterOptions(
            minWait, timeout, clusterId, failureDetection, regionBytes, workerJvmOptions);
    c.allow = allow;
    c.keyStore = keyStore;
    c.addresses = addresses;
    c.bind = bind;
    c.workers = workers;
    c.tls = tls;
    return c;
  }

  /**
   * The defaults: no minimum wait, 60 s timeout, a random cluster id (for {@code start}), failure
   * detection after 4 s, a 32 MiB data region, {@code -Xmx512m -XX:+UseParallelGC} for the workers,
   * no extra allowed classes, a fresh key pair per started cluster, binding to loopback.
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

  /** Returns how long to wait at least before counting the workers (pyMOR's {@code min_wait}). */
  public Duration minWait() {
    return minWait;
  }

  /** Returns how long to wait for every worker to join (pyMOR's {@code timeout}). */
  public Duration timeout() {
    return timeout;
  }

  /** Returns the cluster id, or empty for a fresh random one ({@code start} only). */
  public String clusterId() {
    return clusterId;
  }

  /** Returns after how long without an answer a node counts as failed. */
  public Duration failureDetection() {
    return failureDetection;
  }

  /** Returns the cap of each server node's off-heap data region, in bytes. */
  public long regionBytes() {
    return regionBytes;
  }

  /** Returns the extra options of the worker JVMs that {@code start} launches. */
  public List<String> workerJvmOptions() {
    return workerJvmOptions;
  }

  /**
   * Returns the user's classes that started workers may deserialize besides the library's: {@code
   * com.example.*} (a package and its sub-packages) or full class names.
   */
  public List<String> allow() {
    return allow;
  }

  /**
   * Returns the key store of the cluster: required by {@code connect}; for {@code start}, null
   * means a fresh key pair for the cluster.
   */
  public @Nullable ClusterKeyStore keyStore() {
    return keyStore;
  }

  /**
   * Returns the discovery addresses of the workers that {@code connect} joins ({@code host:port} or
   * {@code host:first..last}).
   */
  public List<String> addresses() {
    return addresses;
  }

  /**
   * Returns the address this JVM's client node binds for {@code connect}; empty: the address of
   * this host that reaches the first worker address (loopback when the workers are on loopback).
   */
  public String bind() {
    return bind;
  }

  /**
   * Returns how many workers {@code connect} waits for; 0: every worker present once {@link
   * #minWait()} has passed (at least one).
   */
  public int workers() {
    return workers;
  }

  /** Returns whether the nodes of a started cluster use mutual TLS (the default). */
  public boolean tls() {
    return tls;
  }

  /**
   * Returns a copy that starts the cluster with or without TLS. Without TLS no key pair is
   * generated and any process that reaches the cluster's loopback ports can join it and run code in
   * it: meant for measurements of TLS's cost, never for shared hosts. {@link IgnitePools#connect}
   * always uses TLS.
   *
   * @param tls whether the nodes use mutual TLS
   * @return the copy
   */
  public ClusterOptions withTls(boolean tls) {
    ClusterOptions c = copy();
    c.tls = tls;
    return c;
  }

  /**
   * Returns a copy with another timeout.
   *
   * @param timeout how long to wait for the workers to join
   * @return the copy
   */
  public ClusterOptions withTimeout(Duration timeout) {
    ClusterOptions c = copy();
    c.timeout = Objects.requireNonNull(timeout, "timeout");
    return c;
  }

  /**
   * Returns a copy with another minimum wait.
   *
   * @param minWait how long to wait at least
   * @return the copy
   */
  public ClusterOptions withMinWait(Duration minWait) {
    ClusterOptions c = copy();
    c.minWait = Objects.requireNonNull(minWait, "minWait");
    return c;
  }

  /**
   * Returns a copy with other worker JVM options.
   *
   * @param options the options, for example {@code -Xmx1g}
   * @return the copy
   */
  public ClusterOptions withWorkerJvmOptions(List<String> options) {
    ClusterOptions c = copy();
    c.workerJvmOptions = List.copyOf(options);
    return c;
  }

  /**
   * Returns a copy with another cluster id.
   *
   * @param clusterId the id: {@code start} gives it to its nodes; {@code connect} uses only workers
   *     of this id (required there)
   * @return the copy
   */
  public ClusterOptions withClusterId(String clusterId) {
    ClusterOptions c = copy();
    c.clusterId = Objects.requireNonNull(clusterId, "clusterId").strip();
    return c;
  }

  /**
   * Returns a copy with another failure-detection timeout.
   *
   * @param failureDetection after how long without an answer a node counts as failed
   * @return the copy
   */
  public ClusterOptions withFailureDetection(Duration failureDetection) {
    ClusterOptions c = copy();
    c.failureDetection = Objects.requireNonNull(failureDetection, "failureDetection");
    return c;
  }

  /**
   * Returns a copy with other allowed classes for started workers.
   *
   * @param allow {@code com.example.*} (package and sub-packages) or full class names
   * @return the copy
   * @throws IllegalArgumentException if an entry is malformed
   */
  public ClusterOptions withAllow(List<String> allow) {
    ClusterOptions c = copy();
    c.allow = ClusterAllowList.parse(String.join(",", allow), "allowed classes");
    return c;
  }

  /**
   * Returns a copy with a key store.
   *
   * @param keyStore the cluster's key store
   * @return the copy
   */
  public ClusterOptions withKeyStore(ClusterKeyStore keyStore) {
    ClusterOptions c = copy();
    c.keyStore = Objects.requireNonNull(keyStore, "keyStore");
    return c;
  }

  /**
   * Returns a copy with the workers' discovery addresses (for {@code connect}).
   *
   * @param addresses {@code host:port} or {@code host:first..last} each
   * @return the copy
   */
  public ClusterOptions withAddresses(List<String> addresses) {
    ClusterOptions c = copy();
    c.addresses = ClusterAddresses.check(addresses, "addresses");
    return c;
  }

  /**
   * Returns a copy with the address that {@code connect} binds.
   *
   * @param bind an address of this host, or empty for the automatic choice
   * @return the copy
   */
  public ClusterOptions withBind(String bind) {
    ClusterOptions c = copy();
    c.bind = Objects.requireNonNull(bind, "bind").strip();
    return c;
  }

  /**
   * Returns a copy with the number of workers that {@code connect} waits for.
   *
   * @param workers the number, or 0 for every worker present after {@link #minWait()}
   * @return the copy
   */
  public ClusterOptions withWorkers(int workers) {
    if (workers < 0) {
      throw new IllegalArgumentException("workers must be >= 0, got " + workers);
    }
    ClusterOptions c = copy();
    c.workers = workers;
    return c;
  }

  /**
   * Returns a copy with another cap of the server nodes' data region.
   *
   * @param regionBytes at least 16 MiB
   * @return the copy
   */
  public ClusterOptions withRegionBytes(long regionBytes) {
    if (regionBytes < (16 << 20)) {
      throw new IllegalArgumentException("regionBytes must be at least 16 MiB, got " + regionBytes);
    }
    ClusterOptions c = copy();
    c.regionBytes = regionBytes;
    return c;
  }

  @Override
  public String toString() {
    return "ClusterOptions[minWait="
        + minWait
        + ", timeout="
        + timeout
        + ", clusterId="
        + clusterId
        + ", failureDetection="
        + failureDetection
        + ", regionBytes="
        + regionBytes
        + ", workerJvmOptions="
        + workerJvmOptions
        + ", allow="
        + allow
        + ", keyStore="
        + keyStore
        + ", addresses="
        + addresses
        + ", bind="
        + bind
        + ", workers="
        + workers
        + ", tls="
        + tls
        + "]";
  }
}
