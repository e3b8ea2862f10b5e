package org.jmor.parallel.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one worker JVM ({@code ./jmor worker}, {@link IgniteWorkerMain}): which cluster
 * it serves, its index, where it listens, whom it asks to join, its key store and the classes it
 * may deserialize. Mutable; {@link IgniteWorkerMain#run} checks it.
 */
public final class WorkerSettings {
  /** The default first discovery port of a worker. */
  public static final int DEFAULT_DISCOVERY_PORT = 47500;

  /** The default first communication port of a worker. */
  public static final int DEFAULT_COMMUNICATION_PORT = 47100;

  /** The default number of ports tried from each first port (workers sharing a host). */
  public static final int DEFAULT_PORT_RANGE = 10;

  /** The environment variables that give the worker index under a launcher, in this order. */
  public static final List<String> RANK_VARIABLES =
      List.of("SLURM_PROCID", "OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK");

  String clusterId = "";
  @Nullable Integer index;
  String bind = "";
  List<String> addresses = List.of();
  int discoveryPort = DEFAULT_DISCOVERY_PORT;
  int communicationPort = DEFAULT_COMMUNICATION_PORT;
  int portRange = DEFAULT_PORT_RANGE;
  @Nullable Path keyStore;
  @Nullable Path keyStorePasswordFile;
  String keyStorePasswordEnv = ClusterKeyStore.PASSWORD_ENV;
  List<String> allow = List.of();
  long failureDetectionMillis = 4000;
  long regionBytes = 32L << 20;
  @Nullable Path workDir;
  long keyStoreWaitMillis;
  boolean tls = true;
  boolean watchStdin;
  boolean once;

  /** Creates settings with the defaults; the cluster id and the key store must be set. */
  public WorkerSettings() {}

  /**
   * Sets the cluster id (required): the driver uses only workers of its id.
   *
   * @param id the id
   * @return this
   */
  public WorkerSettings clusterId(String id) {
    this.clusterId = Objects.requireNonNull(id, "id").strip();
    return this;
  }

  /**
   * Sets the worker index; null (the default) takes it from the first set of {@link
   * #RANK_VARIABLES} (Slurm's {@code srun}, Open MPI, PMIx, MPICH).
   *
   * @param index the index, at least 0, or null
   * @return this
   */
  public WorkerSettings index(@Nullable Integer index) {
    this.index = index;
    return this;
  }

  /**
   * Sets the address to bind; empty (the default): the first listed address that belongs to this
   * host, else the one that routes to the first listed address, loopback without a list.
   *
   * @param bind an address of this host
   * @return this
   */
  public WorkerSettings bind(String bind) {
    this.bind = Objects.requireNonNull(bind, "bind").strip();
    return this;
  }

  /**
   * Sets the discovery addresses of the cluster's workers ({@code host:port} or {@code
   * host:first..last}); empty: this worker's own discovery ports only.
   *
   * @param addresses the addresses
   * @return this
   * @throws IllegalArgumentException if one is malformed
   */
  public WorkerSettings addresses(List<String> addresses) {
    this.addresses = ClusterAddresses.check(addresses, "--addresses");
    return this;
  }

  /**
   * Sets the first ports and how many are tried from each.
   *
   * @param discovery the first discovery port
   * @param communication the first communication port
   * @param range the number of ports tried from each
   * @return this
   */
  public WorkerSettings ports(int discovery, int communication, int range) {
    this.discoveryPort = discovery;
    this.communicationPort = communication;
    this.portRange = range;
    return this;
  }

  /**
   * Sets the cluster's PKCS12 key store (required).
   *
   * @param path the file
   * @return this
   */
  public WorkerSettings keyStore(Path path) {
    this.keyStore = Objects.requireNonNull(path, "path");
    return this;
  }

  /**
   * Reads the key store's password from the first line of a file instead of the environment.
   *
   * @param file the file, or null for the environment
   * @return this
   */
  public WorkerSettings keyStorePasswordFile(@Nullable Path file) {
    this.keyStorePasswordFile = file;
    return this;
  }

  /**
   * Sets the environment variable with the key store's password (default {@value
   * ClusterKeyStore#PASSWORD_ENV}).
   *
   * @param variable the variable
   * @return this
   */
  public WorkerSettings keyStorePasswordEnv(String variable) {
    this.keyStorePasswordEnv = Objects.requireNonNull(variable, "variable");
    return this;
  }

  /**
   * Sets the user's classes this worker may deserialize besides the library's.
   *
   * @param allow {@code com.example.*} (package and sub-packages) or full class names
   * @return this
   * @throws IllegalArgumentException if one is malformed
   */
  public WorkerSettings allow(List<String> allow) {
    this.allow = ClusterAllowList.parse(String.join(",", allow), "--allow");
    return this;
  }

  /**
   * Sets the failure-detection timeout; it must be the same on every node of a cluster.
   *
   * @param millis milliseconds, at least 500
   * @return this
   */
  public WorkerSettings failureDetectionMillis(long millis) {
    this.failureDetectionMillis = millis;
    return this;
  }

  /**
   * Sets the cap of the node's off-heap data region.
   *
   * @param bytes at least 16 MiB
   * @return this
   */
  public WorkerSettings regionBytes(long bytes) {
    this.regionBytes = bytes;
    return this;
  }

  /**
   * Sets Ignite's work directory; null (the default): a temporary directory deleted at exit.
   *
   * @param dir the directory, or null
   * @return this
   */
  public WorkerSettings workDir(@Nullable Path dir) {
    this.workDir = dir;
    return this;
  }

  /**
   * Makes the worker exit when its standard input ends (how a launcher tells it that it is gone).
   *
   * @param watch whether to watch standard input
   * @return this
   */
  public WorkerSettings watchStdin(boolean watch) {
    this.watchStdin = watch;
    return this;
  }

  /**
   * Makes the worker exit once the last driver (client node) of its cluster has left, for batch
   * jobs: start the workers, run the driver, and the workers end with it.
   *
   * @param once whether to exit after the drivers have left
   * @return this
   */
  public WorkerSettings once(boolean once) {
    this.once = once;
    return this;
  }

  /** Returns the worker index: the one set, else from {@link #RANK_VARIABLES}. */
  int resolveIndex(Map<String, String> env) {
    if (index != null) {
      if (index < 0) {
        throw new IllegalArgumentException("--index must be >= 0, got " + index);
      }
      return index;
    }
    for (String v : RANK_VARIABLES) {
      String s = env.get(v);
      if (s != null && !s.isBlank()) {
        try {
          return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(v + "='" + s + "' is not a worker index", e);
        }
      }
    }
    throw new IllegalArgumentException(
        "give the worker index (--index N); none of " + RANK_VARIABLES + " is set");
  }

  /**
   * Sets how long to wait for the key store's file to appear (a launcher starts the worker JVMs
   * while it still generates the key); 0 (the default): it must exist.
   *
   * @param millis the wait, at least 0
   * @return this
   */
  public WorkerSettings keyStoreWaitMillis(long millis) {
    this.keyStoreWaitMillis = millis;
    return this;
  }

  /**
   * Turns TLS off (on by default). Without TLS any process that reaches the worker's ports can join
   * the cluster and run code on it: only for measurements or a network that nobody else reaches;
   * every node of the cluster must then run without TLS.
   *
   * @param tls whether the node uses mutual TLS with the cluster's key store
   * @return this
   */
  public WorkerSettings tls(boolean tls) {
    this.tls = tls;
    return this;
  }

  /** Checks what is required and the ranges. */
  void check() {
    List<String> problems = new ArrayList<>();
    if (clusterId.isEmpty()) {
      problems.add("the cluster id is required (--cluster-id)");
    }
    if (keyStore == null && tls) {
      problems.add("the cluster's key store is required (--key-store)");
    }
    if (discoveryPort < 1 || communicationPort < 1 || portRange < 1) {
      problems.add("ports and the port range must be >= 1");
    }
    if (discoveryPort + portRange > 65536 || communicationPort + portRange > 65536) {
      problems.add("the port ranges end beyond 65535");
    }
    if (keyStoreWaitMillis < 0) {
      problems.add("the key store wait must be >= 0 ms");
    }
    if (failureDetectionMillis < 500) {
      problems.add("the failure-detection timeout must be >= 500 ms");
    }
    if (regionBytes < (16 << 20)) {
      problems.add("the data region must be at least 16 MiB");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }
}
