package org.jmor.parallel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jmor.parallel.ParallelPoolOptions;
import org.jmor.parallel.PoolConfig;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.parallel.spi.PoolSpec;
import org.jmor.random.Pcg64;
import org.jmor.random.SeedSequence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 18: {@link WorkerPools#newParallelPool(ParallelPoolOptions)} chooses the backend from
 * explicit options, system properties, environment and configuration file (in that order of
 * precedence), caches the pool and warns on reuse. Every test replaces all three configuration
 * sources, so the machine's environment cannot leak in. The cluster and MPI backends are not part
 * of the core: tests of their selection run inside {@link FakeBackends#run}, which puts stand-in
 * providers on the class path.
 */
@Timeout(60)
class ParallelPoolFactoryTest {
  // a backend's keys, which the core does not name (see ClusterProvider and MpiProvider)
  static final String CLUSTER_WORKERS = "jmor.cluster.workers";
  static final String CLUSTER_PROFILE = "jmor.cluster.profile";
  static final String ALLOW_MPI = "jmor.mpi.allow";

  @TempDir Path dir;

  @AfterEach
  void resetFactory() {
    WorkerPools.resetParallelPool();
  }

  /** Options with an empty environment, no system properties and a config file that is absent. */
  private ParallelPoolOptions hermetic() {
    return ParallelPoolOptions.defaults()
        .withEnvironment(Map.of())
        .withSystemProperties(new Properties())
        .withConfigFile(dir.resolve("absent.properties"));
  }

  private Path file(String... lines) throws IOException {
    Path f = Files.createTempFile(dir, "jmor", ".properties");
    Files.write(f, Arrays.asList(lines), StandardCharsets.ISO_8859_1);
    return f;
  }

  private static Properties props(String key, String value) {
    Properties p = new Properties();
    p.setProperty(key, value);
    return p;
  }

  /** Runs {@code body} and returns what it logged (the simple logger writes to stderr). */
  private static String stderrOf(Runnable body) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setErr(err);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  private static void assertSequential(WorkerPool pool) {
    assertEquals(1, pool.size());
    assertFalse(pool.isParallel(), "expected the sequential pool, got " + pool);
  }

  private static void assertThreads(WorkerPool pool, int workers) {
    assertEquals(workers, pool.size(), "expected " + workers + " workers, got " + pool);
    assertTrue(pool.isParallel());
    assertEquals(
        IntStream.range(0, workers).boxed().collect(Collectors.toList()),
        pool.apply(TestTasks.workerIndex()));
  }

  /** What "no configuration and no MPI" gives on this machine. */
  private static void assertDefaultLocalPool(WorkerPool pool) {
    int cores = Runtime.getRuntime().availableProcessors();
    if (cores > 1) {
      assertThreads(pool, cores);
    } else {
      assertSequential(pool);
    }
  }

  // ------------------------------------------------------------------ selection

  @Test
  void newParallelPool_noConfigurationNoMpi_givesLocalPoolForThisMachine() {
    assertDefaultLocalPool(WorkerPools.newParallelPool(hermetic()));
  }

  @Test
  void newParallelPool_withPoolSequential_givesSequentialPool() {
    assertSequential(WorkerPools.newParallelPool(hermetic().withPool("sequential")));
  }

  @Test
  void newParallelPool_withPoolThreadsN_givesThatManyThreads() {
    assertThreads(WorkerPools.newParallelPool(hermetic().withPool("threads:3")), 3);
  }

  @Test
  void newParallelPool_withWorkers_givesThreadsEvenOnOneCore() {
    assertThreads(WorkerPools.newParallelPool(hermetic().withWorkers(3)), 3);
  }

  @Test
  void newParallelPool_clusterWorkersZero_isNotACluster() {
    assertDefaultLocalPool(
        FakeBackends.run(() -> WorkerPools.newParallelPool(hermetic().with(CLUSTER_WORKERS, "0"))));
  }

  @Test
  void newParallelPool_explicitClusterWorkersZero_doesNotFallBackToConfiguredCount()
      throws IOException {
    ParallelPoolOptions options =
        hermetic().withConfigFile(file(CLUSTER_WORKERS + "=2")).with(CLUSTER_WORKERS, "0");
    assertDefaultLocalPool(FakeBackends.run(() -> WorkerPools.newParallelPool(options)));
  }

  @Test
  void newParallelPool_clusterConfigured_givesTheClusterFromItsProvider() throws IOException {
    List<ParallelPoolOptions> clusterRequests =
        List.of(
            hermetic().with(CLUSTER_WORKERS, "2"),
            hermetic().with(CLUSTER_PROFILE, "default"),
            hermetic().withConfigFile(file(CLUSTER_WORKERS + "=2")),
            hermetic().withEnvironment(Map.of(PoolConfig.envName(CLUSTER_WORKERS), "2")),
            hermetic().withPool("cluster"),
            hermetic().withPool("cluster:2"));
    for (ParallelPoolOptions options : clusterRequests) {
      WorkerPool pool = FakeBackends.run(() -> WorkerPools.newParallelPool(options));
      assertEquals("cluster", pool.backend(), options.toString());
      assertEquals(2, pool.size(), options.toString());
      assertEquals(List.of(0, 1), pool.apply(TestTasks.workerIndex()));
      WorkerPools.resetParallelPool();
    }
  }

  @Test
  void newParallelPool_clusterNotOnClassPath_namesTheModule() throws IOException {
    // asked for by name: an error that names the module
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> WorkerPools.newParallelPool(hermetic().withPool("cluster")));
    assertTrue(e.getMessage().contains("org.jmor:jmor-parallel-cluster"), e.getMessage());
    assertTrue(e.getMessage().contains("not on the class path"), e.getMessage());
    // configured through its keys only (even to 0): an error that names the missing backend
    for (ParallelPoolOptions options :
        List.of(
            hermetic().withEnvironment(Map.of("JMOR_CLUSTER_WORKERS", "2")),
            hermetic().with(CLUSTER_WORKERS, "0"))) {
      IllegalArgumentException k =
          assertThrows(IllegalArgumentException.class, () -> WorkerPools.newParallelPool(options));
      assertTrue(k.getMessage().contains("no provider named 'cluster'"), k.getMessage());
      assertTrue(k.getMessage().contains("org.jmor:jmor-parallel-cluster"), k.getMessage());
    }
  }

  @Test
  void newParallelPool_underMpirun_givesMpiFromItsProvider() {
    for (String var : List.of("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE")) {
      WorkerPool pool =
          FakeBackends.run(
              () -> WorkerPools.newParallelPool(hermetic().withEnvironment(Map.of(var, "3"))));
      assertEquals("mpi", pool.backend(), var);
      assertEquals(3, pool.size(), var);
      WorkerPools.resetParallelPool();
    }
  }

  @Test
  void newParallelPool_underMpirunWithoutMpiModule_givesLocalPool_namedMpiNamesTheModule() {
    assertDefaultLocalPool(
        WorkerPools.newParallelPool(
            hermetic().withEnvironment(Map.of("OMPI_COMM_WORLD_SIZE", "2"))));
    WorkerPools.resetParallelPool();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> WorkerPools.newParallelPool(hermetic().withPool("mpi")));
    assertTrue(e.getMessage().contains("org.jmor:jmor-parallel-mpi"), e.getMessage());
  }

  @Test
  void newParallelPool_mpiRunOfOneRank_isNotMpi() {
    assertDefaultLocalPool(
        FakeBackends.run(
            () ->
                WorkerPools.newParallelPool(
                    hermetic().withEnvironment(Map.of("OMPI_COMM_WORLD_SIZE", "1")))));
  }

  @Test
  void newParallelPool_configFileDisallowsMpi_winsOverMpiDetection() throws IOException {
    ParallelPoolOptions options =
        hermetic()
            .withEnvironment(Map.of("OMPI_COMM_WORLD_SIZE", "2"))
            .withConfigFile(file(ALLOW_MPI + "=false"));
    assertDefaultLocalPool(FakeBackends.run(() -> WorkerPools.newParallelPool(options)));
  }

  @Test
  void newParallelPool_explicitAllowMpi_beatsConfigFile() throws IOException {
    ParallelPoolOptions options =
        hermetic()
            .withEnvironment(Map.of("OMPI_COMM_WORLD_SIZE", "2"))
            .withConfigFile(file(ALLOW_MPI + "=false"))
            .with(ALLOW_MPI, "true");
    assertEquals("mpi", FakeBackends.run(() -> WorkerPools.newParallelPool(options)).backend());
  }

  @Test
  void newParallelPool_nullAllowMpi_usesConfiguredValue() throws IOException {
    ParallelPoolOptions options =
        hermetic()
            .withEnvironment(Map.of("OMPI_COMM_WORLD_SIZE", "2"))
            .withSystemProperties(props(ALLOW_MPI, "false"))
            .with(ALLOW_MPI, null);
    assertDefaultLocalPool(FakeBackends.run(() -> WorkerPools.newParallelPool(options)));
  }

  @Test
  void newParallelPool_configuredClusterBeatsMpiLaunch_byPriority() {
    ParallelPoolOptions options =
        hermetic().withEnvironment(Map.of("OMPI_COMM_WORLD_SIZE", "4")).with(CLUSTER_WORKERS, "3");
    WorkerPool pool = FakeBackends.run(() -> WorkerPools.newParallelPool(options));
    assertEquals("cluster", pool.backend());
    assertEquals(3, pool.size());
  }

  @Test
  void newParallelPool_providerKeysReachPoolSpec_fromEverySource() throws IOException {
    Properties sys = props("jmor.cluster.sys", "s");
    sys.setProperty("jmor.cluster.shadowed", "sys");
    ParallelPoolOptions options =
        hermetic()
            .withPool("cluster:2")
            .withSeed(9L)
            .with("jmor.cluster.option", "o")
            .withSystemProperties(sys)
            .withEnvironment(Map.of("JMOR_CLUSTER_ENV", "e", "JMOR_CLUSTER_SHADOWED", "env"))
            .withConfigFile(
                file("jmor.cluster.file=f", "jmor.cluster.shadowed=file", "jmor.mpi.other=x"));
    FakeBackends.run(() -> WorkerPools.newParallelPool(options));
    PoolSpec spec = FakeBackends.lastSpec;
    assertEquals(2, spec.workers());
    assertEquals(9, spec.seed());
    assertEquals("o", spec.properties().get("jmor.cluster.option"));
    assertEquals("s", spec.properties().get("jmor.cluster.sys"));
    assertEquals("e", spec.properties().get("jmor.cluster.env"));
    assertEquals("f", spec.properties().get("jmor.cluster.file"));
    assertEquals("sys", spec.properties().get("jmor.cluster.shadowed"));
    assertFalse(spec.properties().containsKey("jmor.mpi.other"), spec.properties().toString());
    assertEquals("x", spec.config().get("jmor.mpi.other"));
    assertEquals(
        "system property -Djmor.cluster.shadowed", spec.config().source("jmor.cluster.shadowed"));
  }

  @Test
  void builder_goesThroughTheSamePathAsTheFactory() {
    try (WorkerPool pool =
        FakeBackends.run(
            () ->
                WorkerPools.builder()
                    .backend("cluster")
                    .property(CLUSTER_WORKERS, "3")
                    .seed(5)
                    .build())) {
      assertEquals("cluster", pool.backend());
      assertEquals(3, pool.size());
      assertEquals("3", FakeBackends.lastSpec.properties().get(CLUSTER_WORKERS));
      assertEquals(5, FakeBackends.lastSpec.seed());
    }
  }

  @Test
  void newParallelPool_unknownPoolName_listsTheExpectedOnes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> WorkerPools.newParallelPool(hermetic().withPool("thread")));
    assertTrue(e.getMessage().contains("'thread'"), e.getMessage());
    assertTrue(e.getMessage().contains("org.jmor:jmor-parallel-<name>"), e.getMessage());
    for (String expected : List.of("sequential", "threads", "loopback")) {
      assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
    IllegalArgumentException withFakes =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                FakeBackends.run(() -> WorkerPools.newParallelPool(hermetic().withPool("thread"))));
    for (String expected :
        List.of(
            "sequential",
            "threads",
            "cluster (org.jmor:jmor-parallel-cluster)",
            "mpi (org.jmor:jmor-parallel-mpi)")) {
      assertTrue(withFakes.getMessage().contains(expected), withFakes.getMessage());
    }
  }

  @Test
  void newParallelPool_malformedProviderKeys_areReportedByTheProvider() throws IOException {
    List<String[]> rows =
        List.of(new String[] {ALLOW_MPI, "maybe"}, new String[] {CLUSTER_WORKERS, "two"});
    for (String[] row : rows) {
      ParallelPoolOptions options =
          hermetic()
              .withEnvironment(Map.of("OMPI_COMM_WORLD_SIZE", "2"))
              .withConfigFile(file(row[0] + "=" + row[1]));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> FakeBackends.run(() -> WorkerPools.newParallelPool(options)),
              row[0] + "=" + row[1]);
      assertTrue(e.getMessage().contains(row[0]), row[0] + ": " + e.getMessage());
      assertTrue(e.getMessage().contains("line 1"), row[0] + ": " + e.getMessage());
    }
  }

  @Test
  void newParallelPool_cachedMpiPool_isReturnedWhateverTheArguments() {
    WorkerPool first =
        FakeBackends.run(
            () ->
                WorkerPools.newParallelPool(
                    hermetic().withEnvironment(Map.of("OMPI_COMM_WORLD_SIZE", "2"))));
    assertEquals("mpi", first.backend());
    String log =
        stderrOf(
            () ->
                assertSame(
                    first, WorkerPools.newParallelPool(hermetic().with(ALLOW_MPI, "false")), "N4"));
    assertTrue(log.contains(WorkerPools.REUSE_WARNING), log);
  }

  @Test
  void newParallelPool_malformedValues_nameTheKey() throws IOException {
    List<String[]> rows =
        List.of(
            new String[] {PoolConfig.SEED, "abc"},
            new String[] {PoolConfig.SEED, "-1"},
            new String[] {PoolConfig.SPLIT, "fast"},
            new String[] {PoolConfig.TIMEOUT, "soon"},
            new String[] {PoolConfig.WORKERS, "many"},
            new String[] {PoolConfig.WORKERS, "-2"},
            new String[] {PoolConfig.STRICT, "yes"},
            new String[] {PoolConfig.POOL, "threads:x"},
            new String[] {PoolConfig.POOL, "threads:0"},
            new String[] {PoolConfig.CLOSE_TIMEOUT, "-1s"});
    for (String[] row : rows) {
      ParallelPoolOptions options = hermetic().withConfigFile(file(row[0] + "=" + row[1]));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> WorkerPools.newParallelPool(options),
              row[0] + "=" + row[1]);
      assertTrue(e.getMessage().contains(row[0]), row[0] + ": " + e.getMessage());
    }
  }

  @Test
  void newParallelPool_configuredSeedAndSplitAreUsed() throws IOException {
    ParallelPoolOptions options =
        hermetic()
            .withConfigFile(
                file(
                    PoolConfig.POOL + "=threads:4",
                    PoolConfig.SEED + "=7",
                    PoolConfig.SPLIT + "=ceiling"));
    WorkerPool pool = WorkerPools.newParallelPool(options);
    List<double[]> draws = pool.apply(TestTasks.draws(1));
    for (int i = 0; i < 4; i++) {
      assertEquals(Pcg64.of(SeedSequence.of(7).child(i)).nextDouble(), draws.get(i)[0]);
    }
    List<Integer> workers =
        pool.map(
            TestTasks.elementWorker(), IntStream.range(0, 9).boxed().collect(Collectors.toList()));
    assertEquals(List.of(0, 0, 0, 1, 1, 1, 2, 2, 2), workers, "pyMOR's 3,3,3,0");
  }

  @Test
  void newParallelPool_configFileNamedBySystemProperty() throws IOException {
    Path f = file(PoolConfig.POOL + "=sequential");
    ParallelPoolOptions options =
        ParallelPoolOptions.defaults()
            .withEnvironment(Map.of())
            .withSystemProperties(props(PoolConfig.CONFIG_FILE, f.toString()));
    assertSequential(WorkerPools.newParallelPool(options));
  }

  @Test
  void newParallelPool_missingConfigFileNamedExplicitly_isRejected() {
    Path missing = dir.resolve("missing.properties");
    ParallelPoolOptions options =
        ParallelPoolOptions.defaults()
            .withEnvironment(Map.of())
            .withSystemProperties(props(PoolConfig.CONFIG_FILE, missing.toString()));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WorkerPools.newParallelPool(options));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  // ------------------------------------------------------------------ precedence

  @Test
  void precedence_eachSourceIsReadWhenAlone() throws IOException {
    String key = PoolConfig.POOL;
    assertThreads(WorkerPools.newParallelPool(hermetic().withPool("threads:3")), 3);
    WorkerPools.resetParallelPool();
    assertThreads(
        WorkerPools.newParallelPool(hermetic().withSystemProperties(props(key, "threads:3"))), 3);
    WorkerPools.resetParallelPool();
    assertThreads(
        WorkerPools.newParallelPool(
            hermetic().withEnvironment(Map.of(PoolConfig.envName(key), "threads:3"))),
        3);
    WorkerPools.resetParallelPool();
    assertThreads(
        WorkerPools.newParallelPool(hermetic().withConfigFile(file(key + "=threads:3"))), 3);
  }

  @Test
  void precedence_explicitOptionBeatsSystemProperty() {
    assertSequential(
        WorkerPools.newParallelPool(
            hermetic()
                .withPool("sequential")
                .withSystemProperties(props(PoolConfig.POOL, "threads:3"))));
  }

  @Test
  void precedence_systemPropertyBeatsEnvironment() {
    assertSequential(
        WorkerPools.newParallelPool(
            hermetic()
                .withSystemProperties(props(PoolConfig.POOL, "sequential"))
                .withEnvironment(Map.of("JMOR_POOL", "threads:3"))));
  }

  @Test
  void precedence_environmentBeatsConfigFile() throws IOException {
    assertSequential(
        WorkerPools.newParallelPool(
            hermetic()
                .withEnvironment(Map.of("JMOR_POOL", "sequential"))
                .withConfigFile(file(PoolConfig.POOL + "=threads:3"))));
  }

  @Test
  void precedence_explicitOptionBeatsConfigFile() throws IOException {
    assertThreads(
        WorkerPools.newParallelPool(
            hermetic().withPool("threads:2").withConfigFile(file(PoolConfig.POOL + "=sequential"))),
        2);
  }

  @Test
  void precedence_nullOptionUsesConfiguredValue() throws IOException {
    assertSequential(
        WorkerPools.newParallelPool(
            hermetic().withPool(null).withConfigFile(file(PoolConfig.POOL + "=sequential"))));
  }

  // ------------------------------------------------------------------ caching

  @Test
  void newParallelPool_secondCall_returnsSameInstanceAndLogsReuseWarning() {
    WorkerPool first = WorkerPools.newParallelPool(hermetic().withPool("threads:2"));
    String log;
    WorkerPool second;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      second = WorkerPools.newParallelPool(hermetic().withPool("sequential"));
    } finally {
      System.setErr(err);
    }
    log = captured.toString(StandardCharsets.UTF_8);
    assertSame(first, second, "the cached pool is returned whatever the options");
    assertThreads(second, 2);
    List<String> lines = log.lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
    assertEquals(1, lines.size(), "exactly one log line expected, got: " + log);
    assertTrue(lines.get(0).contains("WARN"), lines.get(0));
    assertTrue(lines.get(0).endsWith(" - " + WorkerPools.REUSE_WARNING), lines.get(0));
  }

  @Test
  void resetParallelPool_closesCachedPoolAndNextCallBuildsANewOne() {
    WorkerPool first = WorkerPools.newParallelPool(hermetic().withPool("threads:2"));
    WorkerPools.resetParallelPool();
    assertThrows(IllegalStateException.class, () -> first.apply(TestTasks.workerIndex()));
    WorkerPool second = WorkerPools.newParallelPool(hermetic().withPool("sequential"));
    assertNotSame(first, second);
    assertSequential(second);
    WorkerPools.resetParallelPool();
    WorkerPools.resetParallelPool();
  }

  @Test
  void newParallelPool_poolClosedByUser_isReplaced() {
    WorkerPool first = WorkerPools.newParallelPool(hermetic().withPool("threads:2"));
    first.close();
    WorkerPool second = WorkerPools.newParallelPool(hermetic().withPool("threads:3"));
    assertNotSame(first, second);
    assertThreads(second, 3);
  }

  @Test
  void newParallelPool_failedCreation_cachesNothing() {
    assertThrows(
        IllegalArgumentException.class,
        () -> WorkerPools.newParallelPool(hermetic().withPool("thread")));
    assertSequential(WorkerPools.newParallelPool(hermetic().withPool("sequential")));
  }
}
