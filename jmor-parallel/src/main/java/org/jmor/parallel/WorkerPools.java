package org.jmor.parallel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.jmor.parallel.spi.ConfigView;
import org.jmor.parallel.spi.PoolProvider;
import org.jmor.parallel.spi.PoolSpec;
import org.jmor.parallel.spi.Transport;
import org.jspecify.annotations.Nullable;
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
 * <h2>Backends</h2>
 *
 * The core has two built-in backends, {@code sequential} and {@code threads}. Every other backend
 * is a {@link PoolProvider} found with {@link ServiceLoader} (through the thread's context class
 * loader); by convention the backend {@code <name>} ships in the module {@code
 * org.jmor:jmor-parallel-<name>}, and reads its own keys {@code jmor.<name>.*}.
 *
 * <h2>The process-wide pool</h2>
 *
 * {@link #newParallelPool(ParallelPoolOptions)} (pyMOR's {@code new_parallel_pool}) chooses a
 * backend from the options and the configuration ({@link PoolConfig}), in this order:
 *
 * <ol>
 *   <li>the backend named by {@link PoolConfig#POOL}, if it is set and not {@code auto};
 *   <li>among the providers that {@linkplain PoolProvider#detects detect} their environment (a
 *       configured cluster, an {@code mpirun} launch), the one of highest {@linkplain
 *       PoolProvider#priority() priority};
 *   <li>{@code threads} with one worker per available processor ({@link PoolConfig#WORKERS} if
 *       set), if there is more than one processor or more than one worker is configured;
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

  static final String SEQUENTIAL = "sequential";
  static final String THREADS = "threads";
  private static final String MODULE_PATTERN = "org.jmor:jmor-parallel-";

  private static @Nullable GenericWorkerPool cached;

  private WorkerPools() {}

  /**
   * Returns a new sequential pool: one worker, the calling thread; {@link WorkerPool#isParallel()}
   * is false (pyMOR's {@code DummyPool}). A pushed mutable object is deep-copied, an {@link
   * Immutable} one is stored as it is, and arguments and results are passed by reference.
   */
  public static WorkerPool sequential() {
    return builder().backend(SEQUENTIAL).build();
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
    return builder().backend(THREADS).workers(workers).build();
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
   * @throws IllegalArgumentException if the configuration names a backend that is not on the class
   *     path, or holds a malformed value
   * @throws IllegalStateException if the backend fails to start
   */
  public static synchronized WorkerPool newParallelPool(ParallelPoolOptions options) {
    Objects.requireNonNull(options, "options");
    if (cached != null && !cached.isClosed()) {
      LOG.warn(REUSE_WARNING);
      return cached;
    }
    // probable typos in the configuration: one line each, before anything starts
    for (String w : KeyCheck.warnings(new ResolvedConfig(options), providers())) {
      LOG.warn(w);
    }
    cached = open(options, Settings.create());
    LOG.info("new parallel pool: {}", cached);
    return cached;
  }

  /**
   * Returns the configuration that {@link #newParallelPool(ParallelPoolOptions)} would resolve for
   * {@code options}, without starting anything: for callers that check or report values (and where
   * each comes from, {@link ConfigView#source}) before they start a pool.
   *
   * @param options explicit options; unset ones come from the configuration
   * @return the resolved view
   * @throws IllegalArgumentException if the properties file named by {@code jmor.config} does not
   *     exist, or the properties file cannot be read or is malformed
   */
  public static ConfigView configuration(ParallelPoolOptions options) {
    return new ResolvedConfig(Objects.requireNonNull(options, "options"));
  }

  /** Closes the process-wide pool, if any, so that the next call creates a new one. */
  public static synchronized void resetParallelPool() {
    if (cached != null) {
      cached.close();
      cached = null;
    }
  }

  /** The choice of backend: a built-in (provider null) or a provider. */
  record Selection(String backend, int workers, @Nullable PoolProvider provider) {}

  /** The providers on the context class path, in ServiceLoader order. */
  static List<PoolProvider> providers() {
    List<PoolProvider> list = new ArrayList<>();
    ServiceLoader.load(PoolProvider.class).forEach(list::add);
    return list;
  }

  /**
   * Opens the pool that {@code options} and the configuration describe: the one path of {@link
   * #newParallelPool} and {@link PoolBuilder#build()}.
   */
  static GenericWorkerPool open(ParallelPoolOptions options, Settings settings) {
    ResolvedConfig c = new ResolvedConfig(options);
    List<PoolProvider> providers = providers();
    // every core key is checked before anything starts
    Selection s = select(c, providers);
    long seed = c.seed();
    SplitRule split = c.splitRule();
    boolean strict = c.strict();
    Duration timeout = c.timeout();
    Duration closeTimeout = c.closeTimeout();
    boolean shrink = c.onWorkerLoss() == OnWorkerLoss.SHRINK;
    int n = s.workers();
    switch (s.backend()) {
      case SEQUENTIAL:
        if (n > 1) {
          throw new IllegalArgumentException(
              "the sequential pool has exactly 1 worker, got " + n + "; use threads:" + n);
        }
        String sequentialName = GenericWorkerPool.nextName(SEQUENTIAL);
        return new GenericWorkerPool(
            sequentialName,
            Channels.sequential(seed, strict, options.recorder().isOn()),
            SEQUENTIAL,
            false,
            split,
            settings,
            timeout,
            closeTimeout,
            shrink,
            options.recorder());
      case THREADS:
        int t = n == 0 ? Runtime.getRuntime().availableProcessors() : n;
        String label = GenericWorkerPool.nextName(THREADS);
        return new GenericWorkerPool(
            label,
            Channels.threads(t, seed, strict, label, options.recorder().isOn()),
            THREADS,
            true,
            split,
            settings,
            timeout,
            closeTimeout,
            shrink,
            options.recorder());
      default:
        PoolProvider p = Objects.requireNonNull(s.provider());
        String name = p.name().toLowerCase(Locale.ROOT);
        String cannotShrink = shrink ? p.shrinkUnsupported() : null;
        if (cannotShrink != null) {
          throw new IllegalArgumentException(
              PoolConfig.ON_WORKER_LOSS
                  + ": 'shrink' (from "
                  + c.source(PoolConfig.ON_WORKER_LOSS)
                  + ") is not supported by the "
                  + name
                  + " pool: "
                  + cannotShrink
                  + "; use fail (the default)");
        }
        Map<String, String> properties = new TreeMap<>(c.withPrefix("jmor." + name + "."));
        options.values().forEach((k, v) -> properties.putIfAbsent(k, v));
        Transport transport;
        try {
          transport = p.open(new PoolSpec(n, seed, properties, c));
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException("cannot start the " + name + " pool: " + e, e);
        }
        return create(
            transport,
            seed,
            name,
            true,
            split,
            settings,
            timeout,
            closeTimeout,
            shrink,
            options.recorder());
    }
  }

  /** The one place where pools are constructed. */
  private static GenericWorkerPool create(
      Transport transport,
      long seed,
      String backend,
      boolean parallel,
      SplitRule split,
      Settings settings,
      @Nullable Duration callTimeout,
      @Nullable Duration closeTimeout,
      boolean shrink,
      org.jmor.parallel.events.Recorder recorder) {
    return new GenericWorkerPool(
        transport,
        seed,
        backend,
        parallel,
        split,
        settings,
        callTimeout,
        closeTimeout,
        shrink,
        recorder);
  }

  /** Chooses the backend (see the class documentation). */
  static Selection select(ResolvedConfig c, List<PoolProvider> providers) {
    PoolName pool = c.pool();
    int workers = c.workers();
    if (!pool.isAuto()) {
      int n = pool.workers() != 0 ? pool.workers() : workers;
      String name = pool.backend();
      if (name.equals(SEQUENTIAL) || name.equals(THREADS)) {
        return new Selection(name, n, null);
      }
      for (PoolProvider p : providers) {
        if (p.name().equalsIgnoreCase(name)) {
          return new Selection(name, n, p);
        }
      }
      IllegalArgumentException e = notOnClassPath(name, providers);
      String source = c.source(PoolConfig.POOL);
      if (!source.equals("option")) {
        // the value came from the configuration: say where, as for every other bad value
        e =
            new IllegalArgumentException(
                PoolConfig.POOL
                    + ": '"
                    + Shown.cut(String.valueOf(c.get(PoolConfig.POOL)))
                    + "' (from "
                    + source
                    + "): "
                    + e.getMessage());
      }
      throw e;
    }
    PoolProvider best = null;
    for (PoolProvider p : providers) {
      if (p.detects(c)
          && (best == null
              || p.priority() > best.priority()
              || (p.priority() == best.priority() && p.name().compareTo(best.name()) < 0))) {
        best = p;
      }
    }
    if (best != null) {
      LOG.debug("auto: {} detects its environment (priority {})", best.name(), best.priority());
      return new Selection(best.name().toLowerCase(Locale.ROOT), workers, best);
    }
    return Runtime.getRuntime().availableProcessors() > 1 || workers > 1
        ? new Selection(THREADS, workers, null)
        : new Selection(SEQUENTIAL, workers, null);
  }

  /** The list of backends for messages: the built-ins and the providers found. */
  static String available(List<PoolProvider> providers) {
    StringBuilder b = new StringBuilder(SEQUENTIAL + ", " + THREADS + ", " + THREADS + ":N");
    List<PoolProvider> sorted = new ArrayList<>(providers);
    sorted.sort(Comparator.comparing(PoolProvider::name));
    for (PoolProvider p : sorted) {
      b.append(", ").append(p.name());
      String module = p.module();
      if (module != null && !module.isBlank()) {
        b.append(" (").append(module).append(')');
      }
    }
    return b.toString();
  }

  private static IllegalArgumentException notOnClassPath(
      String name, List<PoolProvider> providers) {
    if (name.length() > Shown.LIMIT) {
      // a long value is shown once, cut
      return new IllegalArgumentException(
          "unknown pool '"
              + Shown.cut(name)
              + "'; expected one of: "
              + available(providers)
              + " (jmor backends come in modules named "
              + MODULE_PATTERN
              + "<name>)");
    }
    return new IllegalArgumentException(
        "unknown pool '"
            + name
            + "': the "
            + name
            + " pool is not on the class path; jmor backends come in modules named "
            + MODULE_PATTERN
            + "<name>, so add "
            + MODULE_PATTERN
            + name
            + " if that is the backend you mean; expected one of: "
            + available(providers));
  }
}
