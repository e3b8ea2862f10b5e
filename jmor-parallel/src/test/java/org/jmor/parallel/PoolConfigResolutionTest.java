package org.jmor.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@link WorkerPools.Config} resolves each key (explicit option, system property, environment,
 * file, default) without starting any pool.
 */
class PoolConfigResolutionTest {

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

  private static WorkerPools.Config config(ParallelPoolOptions o) {
    return new WorkerPools.Config(o);
  }

  @Test
  void defaults() {
    WorkerPools.Config c = config(hermetic());
    assertThat(c.seed()).isEqualTo(42);
    assertThat(c.splitRule()).isEqualTo(SplitRule.BALANCED);
    assertThat(c.strict()).isFalse();
    assertThat(c.workers()).isZero();
    assertThat(c.clusterWorkers()).isZero();
    assertThat(c.allowMpi()).isTrue();
    assertThat(c.backend())
        .isEqualTo(Runtime.getRuntime().availableProcessors() > 1 ? "threads" : "sequential");
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
    assertThat(config(hermetic().withEnvironment(Map.of("PMIX_SIZE", "4"))).backend())
        .isEqualTo("mpi");
    assertThat(config(hermetic().withEnvironment(Map.of("OMPI_COMM_WORLD_SIZE", "x"))).backend())
        .isNotEqualTo("mpi");
    assertThat(
            config(
                    hermetic()
                        .withEnvironment(Map.of("OMPI_COMM_WORLD_SIZE", "2"))
                        .withAllowMpi(false))
                .backend())
        .isNotEqualTo("mpi");
  }

  @Test
  void backend_clusterBeatsMpiAndExplicitPoolBeatsBoth() {
    Map<String, String> mpi = Map.of("OMPI_COMM_WORLD_SIZE", "2");
    assertThat(config(hermetic().withEnvironment(mpi).withClusterWorkers(2)).backend())
        .isEqualTo("cluster");
    assertThat(
            config(hermetic().withEnvironment(mpi).withClusterWorkers(2).withPool("Sequential"))
                .backend())
        .isEqualTo("sequential");
    assertThat(config(hermetic().withEnvironment(mpi).withPool("auto")).backend()).isEqualTo("mpi");
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
    assertThatThrownBy(
            () ->
                config(hermetic().withSystemProperties(props(PoolConfig.ALLOW_MPI, "maybe")))
                    .allowMpi())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(PoolConfig.ALLOW_MPI)
        .hasMessageContaining("true or false");
    assertThatThrownBy(
            () -> config(hermetic().withSystemProperties(props(PoolConfig.SEED, "-3"))).seed())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(PoolConfig.SEED);
  }
}
