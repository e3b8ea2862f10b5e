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
 * sources, so the machine's environment cannot leak in.
 */
@Timeout(60)
class ParallelPoolFactoryTest {

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
    assertDefaultLocalPool(WorkerPools.newParallelPool(hermetic().withClusterWorkers(0)));
  }

  @Test
  void newParallelPool_explicitClusterWorkersZero_doesNotFallBackToConfiguredCount()
      throws IOException {
    ParallelPoolOptions options =
        hermetic().withConfigFile(file(PoolConfig.CLUSTER_WORKERS + "=2")).withClusterWorkers(0);
    assertDefaultLocalPool(WorkerPools.newParallelPool(options));
  }

  @Test
  void newParallelPool_clusterWorkers_namesTheClusterModule() throws IOException {
    List<ParallelPoolOptions> clusterRequests =
        List.of(
            hermetic().withClusterWorkers(2),
            hermetic().withClusterProfile("default"),
            hermetic().withConfigFile(file(PoolConfig.CLUSTER_WORKERS + "=2")),
            hermetic().withEnvironment(Map.of(PoolConfig.envName(PoolConfig.CLUSTER_WORKERS), "2")),
            hermetic().withPool("cluster"));
    for (ParallelPoolOptions options : clusterRequests) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> WorkerPools.newParallelPool(options));
      assertTrue(e.getMessage().contains("org.jmor:jmor-parallel-cluster"), e.getMessage());
    }
  }

  @Test
  void newParallelPool_underMpirun_triesMpiAndNamesTheModule() {
    for (String var : List.of("OMPI_COMM_WORLD_SIZE", "PMI_SIZE")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> WorkerPools.newParallelPool(hermetic().withEnvironment(Map.of(var, "2"))),
              var);
      assertTrue(e.getMessage().contains("org.jmor:jmor-parallel-mpi"), e.getMessage());
    }
  }

  @Test
  void newParallelPool_mpiRunOfOneRank_isNotMpi() {
    assertDefaultLocalPool(
        WorkerPools.newParallelPool(
            hermetic().withEnvironment(Map.of("OMPI_COMM_WORLD_SIZE", "1"))));
  }

  @Test
  void newParallelPool_configFileDisallowsMpi_winsOverMpiDetection() throws IOException {
    ParallelPoolOptions options =
        hermetic()
            .withEnvironment(Map.of("OMPI_COMM_WORLD_SIZE", "2"))
            .withConfigFile(file(PoolConfig.ALLOW_MPI + "=false"));
    assertDefaultLocalPool(WorkerPools.newParallelPool(options));
  }

  @Test
  void newParallelPool_explicitAllowMpi_beatsConfigFile() throws IOException {
    ParallelPoolOptions options =
        hermetic()
            .withEnvironment(Map.of("OMPI_COMM_WORLD_SIZE", "2"))
            .withConfigFile(file(PoolConfig.ALLOW_MPI + "=false"))
            .withAllowMpi(true);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WorkerPools.newParallelPool(options));
    assertTrue(e.getMessage().contains("org.jmor:jmor-parallel-mpi"), e.getMessage());
  }

  @Test
  void newParallelPool_unknownPoolName_listsTheExpectedOnes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> WorkerPools.newParallelPool(hermetic().withPool("thread")));
    assertTrue(e.getMessage().contains("'thread'"), e.getMessage());
    for (String expected : List.of("sequential", "threads", "cluster", "mpi")) {
      assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
  }

  @Test
  void newParallelPool_malformedValues_nameTheKey() throws IOException {
    List<String[]> rows =
        List.of(
            new String[] {PoolConfig.SEED, "abc"}, new String[] {PoolConfig.SEED, "-1"},
            new String[] {PoolConfig.SPLIT, "fast"}, new String[] {PoolConfig.ALLOW_MPI, "maybe"},
            new String[] {PoolConfig.WORKERS, "many"}, new String[] {PoolConfig.WORKERS, "-2"},
            new String[] {PoolConfig.STRICT, "yes"}, new String[] {PoolConfig.POOL, "threads:x"});
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
