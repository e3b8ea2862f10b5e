package org.jmor.parallel.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.parallel.testkit.TestTasks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two "hosts" of the test's own: each worker JVM runs in its own network namespace ({@code ip
 * netns}), joined to this host by a veth pair on a bridge with addresses of a private 10.x subnet;
 * the driver connects from the root namespace. The workers find their own bind address in the
 * address list, the driver the one that routes to them. Skipped, with the reason, where network
 * namespaces cannot be made (not root, no {@code ip}, no capability); the namespaces, links and
 * processes are removed even when the test fails.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ClusterNetnsTest {
  private static final String SUFFIX =
      Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
  private static final List<String> NAMESPACES = List.of("jmorA" + SUFFIX, "jmorB" + SUFFIX);
  private static final String BRIDGE = "jmbr" + SUFFIX;
  private static final List<Runnable> UNDO = new ArrayList<>();
  private static String subnet;
  private static Path dir;
  private static ExternalWorkers workers;

  @BeforeAll
  static void makeTwoHosts() throws Exception {
    String probe = "jmorP" + SUFFIX;
    String why = run("ip", "netns", "add", probe);
    assumeTrue(
        why == null,
        "network namespaces cannot be made here (needs root or CAP_NET_ADMIN and iproute2): "
            + why);
    run("ip", "netns", "del", probe);
    subnet = freeSubnet();
    try {
      must("ip", "link", "add", BRIDGE, "type", "bridge");
      UNDO.add(() -> run("ip", "link", "del", BRIDGE));
      must("ip", "addr", "add", subnet + ".1/24", "dev", BRIDGE);
      must("ip", "link", "set", BRIDGE, "up");
      for (int i = 0; i < NAMESPACES.size(); i++) {
        String ns = NAMESPACES.get(i);
        String host = "jmv" + i + "h" + SUFFIX;
        String peer = "jmv" + i + "n" + SUFFIX;
        must("ip", "netns", "add", ns);
        UNDO.add(() -> run("ip", "netns", "del", ns));
        must("ip", "link", "add", host, "type", "veth", "peer", "name", peer);
        UNDO.add(() -> run("ip", "link", "del", host));
        must("ip", "link", "set", peer, "netns", ns);
        must("ip", "link", "set", host, "master", BRIDGE);
        must("ip", "link", "set", host, "up");
        must("ip", "netns", "exec", ns, "ip", "addr", "add", address(i) + "/24", "dev", peer);
        must("ip", "netns", "exec", ns, "ip", "link", "set", peer, "up");
        must("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
      }
    } catch (IOException | RuntimeException e) {
      undo();
      throw e;
    }
  }

  @AfterAll
  static void removeTwoHosts() {
    try {
      if (workers != null) {
        workers.close();
      }
      if (dir != null) {
        IgniteWorkerMain.deleteTree(dir);
      }
    } finally {
      undo();
    }
  }

  @Test
  void workersInTheirOwnNamespaces_serveADriverOnAnotherAddress() throws Exception {
    dir = Files.createTempDirectory("jmor-netns-test-");
    ClusterKeyStore keyStore = ClusterKeyStore.generate(dir.resolve("cluster.p12"), "netns-test");
    String id = "netns-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> addresses = List.of(address(0) + ":47500..47503", address(1) + ":47500..47503");
    workers = new ExternalWorkers(dir, keyStore, id);
    for (int i = 0; i < 2; i++) {
      workers.start(
          i,
          List.of("ip", "netns", "exec", NAMESPACES.get(i)),
          List.of("--addresses", String.join(",", addresses), "--port-range", "4", "--once"));
    }
    IgniteCluster cluster;
    try {
      cluster =
          IgnitePools.connect(
              ClusterOptions.defaults()
                  .withAddresses(addresses)
                  .withClusterId(id)
                  .withKeyStore(keyStore)
                  .withWorkers(2)
                  .withTimeout(Duration.ofSeconds(90)));
    } catch (RuntimeException | Error e) {
      throw new AssertionError("connecting failed: " + e + "\n" + workers.logs(), e);
    }
    try (WorkerPool pool =
        WorkerPools.builder()
            .backend(ClusterProvider.NAME)
            .property(ClusterProvider.ID, cluster.id())
            .build()) {
      assertThat(pool.apply(TestTasks.workerIndex())).containsExactly(0, 1);
    } finally {
      cluster.close();
    }
    assertThat(workers.logs())
        .contains("jmor worker 0 of cluster " + id + " ready: " + address(0))
        .contains("jmor worker 1 of cluster " + id + " ready: " + address(1));
    assertThat(workers.awaitExit(30)).as("the workers ended\n%s", workers.logs()).isTrue();
  }

  private static String address(int worker) {
    return subnet + "." + (2 + worker);
  }

  /** A 10.x.y.0/24 subnet that no interface of this host uses. */
  private static String freeSubnet() throws IOException {
    String used = output("ip", "-4", "addr");
    for (int attempt = 0; attempt < 50; attempt++) {
      String s =
          "10."
              + (200 + ThreadLocalRandom.current().nextInt(50))
              + "."
              + ThreadLocalRandom.current().nextInt(250);
      if (!used.contains(" " + s + ".")) {
        return s;
      }
    }
    throw new IOException("no free 10.x.y.0/24 subnet found");
  }

  private static void undo() {
    for (int i = UNDO.size() - 1; i >= 0; i--) {
      UNDO.get(i).run();
    }
    UNDO.clear();
  }

  private static void must(String... cmd) throws IOException {
    String why = run(cmd);
    if (why != null) {
      throw new IOException(String.join(" ", cmd) + " failed: " + why);
    }
  }

  /** Runs a command; returns null on success, else its output and exit code. */
  private static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "timed out";
      }
      return p.exitValue() == 0 ? null : out + " (exit code " + p.exitValue() + ")";
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static String output(String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      p.waitFor(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }
}
