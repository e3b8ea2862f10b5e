package org.jmor.parallel.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ignite.Ignite;
import org.jmor.parallel.spi.Transport;
import org.jmor.parallel.spi.WorkerProcesses;
import org.jspecify.annotations.Nullable;

/**
 * A running cluster of worker JVMs started by {@link IgnitePools#start} and this JVM's client node
 * in it. Several pools can run on it at once ({@link #openPool}), each with its own objects on
 * every worker. {@link #close()} stops every worker JVM and leaves no process; a shutdown hook does
 * the same when the JVM ends, and a worker whose launcher died ends by itself (its standard input
 * closes).
 */
public final class IgniteCluster implements AutoCloseable {
  private static final Map<String, IgniteCluster> RUNNING = new ConcurrentHashMap<>();

  private final String id;
  private final @Nullable WorkerProcesses processes;
  private final ClusterResources resources;
  private final AtomicLong poolIds = new AtomicLong();
  private final Set<ClusterTransport> transports = ConcurrentHashMap.newKeySet();
  private volatile @Nullable Ignite driver;
  private volatile UUID[] workerNodes = new UUID[0];
  private volatile boolean closed;

  /**
   * A cluster on what {@code resources} holds (its worker JVMs, if this JVM started them); its
   * shutdown hook is theirs ({@link ClusterResources#register}).
   */
  IgniteCluster(String id, ClusterResources resources) {
    this.id = id;
    this.resources = resources;
    this.processes = resources.processes();
    // the first cluster of an id in this JVM is the one that jmor.cluster.id names
    RUNNING.putIfAbsent(id, this);
    WorkerProcesses p = processes;
    if (p != null) {
      p.onExit(
          (worker, why) -> {
            if (!closed) {
              transports.forEach(t -> t.workerLost(worker, why));
            }
          });
    }
  }

  /** The client node, as soon as it runs (so that {@link #close()} stops it). */
  synchronized void driver(Ignite driver) {
    this.driver = driver;
  }

  synchronized void connected(Ignite driver, UUID[] workerNodes) {
    this.driver = driver;
    this.workerNodes = workerNodes.clone();
  }

  /**
   * This JVM's client node in the cluster ({@link IgniteAccess}, tests of this package); or null.
   */
  @Nullable Ignite driver() {
    return driver;
  }

  /** The Ignite node id of a worker ({@link IgniteAccess}, tests of this package). */
  UUID workerNode(int worker) {
    return workerNodes[worker];
  }

  /**
   * Returns the running cluster of that id started in this JVM.
   *
   * @param id a cluster id
   * @return the cluster, or null
   */
  static @Nullable IgniteCluster running(String id) {
    IgniteCluster c = RUNNING.get(id);
    return c == null || c.closed ? null : c;
  }

  /** Returns the cluster id (the value of the node attribute {@code jmor.cluster.id}). */
  public String id() {
    return id;
  }

  /** Returns the number of workers. */
  public int size() {
    return workerNodes.length;
  }

  /** Returns whether this JVM started the workers ({@link IgnitePools#start}). */
  public boolean startedHere() {
    return processes != null;
  }

  /**
   * Returns the process id of a worker's JVM.
   *
   * @param worker the worker index
   * @return the process id
   * @throws IllegalStateException if the workers run elsewhere ({@link IgnitePools#connect})
   */
  public long pid(int worker) {
    if (processes == null) {
      throw new IllegalStateException(
          "the workers of cluster " + id + " were started elsewhere: no process id here");
    }
    return processes.process(worker).pid();
  }

  /** Returns whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Opens a pool on every worker of this cluster: a transport for the core (see {@link
   * org.jmor.parallel.WorkerPools}). Closing it leaves the cluster running.
   *
   * @param seed the pool seed (unused: the core's open-pool frames carry it to the workers)
   * @return the transport
   */
  public Transport openPool(long seed) {
    return openPool(false);
  }

  synchronized ClusterTransport openPool(boolean ownsCluster) {
    Ignite ignite = driver;
    if (closed || ignite == null) {
      throw new IllegalStateException("the cluster " + id + " is closed");
    }
    ClusterTransport t =
        new ClusterTransport(this, ignite, workerNodes, poolIds.incrementAndGet(), ownsCluster);
    transports.add(t);
    for (int i = 0; processes != null && i < processes.size(); i++) {
      Process p = processes.process(i);
      if (!p.isAlive()) {
        t.workerLost(i, "its process " + p.pid() + " has ended");
      }
    }
    return t;
  }

  void transportClosed(ClusterTransport t) {
    transports.remove(t);
  }

  /**
   * Stops the client node and every worker JVM this JVM started, within about 10 s, and deletes the
   * generated key store and the logs. A connected cluster's workers keep running. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    RUNNING.remove(id, this);
    for (ClusterTransport t : List.copyOf(transports)) {
      t.close(Duration.ZERO);
    }
    // stops the client node, then the worker JVMs; deletes the key store and the directory
    resources.end(false);
  }

  /** The last lines of each worker's log, for error messages. */
  String logTails() {
    List<String> out = new ArrayList<>();
    for (int i = 0; processes != null && i < processes.size(); i++) {
      String tail = processes.lastLines(i, 5);
      if (!tail.isEmpty()) {
        out.add("worker " + i + ": " + tail.replace("\n", "\n  "));
      }
    }
    return String.join("\n", out);
  }

  @Override
  public String toString() {
    return "IgniteCluster["
        + id
        + ", "
        + workerNodes.length
        + " workers"
        + (processes == null ? ", connected" : "")
        + (closed ? ", closed]" : "]");
  }
}
