package org.jmor.parallel.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteState;
import org.apache.ignite.Ignition;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.events.DiscoveryEvent;
import org.apache.ignite.events.EventType;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.jspecify.annotations.Nullable;

/**
 * One worker JVM: an Ignite server node with mutual TLS and the deserialization allow-list, running
 * the worker side of every pool that a driver opens on it. The same code runs the workers that
 * {@link IgnitePools#start} launches and {@code ./jmor worker} on other hosts.
 *
 * <pre>
 * java [Ignite's flags] -cp CLASSPATH org.jmor.parallel.cluster.IgniteWorkerMain \
 *     --cluster-id ID --key-store cluster.p12 [--index N] [--bind ADDR] \
 *     [--addresses host:47500..47509,...] [--discovery-port P] [--communication-port P]
 *     [--port-range N] [--allow com.example.*,...] [--key-store-password-file FILE]
 *     [--key-store-password-env VAR] [--failure-detection-ms MS] [--region-bytes B]
 *     [--work-dir DIR] [--key-store-wait-ms MS] [--no-tls] [--once] [--watch-stdin]
 * </pre>
 *
 * The key store's password comes from the environment variable {@value
 * ClusterKeyStore#PASSWORD_ENV} unless a file is given.
 */
public final class IgniteWorkerMain {
  private IgniteWorkerMain() {}

  /**
   * Runs one worker until it is told to end, then exits.
   *
   * @param args the options above
   * @throws Exception if the node cannot start
   */
  public static void main(String[] args) throws Exception {
    WorkerSettings settings;
    try {
      settings = parse(List.of(args));
    } catch (IllegalArgumentException e) {
      System.err.println("jmor worker: " + e.getMessage());
      System.exit(2);
      return;
    }
    int code;
    try {
      code = run(settings);
    } catch (IllegalArgumentException | IllegalStateException | IOException e) {
      // the trace for the log, then the reason as its last line (a launcher quotes the last lines)
      e.printStackTrace();
      System.err.println(
          "jmor worker: "
              + (e instanceof IOException io
                  ? org.jmor.base.IoReasons.reason(io)
                  : e.getMessage()));
      System.exit(e instanceof IllegalArgumentException ? 2 : 1);
      return;
    }
    // a JVM that records a class-data archive writes it as it exits (a few seconds)
    boolean recording =
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit"));
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(recording ? 18_000 : 3000);
              } catch (InterruptedException e) {
                return;
              }
              Runtime.getRuntime().halt(code);
            },
            "jmor-exit-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    System.exit(code);
  }

  /**
   * Parses the options of {@link #main}.
   *
   * @param args the options
   * @return the settings
   * @throws IllegalArgumentException naming an unknown or malformed option
   */
  public static WorkerSettings parse(List<String> args) {
    WorkerSettings s = new WorkerSettings();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--once" -> s.once(true);
        case "--watch-stdin" -> s.watchStdin(true);
        case "--no-tls" -> s.tls(false);
        default -> {
          if (i + 1 >= args.size()) {
            throw new IllegalArgumentException("unknown option or missing value: " + a);
          }
          String v = args.get(++i);
          switch (a) {
            case "--cluster-id" -> s.clusterId(v);
            case "--index" -> s.index(v.equals("auto") ? null : integer(a, v));
            case "--bind" -> s.bind(v);
            case "--addresses" -> s.addresses(List.of(v.split(",")));
            case "--discovery-port" -> s.discoveryPort = integer(a, v);
            case "--communication-port" -> s.communicationPort = integer(a, v);
            case "--port-range" -> s.portRange = integer(a, v);
            case "--key-store" -> s.keyStore(Path.of(v));
            case "--key-store-password-file" -> s.keyStorePasswordFile(Path.of(v));
            case "--key-store-password-env" -> s.keyStorePasswordEnv(v);
            case "--allow" -> s.allow(List.of(v.split(",")));
            case "--failure-detection-ms" -> s.failureDetectionMillis(integer(a, v));
            case "--region-bytes" -> s.regionBytes(Long.parseLong(v));
            case "--work-dir" -> s.workDir(Path.of(v));
            case "--key-store-wait-ms" -> s.keyStoreWaitMillis(integer(a, v));
            default -> throw new IllegalArgumentException("unknown option " + a);
          }
        }
      }
    }
    return s;
  }

  private static int integer(String option, String v) {
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": '" + v + "' is not a number", e);
    }
  }

  /**
   * Runs one worker: starts the server node, installs the worker side, prints one line {@code jmor
   * worker N ready ...} to standard output, and returns when the node stops, standard input ends
   * ({@link WorkerSettings#watchStdin}) or the last driver left ({@link WorkerSettings#once}).
   *
   * @param s the settings
   * @return the exit code: 0
   * @throws IllegalArgumentException if the settings are incomplete or the key store does not open
   * @throws IllegalStateException if this JVM lacks Ignite's flags
   * @throws IOException if the work directory cannot be made
   * @throws InterruptedException if interrupted while running
   */
  public static int run(WorkerSettings s) throws IOException, InterruptedException {
    s.check();
    int index = s.resolveIndex(System.getenv());
    CountDownLatch end = new CountDownLatch(1);
    AtomicBoolean running = new AtomicBoolean();
    if (s.watchStdin) {
      // from the first moment: a launcher that dies (or ends the start) closes it, and a worker
      // that is not running yet (waiting for the key store, starting its node) just halts
      Thread stdin =
          new Thread(
              () -> {
                try (InputStream in = System.in) {
                  byte[] buf = new byte[64];
                  while (in.read(buf) >= 0) {
                    // nothing is sent on stdin: it only tells that the launcher is alive
                  }
                } catch (IOException e) {
                  // the launcher is gone
                }
                if (!running.get()) {
                  Runtime.getRuntime().halt(1);
                }
                end.countDown();
              },
              "jmor-worker-stdin");
      stdin.setDaemon(true);
      stdin.start();
    }
    if (s.tls && s.keyStorePasswordFile != null) {
      // bad input is reported as such, before this JVM's flags are checked and Ignite loads
      ClusterKeyStore.readPasswordFile(s.keyStorePasswordFile);
    }
    if (s.tls && s.keyStoreWaitMillis == 0) {
      ClusterKeyStore.checkPrivateFile(
          java.util.Objects.requireNonNull(s.keyStore), "the key store");
    }
    // where it listens, before this JVM's flags are checked and Ignite loads
    String bind = s.bind.isEmpty() ? ClusterAddresses.localBind(s.addresses) : s.bind;
    if (!s.bind.isEmpty()) {
      ClusterAddresses.checkLocal(bind, "--bind");
    }
    ClusterAddresses.checkFreePort(
        bind, s.discoveryPort, s.portRange, "--discovery-port", "--port-range");
    ClusterAddresses.checkFreePort(
        bind, s.communicationPort, s.portRange, "--communication-port", "--port-range");
    IgniteFlags.check();
    IgniteNodes.quiet();
    List<String> addresses =
        s.addresses.isEmpty()
            ? List.of(bind + ":" + s.discoveryPort + ".." + (s.discoveryPort + s.portRange - 1))
            : s.addresses;
    boolean tempDir = s.workDir == null;
    Path dir;
    if (tempDir) {
      dir = Files.createTempDirectory("jmor-worker-" + s.clusterId + "-" + index + "-");
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> deleteTree(dir), "jmor-worker-cleanup"));
    } else {
      dir = java.util.Objects.requireNonNull(s.workDir);
      try {
        // never its parent: a launcher's directory that was deleted (its run ended) stays deleted
        Files.createDirectory(dir);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // made before
      }
    }
    // the allow-list: Ignite's marshaller (and, through Ignite, this JVM's serial filter) and the
    // core's frame filter
    Path classList = dir.resolve("allowed-classes.txt");
    ClusterAllowList.writeIgniteList(classList, s.allow);
    System.setProperty(ClusterAllowList.IGNITE_PROPERTY, classList.toString());
    System.setProperty(
        ClusterAllowList.FRAME_PROPERTY,
        ClusterAllowList.framePattern(
            System.getProperty(ClusterAllowList.FRAME_PROPERTY), s.allow));

    String name = "jmor-" + s.clusterId + "-worker" + index;
    Ignition.addListener(
        (n, state) -> {
          if (name.equals(n) && state != IgniteState.STARTED) {
            end.countDown();
          }
        });
    // the configuration first (it loads much of Ignite), then the key store: the launcher may
    // still be generating it
    IgniteConfiguration cfg =
        IgniteNodes.config(
            name,
            false,
            s.clusterId,
            index,
            new IgniteNodes.Net(bind, s.discoveryPort, s.communicationPort, s.portRange, addresses),
            dir.resolve("ignite").toString(),
            s.failureDetectionMillis,
            s.regionBytes,
            null);
    @Nullable ClusterKeyStore keyStore = null;
    if (s.tls) {
      Path keyStorePath = java.util.Objects.requireNonNull(s.keyStore);
      if (s.keyStoreWaitMillis > 0) {
        try {
          ClusterKeyStore.awaitFile(keyStorePath, s.keyStoreWaitMillis);
        } catch (IllegalArgumentException e) {
          if (tempDir) {
            deleteTree(dir);
          }
          throw e;
        }
      }
      keyStore =
          s.keyStorePasswordFile != null
              ? ClusterKeyStore.withPasswordFile(keyStorePath, s.keyStorePasswordFile)
              : ClusterKeyStore.withPasswordFromEnv(keyStorePath, s.keyStorePasswordEnv);
      cfg.setSslContextFactory(keyStore.sslFactory());
    }
    Ignite ignite;
    try {
      ignite = IgniteNodes.start(cfg);
    } catch (org.apache.ignite.IgniteException e) {
      if (tempDir) {
        deleteTree(dir);
      }
      throw new IllegalStateException(
          "worker "
              + index
              + " of cluster "
              + s.clusterId
              + " cannot start its node on "
              + bind
              + " (discovery ports "
              + s.discoveryPort
              + "..."
              + (s.discoveryPort + s.portRange - 1)
              + "): "
              + IgniteNodes.rootMessage(e),
          e);
    }
    running.set(true);
    WorkerService.install(ignite, index);
    if (s.once) {
      ignite
          .events()
          .localListen(
              event -> {
                ClusterNode gone = ((DiscoveryEvent) event).eventNode();
                if (gone.isClient()
                    && s.clusterId.equals(gone.attribute(IgniteNodes.ATTR_CLUSTER))
                    && ignite
                        .cluster()
                        .forClients()
                        .forAttribute(IgniteNodes.ATTR_CLUSTER, s.clusterId)
                        .nodes()
                        .isEmpty()) {
                  end.countDown();
                }
                return true;
              },
              EventType.EVT_NODE_FAILED,
              EventType.EVT_NODE_LEFT);
    }
    TcpDiscoverySpi discovery = (TcpDiscoverySpi) ignite.configuration().getDiscoverySpi();
    System.out.println(
        "jmor worker "
            + index
            + " of cluster "
            + s.clusterId
            + " ready: "
            + bind
            + ", discovery port "
            + discovery.getLocalPort()
            + (s.once ? ", exits when the last driver leaves" : "")
            + " (JVM up "
            + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime()
            + " ms)");
    System.out.flush();
    end.await();
    stop(name);
    if (keyStore != null) {
      keyStore.delete();
    }
    if (tempDir) {
      deleteTree(dir);
    }
    return 0;
  }

  /** Stops the node, waiting at most 5 s. */
  private static void stop(String name) {
    Thread t = new Thread(() -> Ignition.stop(name, true), "jmor-worker-stop");
    t.setDaemon(true);
    t.start();
    try {
      t.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
