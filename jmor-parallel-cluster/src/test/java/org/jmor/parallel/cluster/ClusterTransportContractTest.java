package org.jmor.parallel.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.Transport;
import org.jmor.parallel.testkit.TransportContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The transport contract on clusters of 1 and 2 worker JVMs (one per size for the class, with 1 GiB
 * worker heaps for the 256 MiB echo, which holds the request and the reply at once); a killed
 * worker is SIGKILLed, and its cluster replaced for the next test.
 *
 * <p>These clusters run without TLS: the module's tests run on the C1 JIT only ({@code
 * JAVA_TOOL_OPTIONS} in the pom), which has no AES intrinsics, so with TLS the 256 MiB echo spent
 * 20–25 s encrypting in Java on an idle 2-core machine and over the 60 s reply limit in two CI runs
 * (once its driver node's discovery connection broke meanwhile). The frames and the transport are
 * the same with and without TLS; the pool suites run on TLS clusters.
 */
class ClusterTransportContractTest extends TransportContract {
  private final IgniteCluster[] clusters = new IgniteCluster[3];

  /**
   * The shared clusters of the other test classes (up to 6 idle worker JVMs and 3 driver nodes in
   * this JVM) stop first: beside them, on 2 cores, the 256 MiB echo starved a driver node until its
   * discovery connection broke (JVM pauses of 1.1–1.5 s reported by every node of this JVM).
   */
  @BeforeAll
  static void stopSharedClusters() {
    SharedCluster.closeAll();
  }

  @Override
  protected synchronized Transport createTransport(int workers) {
    IgniteCluster c = clusters[workers];
    if (c != null && !c.isClosed()) {
      for (int i = 0; i < c.size(); i++) {
        if (!ProcessHandle.of(c.pid(i)).map(ProcessHandle::isAlive).orElse(false)) {
          c.close();
          break;
        }
      }
    }
    if (c == null || c.isClosed()) {
      try {
        c =
            IgnitePools.start(
                workers,
                ClusterOptions.defaults()
                    .withTls(false)
                    .withWorkerJvmOptions(List.of("-Xmx1g", "-XX:+UseParallelGC")));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      clusters[workers] = c;
    }
    return c.openPool(42);
  }

  @Override
  protected CompletableFuture<Frame> killWorker(Transport transport, int worker) {
    for (IgniteCluster c : clusters) {
      if (c != null && !c.isClosed() && c.size() == transport.size()) {
        ProcessHandle.of(c.pid(worker)).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    return null;
  }

  @AfterAll
  void stopClusters() {
    for (IgniteCluster c : clusters) {
      if (c != null) {
        ClusterTestSupport.closeAndCheck(c);
      }
    }
  }
}
