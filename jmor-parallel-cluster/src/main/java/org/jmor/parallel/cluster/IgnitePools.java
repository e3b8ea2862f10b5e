package org.jmor.parallel.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.jmor.parallel.spi.WorkerProcesses;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts clusters of worker JVMs on this host (pyMOR's {@code new_ipcluster_pool}), or connects to
 * workers started elsewhere ({@code ./jmor worker}, {@link #connect}). Every node of a cluster uses
 * mutual TLS with the cluster's key ({@link ClusterKeyStore}: generated per cluster by {@link
 * #start}, given to {@link #connect}), and workers deserialize only allowed classes ({@link
 * ClusterOptions#allow()}).
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

  private static final Logger LOG = LoggerFactory.getLogger(IgnitePools.class);

  private static double since(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

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
   * @throws IOException if the worker JVMs cannot be started; an {@link
   *     java.io.InterruptedIOException} if the calling thread was interrupted or the JVM began to
   *     exit during the start (in every case nothing is left: no key, no file, no process)
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
    // registered before anything is made: an interrupt (Ctrl-C, SIGTERM) at any moment of the
    // start, a run or the close leaves no key, no file and no process
    ClusterResources resources = ClusterResources.register("jmor-cluster-" + id);
    @Nullable IgniteCluster cluster = null;
    try {
      // mode 0700: the key store and the logs are this user's only
      Path dir = resources.createDirectory("jmor-cluster-" + id + "-");
      IgniteNodes.Net net = freePorts(workers + 2);
      long failureMs = options.failureDetection().toMillis();
      ClusterKeyStore.@Nullable Generation generation = null;
      @Nullable ClusterKeyStore keyStore = null;
      ClassDataSharing.@Nullable Plan cds =
          ClassDataSharing.plan(System.getProperty("java.class.path"), options.workerJvmOptions());
      if (options.tls()) {
        keyStore = options.keyStore();
        if (keyStore == null) {
          // keytool runs while the worker JVMs start: they wait for its file
          generation = resources.startKeytool(dir.resolve("cluster.p12"), "jmor-cluster-" + id);
          keyStore = generation.store();
        }
      }
      ClusterKeyStore.@Nullable Generation g = generation;
      @Nullable ClusterKeyStore ks = keyStore;
      Map<String, String> env = new HashMap<>();
      env.put("IGNITE_UPDATE_NOTIFIER", "false");
      if (ks != null) {
        // the password reaches the workers in their environment (readable by this user only),
        // never on their command lines
        char[] password = ks.password();
        env.put(ClusterKeyStore.PASSWORD_ENV, new String(password));
        java.util.Arrays.fill(password, '\0');
      }
      // a worker that records the class-data archive writes it as it exits: close() gives it
      // longer; at the JVM's exit the workers are killed at once
      Duration grace = Duration.ofSeconds(cds != null && cds.dump() != null ? 20 : 4);
      WorkerProcesses processes =
          resources.launch(
              launcher(
                      i -> {
                        List<String> jvm = new ArrayList<>();
                        if (cds != null) {
                          jvm.addAll(i == 0 ? cds.firstWorker() : cds.otherWorkers());
                        }
                        jvm.addAll(options.workerJvmOptions());
                        return jvm;
                      })
                  .workers(workers)
                  .shutdownGrace(Duration.ZERO)
                  .name("jmor-cluster-" + id)
                  .logDirectory(dir)
                  .environment(env)
                  .arguments(i -> workerArgs(i, id, net, dir, failureMs, options, ks, g != null)),
              grace,
              cds);
      LOG.debug("cluster {}: worker JVMs started after {} s", id, since(startNanos));
      if (generation != null) {
        resources.awaitKey(generation);
        LOG.debug("cluster {}: key store ready after {} s", id, since(startNanos));
      }
      cluster = new IgniteCluster(id, resources);
      @Nullable ClusterKeyStore driverKey = keyStore;
      // the client node's join waits up to the start timeout for a server node: a worker JVM that
      // exits meanwhile (a wrong class path, a bad flag) ends that wait at once
      ExitWatch watch = new ExitWatch(processes);
      Ignite driver;
      try {
        driver =
            resources.startDriver(
                () -> startDriver(id, net, dir, failureMs, options, driverKey, workers, ""));
      } catch (RuntimeException | java.io.InterruptedIOException e) {
        IllegalStateException exited = watch.failure();
        if (exited != null) {
          throw new StartFailed(exited);
        }
        throw e;
      } finally {
        watch.stop();
      }
      LOG.debug("cluster {}: driver node joined after {} s", id, since(startNanos));
      awaitWorkers(cluster, driver, id, workers, startNanos, options, processes);
      LOG.debug("cluster {}: {} workers answer after {} s", id, workers, since(startNanos));
      return cluster;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      resources.end(false);
      throw interruptedStart(e);
    } catch (StartFailed e) {
      resources.end(false);
      throw e;
    } catch (IOException | RuntimeException e) {
      if (resources.ending()) {
        // the JVM exits (its hook ends everything) or the start was interrupted
        resources.end(false);
        throw interruptedStart(e);
      }
      String tails = cluster == null ? "" : cluster.logTails();
      resources.end(false);
      if (e instanceof IOException io) {
        throw io;
      }
      if (cluster == null
          || e instanceof IllegalStateException && e.getMessage() != null && tails.isEmpty()) {
        throw (RuntimeException) e;
      }
      throw new IllegalStateException(
          e.getMessage() + (tails.isEmpty() ? "" : "\nthe workers' last log lines:\n" + tails), e);
    }
  }

  private static java.io.InterruptedIOException interruptedStart(Exception cause) {
    java.io.InterruptedIOException e =
        new java.io.InterruptedIOException("interrupted while starting the cluster");
    e.initCause(cause);
    return e;
  }

  /**
   * Joins a cluster of workers started elsewhere ({@code ./jmor worker} on other hosts, under
   * Slurm, ...) as a client node, and waits at least {@link ClusterOptions#minWait()}, then until
   * {@link ClusterOptions#workers()} workers of the cluster id have joined and answer (or, when it
   * is 0, until at least one has), or {@link ClusterOptions#timeout()} passes. Closing the returned
   * cluster leaves the cluster; the workers keep running (a worker started with {@code --once}
   * exits once its last driver has left).
   *
   * @param options the workers' discovery {@link ClusterOptions#addresses()}, their {@link
   *     ClusterOptions#clusterId()} and the cluster's {@link ClusterOptions#keyStore()} (all
   *     required); the address to bind ({@link ClusterOptions#bind()}, default: the address of this
   *     host that reaches the first worker address); the driver's node listens on ports 47100 to
   *     47199 of that address
   * @return the connected cluster
   * @throws IllegalArgumentException if addresses, cluster id or key store are missing
   * @throws IllegalStateException if this JVM lacks Ignite's flags, if this node cannot join (no
   *     worker reachable, or its TLS handshake refused), or with {@code "k of N workers failed to
   *     join"} when not enough workers answered in time
   * @throws IOException if the client node's work directory cannot be made
   */
  public static IgniteCluster connect(ClusterOptions options) throws IOException {
    List<String> problems = new ArrayList<>();
    if (options.addresses().isEmpty()) {
      problems.add("the workers' discovery addresses (jmor.cluster.addresses)");
    }
    if (options.clusterId().isEmpty()) {
      problems.add("the cluster id (jmor.cluster.id)");
    }
    ClusterKeyStore keyStore = options.keyStore();
    if (keyStore == null) {
      problems.add("the cluster's key store (jmor.cluster.key-store)");
    }
    if (!problems.isEmpty() || keyStore == null) {
      throw new IllegalArgumentException(
          "connecting to a cluster needs " + String.join(", ", problems));
    }
    IgniteFlags.check();
    IgniteNodes.quiet();
    String id = options.clusterId();
    long startNanos = System.nanoTime();
    String bind =
        options.bind().isEmpty() ? ClusterAddresses.localBind(options.addresses()) : options.bind();
    IgniteNodes.Net net =
        new IgniteNodes.Net(
            bind,
            WorkerSettings.DEFAULT_DISCOVERY_PORT,
            DRIVER_PORT,
            DRIVER_PORT_RANGE,
            options.addresses());
    ClusterResources resources = ClusterResources.register("jmor-driver-" + id);
    try {
      Path dir = resources.createDirectory("jmor-driver-" + id + "-");
      IgniteCluster cluster = new IgniteCluster(id, resources);
      Ignite driver =
          resources.startDriver(
              () ->
                  startDriver(
                      id,
                      net,
                      dir,
                      options.failureDetection().toMillis(),
                      options,
                      keyStore,
                      options.workers(),
                      " at " + String.join(",", options.addresses())));
      awaitWorkers(cluster, driver, id, options.workers(), startNanos, options, null);
      return cluster;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      resources.end(false);
      java.io.InterruptedIOException ie =
          new java.io.InterruptedIOException("interrupted while connecting to the cluster " + id);
      ie.initCause(e);
      throw ie;
    } catch (IOException | RuntimeException e) {
      boolean interrupted = resources.ending();
      resources.end(false);
      if (interrupted && !(e instanceof java.io.InterruptedIOException)) {
        java.io.InterruptedIOException ie =
            new java.io.InterruptedIOException("interrupted while connecting to the cluster " + id);
        ie.initCause(e);
        throw ie;
      }
      throw e;
    }
  }

  /** The first communication port of a connecting driver. */
  static final int DRIVER_PORT = 47100;

  /** How many communication ports a connecting driver tries. */
  static final int DRIVER_PORT_RANGE = 100;

  private static Ignite startDriver(
      String id,
      IgniteNodes.Net net,
      Path dir,
      long failureMs,
      ClusterOptions options,
      @Nullable ClusterKeyStore keyStore,
      int workers,
      String where) {
    IgniteConfiguration cfg =
        IgniteNodes.config(
            "jmor-" + id + "-driver-" + UUID.randomUUID(),
            true,
            id,
            -1,
            net,
            dir.resolve("driver").toString(),
            failureMs,
            options.regionBytes(),
            keyStore == null ? null : keyStore.sslFactory());
    ((TcpDiscoverySpi) cfg.getDiscoverySpi()).setJoinTimeout(options.timeout().toMillis());
    try {
      return IgniteNodes.start(cfg);
    } catch (org.apache.ignite.IgniteException e) {
      throw new IllegalStateException(
          (workers > 0 ? workers + " of " + workers : "the")
              + " workers failed to "
              + (where.isEmpty() ? "start" : "join")
              + " within "
              + options.timeout().toMillis()
              + " ms (this JVM's client node found none of them"
              + where
              + ": none reachable, or the TLS handshake failed because they use another key: "
              + IgniteNodes.rootMessage(e)
              + ")",
          e);
    }
  }

  /**
   * Waits for the workers of the cluster id: at least until {@code minWait}; then until {@code
   * workers} have joined (0: at least one) and every one answers a ping; then hands them to the
   * cluster in the order of their indices.
   */
  private static void awaitWorkers(
      IgniteCluster cluster,
      Ignite driver,
      String id,
      int workers,
      long startNanos,
      ClusterOptions options,
      @Nullable WorkerProcesses processes)
      throws InterruptedException {
    cluster.driver(driver);
    long minWaitEnd = startNanos + options.minWait().toNanos();
    long deadline = startNanos + options.timeout().toNanos();
    Collection<ClusterNode> nodes;
    while (true) {
      nodes = driver.cluster().forServers().forAttribute(IgniteNodes.ATTR_CLUSTER, id).nodes();
      long now = System.nanoTime();
      if (now - minWaitEnd >= 0 && nodes.size() >= Math.max(1, workers)) {
        break;
      }
      if (processes != null && (now - deadline >= 0 || noneAlive(processes))) {
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
          if (!hasIndex(nodes, i)) {
            missing.add(i);
          }
        }
        throw new StartFailed(
            processes.startFailure(
                missing,
                now - deadline >= 0
                    ? "not joined within " + options.timeout().toMillis() + " ms"
                    : "every worker JVM ended"));
      }
      if (now - deadline >= 0) {
        int n = Math.max(1, workers);
        throw new IllegalStateException(
            (n - Math.min(n, nodes.size()))
                + " of "
                + (workers > 0 ? workers : "at least 1")
                + " workers failed to join within "
                + options.timeout().toMillis()
                + " ms");
      }
      Thread.sleep(20);
    }
    LOG.debug(
        "cluster {}: {} workers in the topology after {} s", id, nodes.size(), since(startNanos));
    int n = workers > 0 ? workers : nodes.size();
    UUID[] order = new UUID[n];
    for (ClusterNode node : nodes) {
      Object index = node.attribute(IgniteNodes.ATTR_INDEX);
      if (index instanceof Integer i && i >= 0 && i < n) {
        if (order[i] != null) {
          throw new IllegalStateException(
              "two workers of cluster "
                  + id
                  + " have index "
                  + i
                  + " (nodes "
                  + order[i]
                  + " and "
                  + node.id()
                  + " at "
                  + node.addresses()
                  + "): give each worker its own --index");
        }
        order[i] = node.id();
      }
    }
    for (int i = 0; i < n; i++) {
      if (order[i] == null) {
        throw new IllegalStateException(
            "worker "
                + i
                + " of cluster "
                + id
                + " is missing: "
                + n
                + " workers joined, but their indices are not 0.."
                + (n - 1));
      }
    }
    awaitListeners(driver, order, deadline, options, processes);
    cluster.connected(driver, order);
  }

  private static boolean hasIndex(Collection<ClusterNode> nodes, int index) {
    for (ClusterNode node : nodes) {
      if (Integer.valueOf(index).equals(node.attribute(IgniteNodes.ATTR_INDEX))) {
        return true;
      }
    }
    return false;
  }

  /** A failed start whose message holds the workers' states and last log lines already. */
  /**
   * Interrupts the thread that starts the client node when a worker JVM exits during that start,
   * and says which one.
   */
  private static final class ExitWatch {
    private final WorkerProcesses processes;
    private final Thread starter = Thread.currentThread();
    private boolean failed;
    private boolean stopped;

    ExitWatch(WorkerProcesses processes) {
      this.processes = processes;
      for (int i = 0; i < processes.size(); i++) {
        var unused = processes.process(i).onExit().thenRun(this::exited);
      }
    }

    private synchronized void exited() {
      if (stopped || failed) {
        return;
      }
      failed = true;
      starter.interrupt();
    }

    /**
     * The start failure naming every worker JVM that has exited (the others started with the same
     * flags usually follow within moments: waits up to 1 s for them), or null.
     */
    @Nullable IllegalStateException failure() {
      synchronized (this) {
        if (!failed) {
          return null;
        }
      }
      long end = System.nanoTime() + 1_000_000_000L;
      List<Integer> gone = new ArrayList<>();
      for (int i = 0; i < processes.size(); i++) {
        Process p = processes.process(i);
        try {
          p.waitFor(
              Math.max(0, end - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        if (!p.isAlive()) {
          gone.add(i);
        }
      }
      return processes.startFailure(
          gone,
          (gone.size() == 1 ? "its JVM" : "their JVMs")
              + " exited before this JVM's client node could join");
    }

    /** Ends the watch; clears the interrupt it may have raised (it is reported by failure()). */
    synchronized void stop() {
      stopped = true;
      if (failed) {
        var unused = Thread.interrupted();
      }
    }
  }

  private static final class StartFailed extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    StartFailed(IllegalStateException e) {
      super(e.getMessage());
    }
  }

  private static boolean noneAlive(WorkerProcesses processes) {
    for (int i = 0; i < processes.size(); i++) {
      if (processes.process(i).isAlive()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Waits until every worker answers a ping: a node is in the topology before its listener is
   * installed, and Ignite drops messages to a topic without a listener.
   */
  private static void awaitListeners(
      Ignite driver,
      UUID[] order,
      long deadline,
      ClusterOptions options,
      @Nullable WorkerProcesses processes)
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
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          if (answered.get(i) == 0) {
            missing.add(i);
            driver
                .message(driver.cluster().forNodeId(order[i]))
                .send(
                    IgniteNodes.REQUEST_TOPIC,
                    new ClusterMessage(ClusterMessage.PING, 0, i, 0).wire());
          }
        }
        if (missing.isEmpty()) {
          return;
        }
        if (System.nanoTime() - deadline >= 0 && processes != null) {
          throw new StartFailed(
              processes.startFailure(
                  missing,
                  "joined, but not listening within " + options.timeout().toMillis() + " ms"));
        }
        if (System.nanoTime() - deadline >= 0) {
          throw new IllegalStateException(
              missing.size()
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

  /**
   * The launcher of worker JVMs ({@link IgniteWorkerMain}) with this JVM's class path: Ignite's
   * flags, then each worker's {@code jvmOptions}, then the system properties that keep Ignite
   * quiet.
   *
   * @param jvmOptions worker index to the user's and class-data-sharing options
   * @return the launcher, to be given the workers' arguments
   */
  static WorkerProcesses.Builder launcher(IntFunction<List<String>> jvmOptions) {
    return WorkerProcesses.builder(IgniteWorkerMain.class.getName())
        .inheritJvmOptions(false)
        .jvmOptions(IgniteFlags.FLAGS)
        .jvmOptions(
            i -> {
              List<String> jvm = new ArrayList<>(jvmOptions.apply(i));
              IgniteNodes.QUIET.forEach((k, v) -> jvm.add("-D" + k + "=" + v));
              jvm.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
              jvm.add("-Djava.net.preferIPv4Stack=true");
              return jvm;
            });
  }

  private static List<String> workerArgs(
      int index,
      String id,
      IgniteNodes.Net net,
      Path dir,
      long failureMs,
      ClusterOptions options,
      @Nullable ClusterKeyStore keyStore,
      boolean awaitKeyStore) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--cluster-id",
                id,
                "--index",
                String.valueOf(index),
                "--bind",
                net.bind(),
                "--addresses",
                String.join(",", net.addresses()),
                "--discovery-port",
                String.valueOf(net.discovery()),
                "--communication-port",
                String.valueOf(net.communication()),
                "--port-range",
                String.valueOf(net.range()),
                "--failure-detection-ms",
                String.valueOf(failureMs),
                "--region-bytes",
                String.valueOf(options.regionBytes()),
                "--work-dir",
                dir.resolve("worker-" + index).toString(),
                "--watch-stdin"));
    if (keyStore == null) {
      args.add("--no-tls");
    } else {
      args.add("--key-store");
      args.add(keyStore.path().toString());
      if (awaitKeyStore) {
        args.add("--key-store-wait-ms");
        args.add(String.valueOf(options.timeout().toMillis()));
      }
    }
    if (!options.allow().isEmpty()) {
      args.add("--allow");
      args.add(String.join(",", options.allow()));
    }
    return args;
  }

  /** Finds {@code 2 * range} free consecutive ports on loopback: discovery, then communication. */
  static IgniteNodes.Net freePorts(int range) throws IOException {
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
        return IgniteNodes.Net.local(HOST, base, base + range, range);
      }
    }
    throw new IOException(
        String.format(Locale.ROOT, "no %d free consecutive ports on %s", 2 * range, HOST));
  }
}
