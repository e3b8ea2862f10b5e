package org.jmor.parallel.testkit;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jmor.parallel.spi.ConfigView;
import org.jmor.parallel.spi.PoolProvider;
import org.jmor.parallel.spi.PoolSpec;
import org.jmor.parallel.spi.Transport;

/**
 * Stand-ins of the cluster and MPI backends, which live outside the core, for end-to-end tests of
 * provider detection, priority and the keys each provider reads. They run on {@link
 * LoopbackTransport} and record the last {@link PoolSpec} they were given.
 *
 * <p>They are registered only inside {@link #run(Supplier)}, which makes the thread's context class
 * loader (the one {@link java.util.ServiceLoader} uses) see an extra {@code META-INF/services}
 * file; outside it the test class path has no cluster or MPI backend, as in a plain installation.
 */
final class FakeBackends {
  // a backend's keys, which the core does not name (see ClusterProvider and MpiProvider)
  static final String CLUSTER_WORKERS = "jmor.cluster.workers";
  static final String CLUSTER_PROFILE = "jmor.cluster.profile";
  static final String ALLOW_MPI = "jmor.mpi.allow";

  private static final String SERVICES = "META-INF/services/" + PoolProvider.class.getName();

  private FakeBackends() {}

  /** The spec the last opened fake was given. */
  static volatile PoolSpec lastSpec;

  /**
   * Runs {@code body} with the fake backends on the class path.
   *
   * @param body the code
   * @return its result
   */
  static <T> T run(Supplier<T> body) {
    URL extra =
        Objects.requireNonNull(
            FakeBackends.class
                .getClassLoader()
                .getResource("fake-backends/" + PoolProvider.class.getName()));
    Thread t = Thread.currentThread();
    ClassLoader saved = t.getContextClassLoader();
    t.setContextClassLoader(
        new ClassLoader(saved) {
          @Override
          public Enumeration<URL> getResources(String name) throws IOException {
            if (!name.equals(SERVICES)) {
              return super.getResources(name);
            }
            List<URL> urls = Collections.list(super.getResources(name));
            urls.add(extra);
            return Collections.enumeration(urls);
          }
        });
    try {
      return body.get();
    } finally {
      t.setContextClassLoader(saved);
    }
  }

  private static int parseCount(ConfigView c, String key) {
    String v = c.get(key);
    if (v == null) {
      return 0;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key + ": '" + v + "' (from " + c.source(key) + ") is not an integer", e);
    }
  }

  /** A cluster: detected when workers (> 0) or a profile are configured; priority 100. */
  public static final class Cluster implements PoolProvider {
    /** For ServiceLoader. */
    public Cluster() {}

    @Override
    public String name() {
      return "cluster";
    }

    @Override
    public String module() {
      return "org.jmor:jmor-parallel-cluster";
    }

    @Override
    public boolean detects(ConfigView c) {
      return parseCount(c, CLUSTER_WORKERS) > 0 || c.get(CLUSTER_PROFILE) != null;
    }

    @Override
    public int priority() {
      return PRIORITY_CONFIGURED;
    }

    @Override
    public Transport open(PoolSpec spec) {
      lastSpec = spec;
      int n = spec.workers();
      if (n == 0) {
        String v = spec.properties().get(CLUSTER_WORKERS);
        n = v == null || Integer.parseInt(v) == 0 ? 2 : Integer.parseInt(v);
      }
      return new LoopbackTransport(n, spec.seed());
    }
  }

  /**
   * MPI: detected under {@code mpirun} with more than one rank unless {@code jmor.mpi.allow} is
   * false; priority 50.
   */
  public static final class Mpi implements PoolProvider {
    /** For ServiceLoader. */
    public Mpi() {}

    @Override
    public String name() {
      return "mpi";
    }

    @Override
    public String module() {
      return "org.jmor:jmor-parallel-mpi";
    }

    private static int worldSize(ConfigView c) {
      for (String var : List.of("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE")) {
        String v = c.env(var);
        if (v != null && v.trim().matches("\\d+")) {
          return Integer.parseInt(v.trim());
        }
      }
      return 0;
    }

    @Override
    public boolean detects(ConfigView c) {
      String allow = c.get(ALLOW_MPI);
      if (allow != null && !allow.equalsIgnoreCase("true") && !allow.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException(
            ALLOW_MPI
                + ": '"
                + allow
                + "' (from "
                + c.source(ALLOW_MPI)
                + ") is not valid; expected true or false");
      }
      return !"false".equalsIgnoreCase(allow) && worldSize(c) > 1;
    }

    @Override
    public int priority() {
      return PRIORITY_LAUNCHER;
    }

    @Override
    public Transport open(PoolSpec spec) {
      lastSpec = spec;
      int n = spec.workers() > 0 ? spec.workers() : Math.max(1, worldSize(spec.config()));
      return new LoopbackTransport(n, spec.seed());
    }
  }
}
