package org.jmor.parallel.cluster;

import java.time.Duration;
import java.util.Locale;
import org.jmor.parallel.PoolConfig;
import org.jmor.parallel.spi.ConfigView;
import org.jmor.parallel.spi.PoolProvider;
import org.jmor.parallel.spi.PoolSpec;
import org.jmor.parallel.spi.Transport;
import org.jspecify.annotations.Nullable;

/**
 * The {@code cluster} backend: worker JVMs on an Apache Ignite cluster (pyMOR's {@code
 * IPythonPool}).
 *
 * <p>Keys: {@value #ID} names a cluster started in this JVM by {@link IgnitePools#start} (the pool
 * runs on it, and closing the pool leaves it running); otherwise {@code jmor.pool=cluster:N} or
 * {@value PoolConfig#CLUSTER_WORKERS} {@code = N} starts N worker JVMs on this host for the pool
 * alone (stopped when the pool closes), waiting {@value #TIMEOUT} (default 60 s) for them and at
 * least {@value #MIN_WAIT} (default 0).
 */
public final class ClusterProvider implements PoolProvider {
  /** The backend name. */
  public static final String NAME = "cluster";

  /** Key: the id of a running cluster started in this JVM. */
  public static final String ID = "jmor.cluster.id";

  /** Key: how long to wait for the workers to join, for example {@code 60s}. */
  public static final String TIMEOUT = "jmor.cluster.timeout";

  /** Key: how long to wait at least before counting the workers, for example {@code 2s}. */
  public static final String MIN_WAIT = "jmor.cluster.min-wait";

  /** Creates the provider (for {@link java.util.ServiceLoader}). */
  public ClusterProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String module() {
    return "org.jmor:jmor-parallel-cluster";
  }

  @Override
  public int priority() {
    return PRIORITY_CONFIGURED;
  }

  @Override
  public boolean detects(ConfigView config) {
    String profile = config.get(PoolConfig.CLUSTER_PROFILE);
    String id = config.get(ID);
    return workers(config) > 0
        || (profile != null && !profile.isBlank())
        || (id != null && !id.isBlank());
  }

  private static int workers(ConfigView config) {
    String v = config.get(PoolConfig.CLUSTER_WORKERS);
    if (v == null) {
      return 0;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          PoolConfig.CLUSTER_WORKERS
              + " from "
              + config.source(PoolConfig.CLUSTER_WORKERS)
              + ": '"
              + v
              + "' is not valid; expected a number of workers >= 0");
    }
  }

  @Override
  public Transport open(PoolSpec spec) throws Exception {
    IgniteFlags.check();
    ConfigView config = spec.config();
    String id = config.get(ID);
    if (id != null && !id.isBlank()) {
      IgniteCluster cluster = IgniteCluster.running(id);
      if (cluster == null) {
        throw new IllegalArgumentException(
            ID
                + " from "
                + config.source(ID)
                + ": no running cluster '"
                + id
                + "' was started in this JVM (connecting to a cluster started elsewhere is not"
                + " supported yet)");
      }
      checkSize(spec.workers(), cluster.size());
      return cluster.openPool(spec.seed(), false);
    }
    int workers = spec.workers() > 0 ? spec.workers() : workers(config);
    if (workers == 0) {
      String profile = config.get(PoolConfig.CLUSTER_PROFILE);
      if (profile != null && !profile.isBlank()) {
        throw new UnsupportedOperationException(
            PoolConfig.CLUSTER_PROFILE
                + "='"
                + profile
                + "': connecting to a cluster profile is not supported yet; set "
                + PoolConfig.CLUSTER_WORKERS
                + " or use jmor.pool=cluster:N to start N local workers");
      }
      workers = Runtime.getRuntime().availableProcessors();
    }
    ClusterOptions options = ClusterOptions.defaults();
    Duration timeout = duration(config, TIMEOUT);
    if (timeout != null) {
      options = options.withTimeout(timeout);
    }
    Duration minWait = duration(config, MIN_WAIT);
    if (minWait != null) {
      options = options.withMinWait(minWait);
    }
    IgniteCluster cluster = IgnitePools.start(workers, options);
    try {
      return cluster.openPool(spec.seed(), true);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private static void checkSize(int requested, int size) {
    if (requested != 0 && requested != size) {
      throw new IllegalArgumentException(
          "the cluster has exactly " + size + " workers, got a request for " + requested);
    }
  }

  private static @Nullable Duration duration(ConfigView config, String key) {
    String v = config.get(key);
    if (v == null) {
      return null;
    }
    String s = v.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
      }
      if (s.endsWith("s")) {
        return Duration.ofMillis(
            Math.round(Double.parseDouble(s.substring(0, s.length() - 1).trim()) * 1000));
      }
      if (s.endsWith("m")) {
        return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1).trim()) * 60);
      }
      if (s.startsWith("pt")) {
        return Duration.parse(s);
      }
      return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          key + " from " + config.source(key) + ": '" + v + "' is not a duration such as 30s");
    }
  }
}
