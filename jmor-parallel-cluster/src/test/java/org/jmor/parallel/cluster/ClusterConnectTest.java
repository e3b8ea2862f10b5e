package org.jmor.parallel.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.example.allowed.AllowedTask;
import org.example.refused.RefusedTask;
import org.jmor.parallel.MapTask;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.parallel.testkit.TestTasks;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * One cluster of 2 worker JVMs started the way {@code ./jmor worker} starts them (with {@code
 * --once} and {@code --allow org.example.allowed.*}), joined with {@link IgnitePools#connect}: the
 * pool works, intruders without the cluster's key are refused, the allow-list holds, and closing
 * the driver ends the workers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterConnectTest {
  private static Path dir;
  private static ExternalWorkers workers;
  private static IgniteNodes.Net net;
  private static IgniteCluster cluster;

  @BeforeAll
  static void startWorkersAndConnect() throws Exception {
    dir = Files.createTempDirectory("jmor-connect-test-");
    ClusterKeyStore keyStore = ClusterKeyStore.generate(dir.resolve("cluster.p12"), "connect-test");
    assertThat(Files.getPosixFilePermissions(keyStore.path()))
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    String id = "connect-" + UUID.randomUUID().toString().substring(0, 8);
    net = IgnitePools.freePorts(4);
    workers = new ExternalWorkers(dir, keyStore, id);
    try {
      for (int i = 0; i < 2; i++) {
        workers.start(
            i,
            List.of(),
            List.of(
                "--bind",
                "127.0.0.1",
                "--addresses",
                String.join(",", net.addresses()),
                "--discovery-port",
                String.valueOf(net.discovery()),
                "--communication-port",
                String.valueOf(net.communication()),
                "--port-range",
                String.valueOf(net.range()),
                "--allow",
                "org.example.allowed.*",
                "--once"));
      }
      cluster =
          IgnitePools.connect(
              ClusterOptions.defaults()
                  .withAddresses(net.addresses())
                  .withClusterId(id)
                  .withKeyStore(keyStore)
                  .withWorkers(2)
                  .withTimeout(Duration.ofSeconds(90)));
    } catch (Throwable e) {
      String logs = workers.logs();
      workers.close();
      throw new AssertionError("connecting failed: " + e + "\n" + logs, e);
    }
  }

  @AfterAll
  static void cleanUp() {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      if (workers != null) {
        workers.close();
      }
      IgniteWorkerMain.deleteTree(dir);
    }
  }

  @Test
  @Order(1)
  void connectedDriver_runsApplyAndMap_inWorkerOrder() {
    assertThat(cluster.size()).isEqualTo(2);
    assertThat(cluster.startedHere()).isFalse();
    try (WorkerPool pool =
        WorkerPools.builder()
            .backend(ClusterProvider.NAME)
            .property(ClusterProvider.ID, cluster.id())
            .build()) {
      assertThat(pool.apply(TestTasks.workerIndex())).containsExactly(0, 1);
      MapTask<Integer, Integer> square = (ctx, x, args) -> x * x;
      assertThat(pool.map(square, List.of(1, 2, 3, 4, 5))).containsExactly(1, 4, 9, 16, 25);
    }
  }

  @Test
  @Order(2)
  void configurationWithAddresses_connectsASecondDriver() throws Exception {
    Path pw = dir.resolve("password");
    Files.writeString(pw, new String(workers.keyStore.password()));
    ClusterKeyStore.ownerOnly(pw);
    try (WorkerPool pool =
        WorkerPools.builder()
            .backend(ClusterProvider.NAME)
            .property(ClusterProvider.ADDRESSES, String.join(",", net.addresses()))
            .property(ClusterProvider.ID, cluster.id())
            .property(ClusterProvider.KEY_STORE, workers.keyStore.path().toString())
            .property(ClusterProvider.KEY_STORE_PASSWORD_FILE, pw.toString())
            .build()) {
      assertThat(pool.apply(TestTasks.poolSize())).containsExactly(2, 2);
    }
    // the first driver is still there: the workers (--once) keep running
    assertThat(workers.processes).allMatch(Process::isAlive);
  }

  @Test
  @Order(3)
  void taskOutsideTheAllowList_isRefusedNamingItsClass_andAnAllowedPackageRuns() {
    try (WorkerPool pool =
        WorkerPools.builder()
            .backend(ClusterProvider.NAME)
            .property(ClusterProvider.ID, cluster.id())
            .build()) {
      assertThat(pool.apply(new AllowedTask()))
          .containsExactly("allowed on worker 0", "allowed on worker 1");
      assertThatThrownBy(() -> pool.apply(new RefusedTask()))
          .hasStackTraceContaining("org.example.refused.RefusedTask")
          .hasStackTraceContaining("refused");
    }
  }

  @Test
  @Order(3)
  void igniteMessageCarryingARefusedClass_isRefusedByTheWorkersMarshaller_namingIt()
      throws Exception {
    Ignite driver = Ignition.ignite(driverName());
    UUID worker0 =
        driver.cluster().forServers().forAttribute(IgniteNodes.ATTR_INDEX, 0).node().id();
    driver
        .message(driver.cluster().forNodeId(worker0))
        .send(IgniteNodes.REQUEST_TOPIC, new RefusedTask());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    String log = "";
    while (System.nanoTime() - deadline < 0) {
      log = Files.readString(workers.log(0));
      if (log.contains("org.example.refused.RefusedTask")) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(log).contains("org.example.refused.RefusedTask").contains("disallowed");
    // the worker still serves pools
    try (WorkerPool pool =
        WorkerPools.builder()
            .backend(ClusterProvider.NAME)
            .property(ClusterProvider.ID, cluster.id())
            .build()) {
      assertThat(pool.apply(TestTasks.workerIndex())).containsExactly(0, 1);
    }
  }

  @Test
  @Order(4)
  void nodesWithoutTheClustersKey_cannotJoin_andTheWorkersNeverSeeThem() throws Exception {
    Ignite driver = Ignition.ignite(driverName());
    long topology = driver.cluster().topologyVersion();
    int nodes = driver.cluster().nodes().size();

    // no TLS at all
    assertThatThrownBy(() -> startIntruder("plain", true, null)).isInstanceOf(Exception.class);
    // TLS that trusts the cluster's certificate but has no certificate of its own
    assertThatThrownBy(() -> startIntruder("no-cert", true, trustOnly()))
        .isInstanceOf(Exception.class);
    // another self-signed key pair
    ClusterKeyStore other = ClusterKeyStore.generate(dir.resolve("other.p12"), "intruder");
    assertThatThrownBy(() -> startIntruder("other-key", true, other.sslFactory()))
        .isInstanceOf(Exception.class);
    // a server node with another key pair: it may start a cluster of its own, never joins ours
    try {
      Ignite server = startIntruder("other-key-server", false, other.sslFactory());
      assertThat(server.cluster().nodes()).hasSize(1);
    } catch (Exception e) {
      // refused outright: fine too
    } finally {
      Ignition.stop("intruder-other-key-server", true);
    }

    assertThat(driver.cluster().topologyVersion()).isEqualTo(topology);
    assertThat(driver.cluster().nodes()).hasSize(nodes);
    try (WorkerPool pool =
        WorkerPools.builder()
            .backend(ClusterProvider.NAME)
            .property(ClusterProvider.ID, cluster.id())
            .build()) {
      assertThat(pool.apply(TestTasks.workerIndex())).containsExactly(0, 1);
    }
  }

  @Test
  @Order(5)
  void closingTheLastDriver_endsTheOnceWorkers() throws Exception {
    cluster.close();
    assertThat(workers.awaitExit(30))
        .as("every worker JVM ended after the driver left\n%s", workers.logs())
        .isTrue();
    assertThat(workers.processes).noneMatch(Process::isAlive);
  }

  private static String driverName() {
    return Ignition.allGrids().stream()
        .map(Ignite::name)
        .filter(n -> n != null && n.startsWith("jmor-" + cluster.id() + "-driver"))
        .findFirst()
        .orElseThrow();
  }

  private static javax.cache.configuration.Factory<SSLContext> trustOnly() throws Exception {
    java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(workers.keyStore.path())) {
      ks.load(in, workers.keyStore.password());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return () -> ctx;
  }

  private static Ignite startIntruder(
      String name, boolean client, javax.cache.configuration.@Nullable Factory<SSLContext> ssl) {
    IgniteNodes.Net intruderNet =
        new IgniteNodes.Net(
            "127.0.0.1",
            net.discovery() + net.range() - 1,
            net.communication() + net.range() - 1,
            1,
            net.addresses());
    IgniteConfiguration cfg =
        IgniteNodes.config(
            "intruder-" + name,
            client,
            cluster.id(),
            client ? -1 : 7,
            intruderNet,
            dir.resolve("intruder-" + name).toString(),
            4000,
            32L << 20,
            null);
    if (ssl != null) {
      cfg.setSslContextFactory(ssl);
    }
    TcpDiscoverySpi discovery = (TcpDiscoverySpi) cfg.getDiscoverySpi();
    discovery.setJoinTimeout(4000);
    return Ignition.start(cfg);
  }
}
