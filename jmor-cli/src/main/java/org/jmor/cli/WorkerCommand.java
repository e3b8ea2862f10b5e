package org.jmor.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jmor.parallel.cluster.ClusterKeyStore;
import org.jmor.parallel.cluster.IgniteWorkerMain;
import org.jmor.parallel.cluster.WorkerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jmor worker}: one worker of the cluster pool on this host, for a driver that connects
 * with {@code jmor.cluster.addresses} ({@code IgnitePools.connect}). The same code as the workers
 * that {@code IgnitePools.start} launches ({@link IgniteWorkerMain#run}).
 */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one worker of the cluster pool (an Apache Ignite server node) until it is stopped"
          + " (Ctrl-C, SIGTERM) or, with --once, until the last driver has left.",
      "TLS is mutual: every worker and the driver use the same PKCS12 key store (the password in"
          + " the environment variable "
          + ClusterKeyStore.PASSWORD_ENV
          + " or a file)."
    },
    footer = {
      "",
      "Example, two hosts (10.0.0.2 and 10.0.0.3):",
      "  export " + ClusterKeyStore.PASSWORD_ENV + "=...",
      "  ./jmor worker --cluster-id demo --index 0 --key-store cluster.p12 \\",
      "      --addresses 10.0.0.2:47500..47509,10.0.0.3:47500..47509      # on 10.0.0.2",
      "  (the same with --index 1 on 10.0.0.3)"
    })
public final class WorkerCommand implements Callable<Integer> {

  @Option(
      names = "--cluster-id",
      required = true,
      description = "the cluster id; the driver uses only workers of its id")
  String clusterId;

  @Option(
      names = "--index",
      defaultValue = "auto",
      description =
          "the worker index (0, 1, ...); auto: from SLURM_PROCID, OMPI_COMM_WORLD_RANK, PMIX_RANK"
              + " or PMI_RANK (default: ${DEFAULT-VALUE})")
  String index;

  @Option(
      names = "--key-store",
      required = true,
      description = "the cluster's PKCS12 key store (key and trust store of every node)")
  Path keyStore;

  @Option(
      names = "--key-store-password-file",
      description = "read the key store's password from this file's first line")
  Path passwordFile;

  @Option(
      names = "--key-store-password-env",
      defaultValue = ClusterKeyStore.PASSWORD_ENV,
      description = "the environment variable with the password (default: ${DEFAULT-VALUE})")
  String passwordEnv;

  @Option(
      names = "--addresses",
      split = ",",
      description =
          "the discovery addresses of all workers, host:port or host:first..last (default: this"
              + " worker's own ports on its bind address)")
  List<String> addresses = new ArrayList<>();

  @Option(
      names = "--bind",
      defaultValue = "",
      description =
          "the address to listen on (default: the listed address of this host, else loopback)")
  String bind;

  @Option(
      names = "--discovery-port",
      defaultValue = "" + WorkerSettings.DEFAULT_DISCOVERY_PORT,
      description = "the first discovery port (default: ${DEFAULT-VALUE})")
  int discoveryPort;

  @Option(
      names = "--communication-port",
      defaultValue = "" + WorkerSettings.DEFAULT_COMMUNICATION_PORT,
      description = "the first communication port (default: ${DEFAULT-VALUE})")
  int communicationPort;

  @Option(
      names = "--port-range",
      defaultValue = "" + WorkerSettings.DEFAULT_PORT_RANGE,
      description = "how many ports to try from each first port (default: ${DEFAULT-VALUE})")
  int portRange;

  @Option(
      names = "--allow",
      split = ",",
      description =
          "your classes that tasks and arguments may carry: com.example.* (package and"
              + " sub-packages) or class names")
  List<String> allow = new ArrayList<>();

  @Option(
      names = "--failure-detection-ms",
      defaultValue = "4000",
      description = "failure-detection timeout, the same on every node (default: ${DEFAULT-VALUE})")
  long failureDetectionMillis;

  @Option(
      names = "--once",
      description = "exit when the last driver of the cluster has left (batch jobs)")
  boolean once;

  @Override
  public Integer call() throws Exception {
    Integer idx;
    if (index.equals("auto")) {
      idx = null;
    } else {
      try {
        idx = Integer.valueOf(index.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--index: '" + index + "' is not a number or auto", e);
      }
    }
    WorkerSettings settings =
        new WorkerSettings()
            .clusterId(clusterId)
            .index(idx)
            .keyStore(keyStore)
            .keyStorePasswordFile(passwordFile)
            .keyStorePasswordEnv(passwordEnv)
            .addresses(addresses)
            .bind(bind)
            .ports(discoveryPort, communicationPort, portRange)
            .allow(allow)
            .failureDetectionMillis(failureDetectionMillis)
            .once(once);
    return IgniteWorkerMain.run(settings);
  }
}
