package org.jmor.parallel.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.jmor.parallel.spi.Transport;
import org.jmor.parallel.spi.WorkerProcesses;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running cluster of worker JVMs started by {@link IgnitePools#start} and this JVM's client node
 * in it. Several pools can run on it at once ({@link #openPool}), each with its own objects on
 * every worker. {@link #close()} stops every worker JVM and leaves no process; a shutdown hook does
 * the same when the JVM ends, and a worker whose launcher died ends by itself (its standard input
 * closes).
 */
public final class IgniteCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IgniteCluster.class);
  private static final Map<String, IgniteCluster> RUNNING = new ConcurrentHashMap<>();

  private final String id;
  private final @Nullable WorkerProcesses processes;
  private final Path workDir;
  private final @Nullable ClusterKeyStore keyStore;
  private final ClassDataSharing.@Nullable Plan cds;
  private final Thread hook;
  private final AtomicLong poolIds = new AtomicLong();
  private final Set<ClusterTransport> transports = ConcurrentHashMap.newKeySet();
  private volatile @Nullable Ignite driver;
  private volatile UUID[] workerNodes = new UUID[0];
  private volatile boolean closed;

  IgniteCluster(
      String id,
      @Nullable WorkerProcesses processes,
      Path workDir,
      @Nullable ClusterKeyStore keyStore,
      ClassDataSharing.@Nullable Plan cds) {
    this.id = id;
    this.cds = cds;
    this.processes = processes;
    this.workDir = workDir;
    this.keyStore = keyStore;
    this.hook = new Thread(this::stopProcesses, "jmor-cluster-" + id + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    // the first cluster of an id in this JVM is the one that jmor.cluster.id names
    RUNNING.putIfAbsent(id, this);
    if (processes != null) {
      processes.onExit(
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

  /** This JVM's client node in the cluster (benchmarks and tests of this package); or null. */
  @Nullable Ignite driver() {
    return driver;
  }

  /** The Ignite node id of a worker (benchmarks and tests of this package). */
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
    Ignite ignite = driver;
    if (ignite != null) {
      Thread stop =
          new Thread(() -> Ignition.stop(ignite.name(), true), "jmor-cluster-" + id + "-stop");
      stop.setDaemon(true);
      stop.start();
      try {
        stop.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    stopProcesses();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs anyway
    }
  }

  /** Ends every worker JVM: closes its input (it exits), then destroys what is left. */
  private void stopProcesses() {
    if (processes != null) {
      // a worker that records the class-data archive writes it as it exits: give it longer
      boolean recording = cds != null && cds.dump() != null;
      processes.close(Duration.ofSeconds(recording ? 20 : 4));
      if (recording) {
        Process first = processes.process(0);
        java.util.Objects.requireNonNull(cds).finish(!first.isAlive() && first.exitValue() == 0);
      }
    }
    if (keyStore != null) {
      keyStore.delete();
    }
    deleteWorkDir();
  }

  private void deleteWorkDir() {
    try (Stream<Path> files = Files.walk(workDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      LOG.debug("cannot delete {}: {}", workDir, e.toString());
    }
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
