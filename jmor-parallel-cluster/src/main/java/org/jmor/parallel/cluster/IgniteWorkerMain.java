package org.jmor.parallel.cluster;

import java.io.IOException;
import java.io.InputStream;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;

/**
 * The main class of a worker JVM started by {@link IgnitePools#start}: starts an Ignite server node
 * configured from system properties and runs the worker side on it, until its standard input ends
 * (the launcher closed it, or the driver's process died) or the node stops.
 *
 * <p>System properties: {@code jmor.cluster.id}, {@code jmor.cluster.index}, {@code
 * jmor.cluster.host}, {@code jmor.cluster.discovery-port}, {@code jmor.cluster.communication-port},
 * {@code jmor.cluster.port-range}, {@code jmor.cluster.work-dir}, {@code
 * jmor.cluster.failure-detection-ms}, {@code jmor.cluster.region-bytes}.
 */
public final class IgniteWorkerMain {
  private IgniteWorkerMain() {}

  /**
   * Runs one worker.
   *
   * @param args ignored
   * @throws Exception if the node cannot start
   */
  public static void main(String[] args) throws Exception {
    IgniteFlags.check();
    IgniteNodes.quiet();
    String id = required("jmor.cluster.id");
    int index = Integer.parseInt(required("jmor.cluster.index"));
    IgniteNodes.Ports ports =
        new IgniteNodes.Ports(
            required("jmor.cluster.host"),
            Integer.parseInt(required("jmor.cluster.discovery-port")),
            Integer.parseInt(required("jmor.cluster.communication-port")),
            Integer.parseInt(required("jmor.cluster.port-range")));
    Ignite ignite =
        Ignition.start(
            IgniteNodes.config(
                "jmor-" + id + "-worker" + index,
                false,
                id,
                index,
                ports,
                required("jmor.cluster.work-dir"),
                Long.parseLong(required("jmor.cluster.failure-detection-ms")),
                Long.parseLong(required("jmor.cluster.region-bytes"))));
    WorkerService.install(ignite, index);
    System.out.println("jmor worker " + index + " ready");
    System.out.flush();
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(3000);
              } catch (InterruptedException e) {
                return;
              }
              Runtime.getRuntime().halt(0);
            },
            "jmor-exit-watchdog");
    watchdog.setDaemon(true);
    try (InputStream in = System.in) {
      byte[] buf = new byte[64];
      while (in.read(buf) >= 0) {
        // nothing is sent on stdin: it only tells that the launcher is alive
      }
    } catch (IOException e) {
      // the launcher is gone
    }
    watchdog.start();
    System.exit(0);
  }

  private static String required(String key) {
    String v = System.getProperty(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("the worker JVM needs -D" + key);
    }
    return v;
  }
}
