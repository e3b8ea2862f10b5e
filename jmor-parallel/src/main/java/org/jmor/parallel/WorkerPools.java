package org.jmor.parallel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import org.jmor.parallel.spi.PoolProvider;
import org.jmor.parallel.spi.PoolSpec;
import org.jmor.parallel.spi.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Static factories for {@link WorkerPool}s.
 *
 * <h2>Pools you create</h2>
 *
 * {@link #sequential()}, {@link #threads(int)} and {@link #builder()} return a new pool that the
 * caller owns and must {@link WorkerPool#close() close}.
 *
 * <h2>The process-wide pool</h2>
 *
 * {@link #newParallelPool(ParallelPoolOptions)} (pyMOR's {@code new_parallel_pool}) chooses a
 * backend from the options and the configuration ({@link PoolConfig}), in this order:
 *
 * <ol>
 *   <li>the backend named by {@link PoolConfig#POOL}, if it is not {@code auto};
 *   <li>{@code cluster}, if cluster workers ({@code > 0}) or a cluster profile are configured;
 *   <li>{@code mpi}, if MPI is allowed and the process was started by {@code mpirun} with more than
 *       one rank ({@code OMPI_COMM_WORLD_SIZE} or {@code PMI_SIZE} &gt; 1);
 *   <li>{@code threads} with one worker per available processor, if there is more than one;
 *   <li>{@code sequential}.
 * </ol>
 *
 * The first pool is cached for the process: later calls return it whatever their options and log
 * the warning {@value #REUSE_WARNING}. This cache is the library's one piece of global state.
 * {@link #resetParallelPool()} closes the cached pool and empties the cache; a pool closed by its
 * user is replaced on the next call.
 */
public final class WorkerPools {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerPools.class);

  /** The warning logged when {@link #newParallelPool} returns the cached pool (pyMOR's N4). */
  public static final String REUSE_WARNING =
      "newParallelPool already called; returning old pool (this might not be what you want).";

  static final String BACKENDS = "sequential, threads, threads:N, cluster, mpi";
  private static final Map<String, String> MODULES =
      Map.of(
          "cluster", "org.jmor:jmor-parallel-cluster",
          "mpi", "org.jmor:jmor-parallel-mpi");

  private static GenericWorkerPool cached;

  private WorkerPools() {}

  /**
   * Returns a new sequential pool: one worker, the calling thread; {@link WorkerPool#isParallel()}
   * is false (pyMOR's {@code DummyPool}). A pushed mutable object is deep-copied, an {@link
   * Immutable} one is stored as it is, and arguments and results are passed by reference.
   */
  public static WorkerPool sequential() {
    return builder().backend("sequential").build();
  }

  /**
   * Returns a new pool of {@code workers} threads in this JVM.
   *
   * @param workers at least 1
   * @return the pool
   * @throws IllegalArgumentException if {@code workers < 1}
   */
  public static WorkerPool threads(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    return builder().backend("threads").workers(workers).build();
  }

  /** Returns a builder for a pool with explicit options. */
  public static PoolBuilder builder() {
    return new PoolBuilder();
  }

  /** Same as {@code newParallelPool(ParallelPoolOptions.defaults())}. */
  public static WorkerPool newParallelPool() {
    return newParallelPool(ParallelPoolOptions.defaults());
  }

  /**
   * Returns the process-wide pool, creating it from {@code options} and the configuration on the
   * first call (see the class documentation). The caller must not close it; use {@link
   * #resetParallelPool()}.
   *
   * @param options explicit options; unset ones come from the configuration
   * @return the cached pool
   * @throws IllegalArgumentException if the configuration names an unknown backend or one that is
   *     not on the class path, or holds a malformed value
   */
  public static synchronized WorkerPool newParallelPool(ParallelPoolOptions options) {
    if (cached != null && !cached.isClosed()) {
      LOG.warn(REUSE_WARNING);
      return cached;
    }
    Config c = new Config(options);
    String backend = c.backend();
    int workers = c.workers();
    if (workers == 0 && backend.equals("cluster")) {
      workers = c.clusterWorkers();
    }
    cached =
        (GenericWorkerPool)
            open(
                backend,
                workers,
                c.seed(),
                c.splitRule(),
                c.strict(),
                Settings.create(),
                c.backendProperties());
    LOG.info("new parallel pool: {}", cached);
    return cached;
  }

  /** Closes the process-wide pool, if any, so that the next call creates a new one. */
  public static synchronized void resetParallelPool() {
    if (cached != null) {
      cached.close();
      cached = null;
    }
  }

  static WorkerPool open(
      String backend,
      int workers,
      long seed,
      SplitRule split,
      boolean strict,
      Settings settings,
      Map<String, String> properties) {
    String name = backend;
    int n = workers;
    int colon = backend.indexOf(':');
    if (colon >= 0) {
      name = backend.substring(0, colon);
      n = parseInt(backend.substring(colon + 1), PoolConfig.POOL, backend);
      if (n < 1) {
        throw new IllegalArgumentException("pool '" + backend + "': the worker count must be >= 1");
      }
    }
    switch (name) {
      case "sequential":
        if (n > 1) {
          throw new IllegalArgumentException(
              "the sequential pool has exactly 1 worker, got " + n + "; use threads:" + n);
        }
        return new GenericWorkerPool(
            GenericWorkerPool.nextName("sequential"),
            Channels.sequential(seed, strict),
            "sequential",
            false,
            split,
            settings,
            null,
            null);
      case "threads":
        int t = n == 0 ? Runtime.getRuntime().availableProcessors() : n;
        String label = GenericWorkerPool.nextName("threads");
        return new GenericWorkerPool(
            label,
            Channels.threads(t, seed, strict, label),
            "threads",
            true,
            split,
            settings,
            null,
            null);
      default:
        return openProvider(name, n, seed, split, settings, properties);
    }
  }

  private static WorkerPool openProvider(
      String name,
      int workers,
      long seed,
      SplitRule split,
      Settings settings,
      Map<String, String> properties) {
    for (PoolProvider p : ServiceLoader.load(PoolProvider.class)) {
      if (p.name().equalsIgnoreCase(name)) {
        Transport t;
        try {
          t = p.open(new PoolSpec(workers, seed, properties));
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException("cannot start the " + name + " pool: " + e, e);
        }
        return new GenericWorkerPool(t, name, true, split, settings, null, null);
      }
    }
    String module = MODULES.get(name);
    if (module != null) {
      throw new IllegalArgumentException(
          "the "
              + name
              + " pool is not on the class path; add "
              + "the module "
              + module
              + " to use it");
    }
    throw new IllegalArgumentException("unknown pool '" + name + "'; expected one of: " + BACKENDS);
  }

  static int parseInt(String value, String key, String whole) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key + ": '" + whole + "' is not valid; expected an " + "integer", e);
    }
  }

  static boolean isMpiRun(Map<String, String> env) {
    for (String var : new String[] {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
      String v = env.get(var);
      if (v != null) {
        try {
          if (Integer.parseInt(v.trim()) > 1) {
            return true;
          }
        } catch (NumberFormatException e) {
          // not an MPI size
        }
      }
    }
    return false;
  }

  /** Resolves every key: explicit option, system property, environment, file, default. */
  static final class Config {
    private final ParallelPoolOptions o;
    private final Properties sys;
    private final Map<String, String> env;
    private final Properties file = new Properties();

    Config(ParallelPoolOptions options) {
      this.o = options;
      this.sys =
          options.systemProperties != null ? options.systemProperties : System.getProperties();
      this.env = options.environment != null ? options.environment : System.getenv();
      Path path = options.configFile;
      if (path == null) {
        String p = lookup(PoolConfig.CONFIG_FILE, null);
        path = p != null ? Paths.get(p) : Paths.get("jmor.properties");
        if (p != null && !Files.exists(path)) {
          throw new IllegalArgumentException(
              PoolConfig.CONFIG_FILE + ": file " + path + " does not exist");
        }
      }
      if (Files.isRegularFile(path)) {
        try (InputStream in = Files.newInputStream(path)) {
          file.load(in);
        } catch (IOException e) {
          throw new IllegalArgumentException("cannot read " + path + ": " + e, e);
        }
      }
    }

    private String lookup(String key, Object explicit) {
      if (explicit != null) {
        return explicit.toString();
      }
      // a blank value counts as unset at every level
      for (String v :
          new String[] {
            sys.getProperty(key), env.get(PoolConfig.envName(key)), file.getProperty(key)
          }) {
        if (v != null && !v.isBlank()) {
          return v.trim();
        }
      }
      return null;
    }

    String backend() {
      String pool = lookup(PoolConfig.POOL, o.pool);
      if (pool != null && !pool.equalsIgnoreCase("auto")) {
        return pool.toLowerCase(Locale.ROOT);
      }
      int clusterWorkers = clusterWorkers();
      String profile = lookup(PoolConfig.CLUSTER_PROFILE, o.clusterProfile);
      if (clusterWorkers > 0 || profile != null) {
        return "cluster";
      }
      if (allowMpi() && isMpiRun(env)) {
        return "mpi";
      }
      return Runtime.getRuntime().availableProcessors() > 1 || workers() > 1
          ? "threads"
          : "sequential";
    }

    int workers() {
      String v = lookup(PoolConfig.WORKERS, o.workers);
      int n = v == null ? 0 : parseInt(v, PoolConfig.WORKERS, v);
      if (n < 0) {
        throw new IllegalArgumentException(PoolConfig.WORKERS + " must be >= 0, got " + n);
      }
      return n;
    }

    int clusterWorkers() {
      // 0 given explicitly means "no cluster" and does not fall back to the configuration (N3)
      String v =
          o.clusterWorkers != null
              ? o.clusterWorkers.toString()
              : lookup(PoolConfig.CLUSTER_WORKERS, null);
      return v == null ? 0 : parseInt(v, PoolConfig.CLUSTER_WORKERS, v);
    }

    boolean allowMpi() {
      String v = lookup(PoolConfig.ALLOW_MPI, o.allowMpi);
      return v == null || parseBoolean(v, PoolConfig.ALLOW_MPI);
    }

    long seed() {
      String v = lookup(PoolConfig.SEED, o.seed);
      if (v == null) {
        return PoolConfig.DEFAULT_SEED;
      }
      try {
        long s = Long.parseLong(v);
        if (s < 0) {
          throw new IllegalArgumentException(PoolConfig.SEED + " must be >= 0, got " + s);
        }
        return s;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(PoolConfig.SEED + ": '" + v + "' is not an integer", e);
      }
    }

    SplitRule splitRule() {
      String v = lookup(PoolConfig.SPLIT, o.splitRule);
      if (v == null) {
        return SplitRule.BALANCED;
      }
      try {
        return SplitRule.valueOf(v.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            PoolConfig.SPLIT + ": '" + v + "' is not valid; expected balanced or ceiling", e);
      }
    }

    boolean strict() {
      String v = lookup(PoolConfig.STRICT, o.strict);
      return v != null && parseBoolean(v, PoolConfig.STRICT);
    }

    Map<String, String> backendProperties() {
      java.util.HashMap<String, String> m = new java.util.HashMap<>();
      String profile = lookup(PoolConfig.CLUSTER_PROFILE, o.clusterProfile);
      if (profile != null) {
        m.put(PoolConfig.CLUSTER_PROFILE, profile);
      }
      return m;
    }

    private static boolean parseBoolean(String v, String key) {
      if (v.equalsIgnoreCase("true")) {
        return true;
      }
      if (v.equalsIgnoreCase("false")) {
        return false;
      }
      throw new IllegalArgumentException(
          key + ": '" + v + "' is not valid; expected true or false");
    }
  }
}
