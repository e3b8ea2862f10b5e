package org.jmor.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.jmor.parallel.spi.ConfigView;
import org.jmor.parallel.spi.PoolProvider;
import org.jmor.parallel.spi.PoolSpec;
import org.jmor.parallel.spi.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@link ResolvedConfig} resolves each key (explicit option, system property, environment,
 * file, default) and how {@link WorkerPools#select} chooses a backend, without starting any pool.
 */
class PoolConfigResolutionTest {
  // a backend's keys, which the core does not name (see ClusterProvider and MpiProvider)
  static final String CLUSTER_WORKERS = "jmor.cluster.workers";
  static final String CLUSTER_PROFILE = "jmor.cluster.profile";
  static final String ALLOW_MPI = "jmor.mpi.allow";

  @TempDir Path dir;

  private ParallelPoolOptions hermetic() {
    return ParallelPoolOptions.defaults()
        .withEnvironment(Map.of())
        .withSystemProperties(new Properties())
        .withConfigFile(dir.resolve("absent.properties"));
  }

  private Path file(String... lines) throws IOException {
    Path f = Files.createTempFile(dir, "cfg", ".properties");
    Files.write(f, List.of(lines), StandardCharsets.ISO_8859_1);
    return f;
  }

  private static Properties props(String key, String value) {
    Properties p = new Properties();
    p.setProperty(key, value);
    return p;
  }

  private static ResolvedConfig config(ParallelPoolOptions o) {
    return new ResolvedConfig(o);
  }

  private static String backend(ParallelPoolOptions o, PoolProvider... providers) {
    return WorkerPools.select(config(o), List.of(providers)).backend();
  }

  /** A stand-in of an MPI backend: detects mpirun with more than one rank unless disallowed. */
  static final class FakeMpi implements PoolProvider {
    @Override
    public String name() {
      return "mpi";
    }

    @Override
    public Transport open(PoolSpec spec) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean detects(ConfigView c) {
      String allow = c.get(ALLOW_MPI);
      if (allow != null && !allow.equalsIgnoreCase("true")) {
        if (!allow.equalsIgnoreCase("false")) {
          throw new IllegalArgumentException(
              ALLOW_MPI
                  + ": '"
                  + allow
                  + "' ("
                  + c.source(ALLOW_MPI)
                  + ") is not valid; expected true or false");
        }
        return false;
      }
      for (String var : List.of("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE")) {
        String v = c.env(var);
        if (v != null && v.trim().matches("\\d+") && Integer.parseInt(v.trim()) > 1) {
          return true;
        }
      }
      return false;
    }

    @Override
    public int priority() {
      return PRIORITY_LAUNCHER;
    }
  }

  /** A stand-in of a cluster backend: detects configured workers (> 0) or a profile. */
  static final class FakeCluster implements PoolProvider {
    @Override
    public String name() {
      return "cluster";
    }

    @Override
    public Transport open(PoolSpec spec) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean detects(ConfigView c) {
      String n = c.get(CLUSTER_WORKERS);
      return (n != null && Integer.parseInt(n) > 0) || c.get(CLUSTER_PROFILE) != null;
    }

    @Override
    public int priority() {
      return PRIORITY_CONFIGURED;
    }
  }

  /** A provider that always detects, at a given priority. */
  static PoolProvider always(String name, int priority) {
    return new PoolProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Transport open(PoolSpec spec) {
        throw new UnsupportedOperationException();
      }

      @Override
      public boolean detects(ConfigView c) {
        return true;
      }

      @Override
      public int priority() {
        return priority;
      }
    };
  }

  @Test
  void defaults() {
    ResolvedConfig c = config(hermetic());
    assertThat(c.seed()).isEqualTo(42);
    assertThat(c.splitRule()).isEqualTo(SplitRule.BALANCED);
    assertThat(c.strict()).isFalse();
    assertThat(c.workers()).isZero();
    assertThat(c.timeout()).isNull();
    assertThat(c.closeTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.pool().isAuto()).isTrue();
    String local = Runtime.getRuntime().availableProcessors() > 1 ? "threads" : "sequential";
    assertThat(backend(hermetic())).isEqualTo(local);
    assertThat(backend(hermetic(), new FakeMpi(), new FakeCluster())).isEqualTo(local);
    assertThat(backend(hermetic().withWorkers(2))).isEqualTo("threads");
  }

  @Test
  void seed_precedenceOfEverySource() throws IOException {
    Path f = file(PoolConfig.SEED + "=4");
    Map<String, String> env = Map.of("JMOR_POOL_SEED", "3");
    Properties sys = props(PoolConfig.SEED, "2");
    assertThat(config(hermetic().withConfigFile(f)).seed()).isEqualTo(4);
    assertThat(config(hermetic().withConfigFile(f).withEnvironment(env)).seed()).isEqualTo(3);
    assertThat(
            config(hermetic().withConfigFile(f).withEnvironment(env).withSystemProperties(sys))
                .seed())
        .isEqualTo(2);
    assertThat(
            config(
                    hermetic()
                        .withConfigFile(f)
                        .withEnvironment(env)
                        .withSystemProperties(sys)
                        .withSeed(1L))
                .seed())
        .isEqualTo(1);
  }

  @Test
  void splitAndStrict_readFromEverySource() throws IOException {
    assertThat(config(hermetic().withConfigFile(file(PoolConfig.SPLIT + "=Ceiling"))).splitRule())
        .isEqualTo(SplitRule.CEILING);
    assertThat(config(hermetic().withEnvironment(Map.of("JMOR_POOL_STRICT", "TRUE"))).strict())
        .isTrue();
    assertThat(
            config(
                    hermetic()
                        .withSystemProperties(props(PoolConfig.STRICT, "true"))
                        .withStrict(false))
                .strict())
        .isFalse();
    assertThat(
            config(
                    hermetic()
                        .withSplitRule(SplitRule.CEILING)
                        .withSystemProperties(props(PoolConfig.SPLIT, "balanced")))
                .splitRule())
        .isEqualTo(SplitRule.CEILING);
  }

  @Test
  void blankValue_countsAsUnsetAtEveryLevel() {
    // a blank value (e.g. an empty JMOR_POOL_SEED=) is ignored: the next source applies
    assertThat(
            config(
                    hermetic()
                        .withSystemProperties(props(PoolConfig.SEED, "  "))
                        .withEnvironment(Map.of("JMOR_POOL_SEED", "5")))
                .seed())
        .isEqualTo(5);
    assertThat(config(hermetic().withSystemProperties(props(PoolConfig.SEED, "  "))).seed())
        .isEqualTo(42);
    assertThat(config(hermetic().withEnvironment(Map.of("JMOR_POOL_SEED", " 5 "))).seed())
        .as("values are trimmed")
        .isEqualTo(5);
  }

  @Test
  void backend_mpiDetectionNeedsMoreThanOneRank() {
    PoolProvider mpi = new FakeMpi();
    assertThat(backend(hermetic().withEnvironment(Map.of("PMIX_SIZE", "4")), mpi)).isEqualTo("mpi");
    assertThat(backend(hermetic().withEnvironment(Map.of("OMPI_COMM_WORLD_SIZE", "x")), mpi))
        .isNotEqualTo("mpi");
    assertThat(
            backend(
                hermetic()
                    .withEnvironment(Map.of("OMPI_COMM_WORLD_SIZE", "2"))
                    .with(ALLOW_MPI, "false"),
                mpi))
        .isNotEqualTo("mpi");
    // the core itself knows no MPI: without the provider an mpirun launch gives the local pool
    assertThat(backend(hermetic().withEnvironment(Map.of("PMIX_SIZE", "4"))))
        .isIn("threads", "sequential");
  }

  @Test
  void backend_clusterBeatsMpiAndExplicitPoolBeatsBoth() {
    Map<String, String> mpi = Map.of("OMPI_COMM_WORLD_SIZE", "2");
    PoolProvider[] both = {new FakeMpi(), new FakeCluster()};
    assertThat(backend(hermetic().withEnvironment(mpi).with(CLUSTER_WORKERS, "2"), both))
        .isEqualTo("cluster");
    assertThat(
            backend(
                hermetic().withEnvironment(mpi).with(CLUSTER_WORKERS, "2").withPool("Sequential"),
                both))
        .isEqualTo("sequential");
    assertThat(backend(hermetic().withEnvironment(mpi).withPool("auto"), both)).isEqualTo("mpi");
    // 0 given explicitly means no cluster and does not fall back to the configured count (N3)
    assertThat(
            backend(
                hermetic()
                    .withEnvironment(Map.of("JMOR_CLUSTER_WORKERS", "3"))
                    .with(CLUSTER_WORKERS, "0"),
                both))
        .isIn("threads", "sequential");
  }

  @Test
  void backend_highestPriorityAmongDetectingProvidersWins_tiesByName() {
    assertThat(backend(hermetic(), always("b", 1), always("a", 1), always("c", 0))).isEqualTo("a");
    assertThat(backend(hermetic(), always("b", 1), always("c", 7))).isEqualTo("c");
    // an explicit pool name beats every detecting provider
    assertThat(backend(hermetic().withPool("threads:2"), always("c", 7))).isEqualTo("threads");
    WorkerPools.Selection s =
        WorkerPools.select(config(hermetic().withPool("Cluster:3")), List.of(new FakeCluster()));
    assertThat(s.backend()).isEqualTo("cluster");
    assertThat(s.workers()).isEqualTo(3);
    assertThat(s.provider()).isInstanceOf(FakeCluster.class);
    s = WorkerPools.select(config(hermetic().withWorkers(4)), List.of(always("z", 0)));
    assertThat(s.backend()).isEqualTo("z");
    assertThat(s.workers()).isEqualTo(4);
  }

  @Test
  void backend_unknownName_namesTheModuleConventionAndListsWhatIsAvailable() {
    PoolProvider cluster = new FakeCluster();
    assertThatThrownBy(() -> backend(hermetic().withPool("mpi"), cluster))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown pool 'mpi'")
        .hasMessageContaining("not on the class path")
        .hasMessageContaining("org.jmor:jmor-parallel-<name>")
        .hasMessageContaining("org.jmor:jmor-parallel-mpi")
        .hasMessageEndingWith("expected one of: sequential, threads, threads:N, cluster");
  }

  @Test
  void backend_unknownNameFromTheConfiguration_namesTheSource() throws IOException {
    assertThatThrownBy(() -> backend(hermetic().withEnvironment(Map.of("JMOR_POOL", "bogus"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("jmor.pool: 'bogus' (from environment JMOR_POOL): ")
        .hasMessageContaining("unknown pool 'bogus'");
    Path f = file("# comment", "", PoolConfig.POOL + "=bogus");
    assertThatThrownBy(() -> backend(hermetic().withConfigFile(f)))
        .hasMessageStartingWith("jmor.pool: 'bogus' (from " + f + " line 3): ");
    assertThatThrownBy(() -> backend(hermetic().withPool("bogus")))
        .hasMessageStartingWith("unknown pool 'bogus'");
  }

  @Test
  void malformedFile_isNamedInTheMessage() throws IOException {
    Path f = file(PoolConfig.POOL + "=threads\\u12");
    assertThatThrownBy(() -> config(hermetic().withConfigFile(f)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(f + " is not a valid properties file: ");
  }

  @Test
  void configuration_isTheViewTheFactoryResolves() {
    ConfigView c =
        WorkerPools.configuration(hermetic().withEnvironment(Map.of("JMOR_POOL", "sequential")));
    assertThat(c.get(PoolConfig.POOL)).isEqualTo("sequential");
    assertThat(c.source(PoolConfig.POOL)).isEqualTo("environment JMOR_POOL");
  }

  @Test
  void source_namesWhereEachValueComesFrom() throws IOException {
    Path f = file("# comment", "", PoolConfig.WORKERS + " = 3", PoolConfig.SPLIT + ":ceiling");
    ResolvedConfig c =
        config(
            hermetic()
                .withConfigFile(f)
                .withSeed(5L)
                .withSystemProperties(props(PoolConfig.POOL, "threads"))
                .withEnvironment(Map.of("JMOR_POOL_STRICT", "true")));
    assertThat(c.source(PoolConfig.SEED)).isEqualTo("option");
    assertThat(c.source(PoolConfig.POOL)).isEqualTo("system property -Djmor.pool");
    assertThat(c.source(PoolConfig.STRICT)).isEqualTo("environment JMOR_POOL_STRICT");
    assertThat(c.source(PoolConfig.WORKERS)).isEqualTo(f + " line 3");
    assertThat(c.source(PoolConfig.SPLIT)).isEqualTo(f + " line 4");
    assertThat(c.source(PoolConfig.TIMEOUT)).isEqualTo("default");
    assertThat(c.get(PoolConfig.WORKERS)).isEqualTo("3");
    assertThat(c.get(PoolConfig.TIMEOUT)).isNull();
  }

  @Test
  void env_isTheRawVariableOfTheReplacedEnvironment() {
    ResolvedConfig c = config(hermetic().withEnvironment(Map.of("OMPI_COMM_WORLD_SIZE", " 2 ")));
    assertThat(c.env("OMPI_COMM_WORLD_SIZE")).isEqualTo(" 2 ");
    assertThat(c.env("PATH")).isNull();
  }

  @Test
  void withPrefix_collectsEverySourceWithPrecedence() throws IOException {
    Path f = file("jmor.cluster.a=file", "jmor.cluster.b=file", "jmor.cluster.e=file", "x.y=1");
    Properties sys = props("jmor.cluster.b", "sys");
    sys.setProperty("jmor.cluster.c", "sys");
    sys.setProperty("jmor.clusterfoo", "other");
    ResolvedConfig c =
        config(
            hermetic()
                .withConfigFile(f)
                .withSystemProperties(sys)
                .withEnvironment(
                    Map.of(
                        "JMOR_CLUSTER_C", "env",
                        "JMOR_CLUSTER_D", "env",
                        "JMOR_CLUSTER_E", "env",
                        "JMOR_CLUSTER_BLANK", " ",
                        "JMOR_MPI_ALLOW", "false"))
                .with("jmor.cluster.a", "option")
                .with("jmor.cluster.f", " "));
    assertThat(c.withPrefix("jmor.cluster."))
        .containsExactlyEntriesOf(
            new java.util.TreeMap<>(
                Map.of(
                    "jmor.cluster.a", "option",
                    "jmor.cluster.b", "sys",
                    "jmor.cluster.c", "sys",
                    "jmor.cluster.d", "env",
                    "jmor.cluster.e", "env")));
    assertThat(c.withPrefix("jmor.mpi."))
        .containsExactlyEntriesOf(Map.of("jmor.mpi.allow", "false"));
  }

  @Test
  void withPrefix_ignoresTheLaunchersOwnVariables() {
    ResolvedConfig c =
        config(
            hermetic()
                .withEnvironment(
                    Map.of("JMOR_JAVA_OPTS", "-XX:+UseParallelGC", "JMOR_JAVA_HOME", "/opt/x")));
    assertThat(c.withPrefix("jmor.")).containsOnlyKeys("jmor.java.home");
  }

  @Test
  void withPrefix_environmentVariableOfAHyphenatedKey_keepsTheKeysSpelling() throws IOException {
    ResolvedConfig c =
        config(
            hermetic()
                .withConfigFile(file("jmor.x.close-timeout=1s"))
                .withEnvironment(Map.of("JMOR_X_CLOSE_TIMEOUT", "2s")));
    assertThat(c.withPrefix("jmor.x."))
        .containsExactlyEntriesOf(Map.of("jmor.x.close-timeout", "2s"));
  }

  @Test
  void timeouts_parseEveryFormAndNameKeyAndSourceWhenBad() throws IOException {
    Map<String, Duration> ok = new java.util.LinkedHashMap<>();
    ok.put("30s", Duration.ofSeconds(30));
    ok.put("500ms", Duration.ofMillis(500));
    ok.put("2m", Duration.ofMinutes(2));
    ok.put("1h", Duration.ofHours(1));
    ok.put("PT30S", Duration.ofSeconds(30));
    ok.put("pt1.5s", Duration.ofMillis(1500));
    ok.put(" 10 s ", Duration.ofSeconds(10));
    ok.put("none", null);
    ok.put("NONE", null);
    ok.put("0", null);
    ok.put("0s", null);
    ok.put("PT0S", null);
    for (Map.Entry<String, Duration> e : ok.entrySet()) {
      ResolvedConfig c =
          config(
              hermetic()
                  .withSystemProperties(props(PoolConfig.TIMEOUT, e.getKey()))
                  .withEnvironment(Map.of("JMOR_POOL_CLOSE_TIMEOUT", e.getKey())));
      assertThat(c.timeout()).as(e.getKey()).isEqualTo(e.getValue());
      assertThat(c.closeTimeout()).as(e.getKey()).isEqualTo(e.getValue());
    }
    for (String bad :
        List.of("soon", "-5s", "5 sec", "PT-1S", "30", "1.5s", "99999999999999999h")) {
      assertThatThrownBy(
              () ->
                  config(hermetic().withConfigFile(file(PoolConfig.TIMEOUT + "=" + bad))).timeout(),
              bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(PoolConfig.TIMEOUT)
          .hasMessageContaining("line 1")
          .hasMessageContaining("30s, 500ms, 2m");
      assertThatThrownBy(
              () ->
                  config(hermetic().withEnvironment(Map.of("JMOR_POOL_CLOSE_TIMEOUT", bad)))
                      .closeTimeout(),
              bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(PoolConfig.CLOSE_TIMEOUT)
          .hasMessageContaining("environment JMOR_POOL_CLOSE_TIMEOUT");
    }
  }

  @Test
  void onWorkerLoss_defaultsToFail_readsShrink_andABadValueNamesKeyValueSourceAndChoices() {
    assertThat(config(hermetic()).onWorkerLoss()).isEqualTo(OnWorkerLoss.FAIL);
    assertThat(
            config(hermetic().withSystemProperties(props(PoolConfig.ON_WORKER_LOSS, "Shrink")))
                .onWorkerLoss())
        .isEqualTo(OnWorkerLoss.SHRINK);
    assertThat(
            config(hermetic().withEnvironment(Map.of("JMOR_POOL_ON_WORKER_LOSS", "fail")))
                .onWorkerLoss())
        .isEqualTo(OnWorkerLoss.FAIL);
    assertThatThrownBy(
            () ->
                config(hermetic().withSystemProperties(props(PoolConfig.ON_WORKER_LOSS, "retry")))
                    .onWorkerLoss())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "jmor.pool.on-worker-loss: 'retry' (from system property -Djmor.pool.on-worker-loss)"
                + " is not valid; expected fail or shrink");
    try (WorkerPool plain = new PoolBuilder(hermetic()).workers(2).build();
        WorkerPool shrinking =
            new PoolBuilder(hermetic()).workers(2).onWorkerLoss(OnWorkerLoss.SHRINK).build()) {
      assertThat(plain.onWorkerLoss()).isEqualTo(OnWorkerLoss.FAIL);
      assertThat(shrinking.onWorkerLoss()).isEqualTo(OnWorkerLoss.SHRINK);
    }
  }

  @Test
  void malformedValues_nameKeyAndExpectation() {
    assertThatThrownBy(
            () ->
                config(hermetic().withSystemProperties(props(PoolConfig.SPLIT, "fast")))
                    .splitRule())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(PoolConfig.SPLIT)
        .hasMessageContaining("balanced or ceiling");
    // the MPI key is read by the MPI provider, which reports a bad value itself
    assertThatThrownBy(
            () ->
                backend(hermetic().withSystemProperties(props(ALLOW_MPI, "maybe")), new FakeMpi()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(ALLOW_MPI)
        .hasMessageContaining("system property -Djmor.mpi.allow")
        .hasMessageContaining("true or false");
    assertThat(backend(hermetic().withSystemProperties(props(ALLOW_MPI, "maybe"))))
        .as("the core does not read it")
        .isIn("threads", "sequential");
    assertThatThrownBy(() -> config(hermetic().withPool("threads:0")).pool())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(PoolConfig.POOL)
        .hasMessageContaining("option")
        .hasMessageContaining("the worker count must be >= 1");
    assertThatThrownBy(
            () -> config(hermetic().withEnvironment(Map.of("JMOR_POOL_WORKERS", "many"))).workers())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(PoolConfig.WORKERS)
        .hasMessageContaining("environment JMOR_POOL_WORKERS");
    assertThatThrownBy(
            () -> config(hermetic().withSystemProperties(props(PoolConfig.SEED, "-3"))).seed())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(PoolConfig.SEED);
  }
}
