package org.jmor.parallel.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;

/**
 * Starts clusters of worker JVMs on this host (pyMOR's {@code new_ipcluster_pool}).
 *
 * <pre>{@code
 * try (IgniteCluster cluster = IgnitePools.start(2, ClusterOptions.defaults());
 *     WorkerPool pool = WorkerPools.builder().backend("cluster")
 *         .property("jmor.cluster.id", cluster.id()).build()) {
 *   ...
 * }
 * }</pre>
 */
public final class IgnitePools {
  private IgnitePools() {}

  private static final String HOST = "127.0.0.1";

  /**
   * Starts {@code workers} worker JVMs on this host with this JVM's class path and the flags Ignite
   * needs, joins them as a client node, waits at least {@link ClusterOptions#minWait()} and then
   * until every worker has joined or {@link ClusterOptions#timeout()} has passed. Every node binds
   * to loopback only and finds the others through an explicit list of this cluster's own ports.
   *
   * @param workers the number of worker JVMs, at least 1
   * @param options the options
   * @return the running cluster; close it to stop the workers
   * @throws IllegalStateException if this JVM lacks Ignite's flags, or with pyMOR's message {@code
   *     "k of N workers failed to start"} when not all joined in time (then nothing is left
   *     running)
   * @throws IOException if the worker JVMs cannot be started
   */
  public static IgniteCluster start(int workers, ClusterOptions options) throws IOException {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    IgniteFlags.check();
    IgniteNodes.quiet();
    String id =
        options.clusterId().isEmpty()
            ? Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL)
            : options.clusterId();
    long startNanos = System.nanoTime();
    Path dir = Files.createTempDirectory("jmor-cluster-" + id + "-");
    IgniteNodes.Ports ports = freePorts(workers + 2);
    long failureMs = options.failureDetection().toMillis();
    List<Process> processes = new ArrayList<>();
    try {
      for (int i = 0; i < workers; i++) {
        processes.add(startWorker(i, id, ports, dir, failureMs, options));
      }
    } catch (IOException | RuntimeException e) {
      processes.forEach(IgniteCluster::destroyTree);
      throw e;
    }
    // from here on the cluster owns the processes (and its shutdown hook ends them)
    IgniteCluster cluster = new IgniteCluster(id, processes, dir);
    try {
      IgniteConfiguration cfg =
          IgniteNodes.config(
              "jmor-" + id + "-driver-" + UUID.randomUUID(),
              true,
              id,
              -1,
              ports,
              dir.resolve("driver").toString(),
              failureMs,
              options.regionBytes());
      ((TcpDiscoverySpi) cfg.getDiscoverySpi()).setJoinTimeout(options.timeout().toMillis());
      Ignite driver;
      try {
        driver = Ignition.start(cfg);
      } catch (org.apache.ignite.IgniteException e) {
        throw new IllegalStateException(
            workers
                + " of "
                + workers
                + " workers failed to start within "
                + options.timeout().toMillis()
                + " ms (this JVM's client node found none of them: "
                + e.getMessage()
                + ")",
            e);
      }
      long minWaitEnd = startNanos + options.minWait().toNanos();
      long deadline = startNanos + options.timeout().toNanos();
      Collection<ClusterNode> nodes;
      while (true) {
        nodes = driver.cluster().forServers().forAttribute(IgniteNodes.ATTR_CLUSTER, id).nodes();
        long now = System.nanoTime();
        if (now - minWaitEnd >= 0 && nodes.size() >= workers) {
          break;
        }
        if (now - deadline >= 0 || processes.stream().noneMatch(Process::isAlive)) {
          throw new IllegalStateException(
              (workers - nodes.size())
                  + " of "
                  + workers
                  + " workers failed to start within "
                  + options.timeout().toMillis()
                  + " ms");
        }
        Thread.sleep(20);
      }
      UUID[] order = new UUID[workers];
      for (ClusterNode n : nodes) {
        Object index = n.attribute(IgniteNodes.ATTR_INDEX);
        if (index instanceof Integer i && i >= 0 && i < workers) {
          order[i] = n.id();
        }
      }
      for (int i = 0; i < workers; i++) {
        if (order[i] == null) {
          throw new IllegalStateException("worker " + i + " joined without its index attribute");
        }
      }
      awaitListeners(driver, order, deadline, options);
      cluster.connected(driver, order);
      return cluster;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      String tails = cluster.logTails();
      cluster.close();
      throw new IllegalStateException("interrupted while starting the cluster\n" + tails, e);
    } catch (RuntimeException e) {
      String tails = cluster.logTails();
      cluster.close();
      if (e instanceof IllegalStateException && e.getMessage() != null && tails.isEmpty()) {
        throw e;
      }
      throw new IllegalStateException(
          e.getMessage() + (tails.isEmpty() ? "" : "\nthe workers' last log lines:\n" + tails), e);
    }
  }

  /**
   * Waits until every worker answers a ping: a node is in the topology before its listener is
   * installed, and Ignite drops messages to a topic without a listener.
   */
  private static void awaitListeners(
      Ignite driver, UUID[] order, long deadline, ClusterOptions options)
      throws InterruptedException {
    int n = order.length;
    java.util.concurrent.atomic.AtomicIntegerArray answered =
        new java.util.concurrent.atomic.AtomicIntegerArray(n);
    org.apache.ignite.lang.IgniteBiPredicate<UUID, Object> listener =
        (from, msg) -> {
          ClusterMessage m = ClusterMessage.parse((byte[]) msg);
          if (m.kind == ClusterMessage.PONG && m.worker >= 0 && m.worker < n) {
            answered.set(m.worker, 1);
          }
          return true;
        };
    String topic = WorkerService.replyTopic(0);
    driver.message(driver.cluster().forLocal()).localListen(topic, listener);
    try {
      while (true) {
        int missing = 0;
        for (int i = 0; i < n; i++) {
          if (answered.get(i) == 0) {
            missing++;
            driver
                .message(driver.cluster().forNodeId(order[i]))
                .send(
                    IgniteNodes.REQUEST_TOPIC,
                    new ClusterMessage(ClusterMessage.PING, 0, i, n, 0, 0).wire());
          }
        }
        if (missing == 0) {
          return;
        }
        if (System.nanoTime() - deadline >= 0) {
          throw new IllegalStateException(
              missing
                  + " of "
                  + n
                  + " workers failed to start within "
                  + options.timeout().toMillis()
                  + " ms (joined, but not listening)");
        }
        Thread.sleep(50);
      }
    } finally {
      driver.message(driver.cluster().forLocal()).stopLocalListen(topic, listener);
    }
  }

  private static Process startWorker(
      int index,
      String id,
      IgniteNodes.Ports ports,
      Path dir,
      long failureMs,
      ClusterOptions options)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(IgniteFlags.FLAGS);
    cmd.addAll(options.workerJvmOptions());
    IgniteNodes.QUIET.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.add("-Djava.net.preferIPv4Stack=true");
    String filter = System.getProperty("jmor.serial.filter");
    if (filter != null) {
      cmd.add("-Djmor.serial.filter=" + filter);
    }
    cmd.add("-Djmor.cluster.id=" + id);
    cmd.add("-Djmor.cluster.index=" + index);
    cmd.add("-Djmor.cluster.host=" + ports.host());
    cmd.add("-Djmor.cluster.discovery-port=" + ports.discovery());
    cmd.add("-Djmor.cluster.communication-port=" + ports.communication());
    cmd.add("-Djmor.cluster.port-range=" + ports.range());
    cmd.add("-Djmor.cluster.work-dir=" + dir.resolve("worker-" + index));
    cmd.add("-Djmor.cluster.failure-detection-ms=" + failureMs);
    cmd.add("-Djmor.cluster.region-bytes=" + options.regionBytes());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(IgniteWorkerMain.class.getName());
    Path log = dir.resolve("worker-" + index + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().put("IGNITE_UPDATE_NOTIFIER", "false");
    return pb.start();
  }

  /** Finds {@code 2 * range} free consecutive ports on loopback: discovery, then communication. */
  private static IgniteNodes.Ports freePorts(int range) throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = 20000 + ThreadLocalRandom.current().nextInt(25000);
      boolean free = true;
      for (int p = base; p < base + 2 * range && free; p++) {
        try (ServerSocket s = new ServerSocket(p, 1, loopback)) {
          s.setReuseAddress(false);
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return new IgniteNodes.Ports(HOST, base, base + range, range);
      }
    }
    throw new IOException(
        String.format(Locale.ROOT, "no %d free consecutive ports on %s", 2 * range, HOST));
  }
}
