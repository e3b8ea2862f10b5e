package org.jmor.parallel.cluster;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.jmor.parallel.spi.ConfigView;
import org.jmor.parallel.spi.PoolProvider;
import org.jmor.parallel.spi.PoolSpec;
import org.jmor.parallel.spi.Transport;
import org.jspecify.annotations.Nullable;

/**
 * The {@code cluster} backend: worker JVMs on an Apache Ignite cluster (pyMOR's {@code
 * IPythonPool}).
 *
 * <p>Keys, in this order:
 *
 * <ul>
 *   <li>{@value #ADDRESSES} connects to workers started elsewhere ({@code ./jmor worker}): with
 *       {@value #ID} (their cluster id), {@value #KEY_STORE} (the cluster's PKCS12 key store, its
 *       password in the environment variable {@value ClusterKeyStore#PASSWORD_ENV} or the file
 *       {@value #KEY_STORE_PASSWORD_FILE}), optionally {@value #BIND} and {@value #WORKERS} (how
 *       many workers to wait for). Closing the pool leaves the cluster; the workers keep running.
 *   <li>{@value #PROFILE} names a properties file with these keys: {@code NAME} stands for {@code
 *       ~/.jmor/cluster/NAME.properties}, a value with a {@code /} or ending in {@code .properties}
 *       for that file. Keys set elsewhere win over the file's.
 *   <li>{@value #ID} alone names a cluster started in this JVM by {@link IgnitePools#start} (the
 *       pool runs on it, and closing the pool leaves it running).
 *   <li>Otherwise {@code jmor.pool=cluster:N} or {@value #WORKERS} {@code = N} starts N worker JVMs
 *       on this host for the pool alone (stopped when the pool closes), with a fresh key pair,
 *       allowing the classes of {@value #ALLOW} besides the library's.
 * </ul>
 *
 * <p>{@value #TIMEOUT} (default 60 s) and {@value #MIN_WAIT} (default 0) bound the wait for the
 * workers.
 */
public final class ClusterProvider implements PoolProvider {
  /** The backend name. */
  public static final String NAME = "cluster";

  /**
   * Key: number of cluster workers (pyMOR's {@code ipython_num_engines}); a positive number asks
   * for a cluster pool, 0 means no cluster.
   */
  public static final String WORKERS = "jmor.cluster.workers";

  /** Key: cluster profile (pyMOR's {@code ipython_profile}); non-empty asks for a cluster pool. */
  public static final String PROFILE = "jmor.cluster.profile";

  /** Key: the id of a running cluster started in this JVM. */
  public static final String ID = "jmor.cluster.id";

  /** Key: the discovery addresses of workers started elsewhere, separated by commas. */
  public static final String ADDRESSES = "jmor.cluster.addresses";

  /** Key: the cluster's PKCS12 key store (for {@value #ADDRESSES}). */
  public static final String KEY_STORE = "jmor.cluster.key-store";

  /** Key: a file whose first line is the key store's password (else the environment). */
  public static final String KEY_STORE_PASSWORD_FILE = "jmor.cluster.key-store-password-file";

  /**
   * Key: the address of this host that the driver binds (default: the one reaching the workers).
   */
  public static final String BIND = "jmor.cluster.bind";

  /**
   * Key: the user's classes that started workers may deserialize besides the library's: {@code
   * com.example.*} (a package and its sub-packages) or class names, separated by commas.
   */
  public static final String ALLOW = "jmor.cluster.allow";

  /** Key: how long to wait for the workers to join, for example {@code 60s}. */
  public static final String TIMEOUT = "jmor.cluster.timeout";

  /** Key: how long to wait at least before counting the workers, for example {@code 2s}. */
  public static final String MIN_WAIT = "jmor.cluster.min-wait";

  /** Creates the provider (for {@link java.util.ServiceLoader}). */
  public ClusterProvider() {}

  /** The keys this backend reads, from where they are declared (for the factory's check). */
  @Override
  public java.util.Set<String> keys() {
    return org.jmor.parallel.spi.ConfigKeys.declaredIn(
        ClusterProvider.class, ClassDataSharing.class, ClusterKeyStore.class);
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Returns null: a node that leaves fails only its own requests, the other nodes go on, and close
   * ends every worker JVM the pool started (the pool may {@linkplain
   * org.jmor.parallel.OnWorkerLoss#SHRINK shrink}).
   */
  @Override
  public @Nullable String shrinkUnsupported() {
    return null;
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
    String profile = config.get(PROFILE);
    String id = config.get(ID);
    String addresses = config.get(ADDRESSES);
    return workers(config) > 0
        || (profile != null && !profile.isBlank())
        || (id != null && !id.isBlank())
        || (addresses != null && !addresses.isBlank());
  }

  private static int workers(ConfigView config) {
    return workers(config, Map.of());
  }

  private static int workers(ConfigView config, Map<String, String> profile) {
    String v = get(config, profile, WORKERS);
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
          WORKERS
              + " from "
              + source(config, profile, WORKERS)
              + ": '"
              + v
              + "' is not valid; expected a number of workers >= 0");
    }
  }

  @Override
  public Transport open(PoolSpec spec) throws Exception {
    IgniteFlags.check();
    ConfigView config = spec.config();
    Map<String, String> profile = profile(config);
    String addresses = get(config, profile, ADDRESSES);
    String id = get(config, profile, ID);
    ClusterOptions options = ClusterOptions.defaults();
    Duration timeout = duration(config, profile, TIMEOUT);
    if (timeout != null) {
      options = options.withTimeout(timeout);
    }
    Duration minWait = duration(config, profile, MIN_WAIT);
    if (minWait != null) {
      options = options.withMinWait(minWait);
    }
    if (addresses != null) {
      options =
          options
              .withAddresses(
                  ClusterAddresses.parse(
                      addresses, ADDRESSES + " from " + source(config, profile, ADDRESSES)))
              .withWorkers(spec.workers() > 0 ? spec.workers() : workers(config, profile))
              .withKeyStore(keyStore(config, profile));
      if (id == null) {
        throw new IllegalArgumentException(
            ADDRESSES + " is set: " + ID + " (the workers' cluster id) is required as well");
      }
      options = options.withClusterId(id);
      String bind = get(config, profile, BIND);
      if (bind != null) {
        options = options.withBind(bind);
      }
      IgniteCluster cluster = IgnitePools.connect(options);
      try {
        checkSize(spec.workers(), cluster.size());
        return cluster.openPool(true);
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      }
    }
    if (id != null) {
      IgniteCluster cluster = IgniteCluster.running(id);
      if (cluster == null) {
        throw new IllegalArgumentException(
            ID
                + " from "
                + source(config, profile, ID)
                + ": no running cluster '"
                + id
                + "' was started in this JVM (to connect to workers started elsewhere, set "
                + ADDRESSES
                + " and "
                + KEY_STORE
                + " as well)");
      }
      checkSize(spec.workers(), cluster.size());
      return cluster.openPool(false);
    }
    if (!profile.isEmpty()) {
      throw new IllegalArgumentException(
          PROFILE
              + "='"
              + config.get(PROFILE)
              + "': the profile sets no "
              + ADDRESSES
              + " (the workers to connect to)");
    }
    int workers = spec.workers() > 0 ? spec.workers() : workers(config);
    if (workers == 0) {
      workers = Runtime.getRuntime().availableProcessors();
    }
    String allow = config.get(ALLOW);
    if (allow != null) {
      options =
          options.withAllow(ClusterAllowList.parse(allow, ALLOW + " from " + config.source(ALLOW)));
    }
    IgniteCluster cluster = IgnitePools.start(workers, options);
    try {
      return cluster.openPool(true);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private static ClusterKeyStore keyStore(ConfigView config, Map<String, String> profile) {
    String path = get(config, profile, KEY_STORE);
    if (path == null) {
      throw new IllegalArgumentException(
          ADDRESSES
              + " is set: "
              + KEY_STORE
              + " (the cluster's PKCS12 key store, the same file the workers use) is required as"
              + " well");
    }
    String file = get(config, profile, KEY_STORE_PASSWORD_FILE);
    if (file != null) {
      return ClusterKeyStore.withPasswordFile(Path.of(path), Path.of(file));
    }
    String pw = config.env(ClusterKeyStore.PASSWORD_ENV);
    if (pw == null) {
      throw new IllegalArgumentException(
          "the password of the key store "
              + path
              + " is expected in the environment variable "
              + ClusterKeyStore.PASSWORD_ENV
              + " or in the file named by "
              + KEY_STORE_PASSWORD_FILE);
    }
    return ClusterKeyStore.of(Path.of(path), pw.toCharArray());
  }

  /** The keys of the profile's file, or none when no profile is set. */
  static Map<String, String> profile(ConfigView config) {
    String name = config.get(PROFILE);
    if (name == null || name.isBlank()) {
      return Map.of();
    }
    Path file =
        name.contains("/") || name.endsWith(".properties")
            ? Path.of(name)
            : Path.of(System.getProperty("user.home"), ".jmor", "cluster", name + ".properties");
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          PROFILE
              + " from "
              + config.source(PROFILE)
              + ": cannot read the profile "
              + file
              + " ("
              + org.jmor.base.IoReasons.reason(e, file)
              + "); a profile is a properties file with "
              + ADDRESSES
              + ", "
              + ID
              + ", "
              + KEY_STORE
              + ", ...",
          e);
    }
    Map<String, String> out = new TreeMap<>();
    for (String k : p.stringPropertyNames()) {
      String v = p.getProperty(k).strip();
      if (!v.isEmpty()) {
        out.put(k, v);
      }
    }
    out.put(PROFILE_FILE, file.toString());
    return out;
  }

  private static final String PROFILE_FILE = " file";

  private static @Nullable String get(ConfigView config, Map<String, String> profile, String key) {
    String v = config.get(key);
    return v != null ? v : profile.get(key);
  }

  private static String source(ConfigView config, Map<String, String> profile, String key) {
    return config.get(key) == null && profile.containsKey(key)
        ? "profile " + profile.get(PROFILE_FILE)
        : config.source(key);
  }

  private static void checkSize(int requested, int size) {
    if (requested != 0 && requested != size) {
      throw new IllegalArgumentException(
          "the cluster has exactly " + size + " workers, got a request for " + requested);
    }
  }

  private static @Nullable Duration duration(
      ConfigView config, Map<String, String> profile, String key) {
    String v = get(config, profile, key);
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
          key
              + " from "
              + source(config, profile, key)
              + ": '"
              + v
              + "' is not a duration such as 30s");
    }
  }
}
