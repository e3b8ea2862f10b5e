package org.jmor.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Argument checks of {@link PoolBuilder}, {@link WorkerPools} and {@link ParallelPoolOptions}. */
class PoolBuilderTest {

  @Test
  void builder_rejectsBadArgumentsAtOnce() {
    PoolBuilder b = WorkerPools.builder();
    assertThatThrownBy(() -> b.workers(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workers must be >= 0, got -1");
    assertThatThrownBy(() -> b.seed(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("seed must be >= 0");
    assertThatThrownBy(() -> b.backend(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected one of: sequential, threads");
    assertThatThrownBy(() -> b.backend(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.splitRule(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.settings(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void threads_rejectsZeroWorkers() {
    assertThatThrownBy(() -> WorkerPools.threads(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workers must be >= 1, got 0");
  }

  @Test
  void build_sequentialWithSeveralWorkers_suggestsThreads() {
    assertThatThrownBy(() -> WorkerPools.builder().backend("sequential").workers(2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threads:2");
  }

  @Test
  void build_unknownOrMissingBackend_saysWhatToDo() {
    // no provider is on this module's test class path: the list is the built-ins
    assertThatThrownBy(() -> WorkerPools.builder().backend("thread").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown pool 'thread'")
        .hasMessageContaining("not on the class path")
        .hasMessageContaining("modules named org.jmor:jmor-parallel-<name>")
        .hasMessageEndingWith("expected one of: sequential, threads, threads:N");
    assertThatThrownBy(() -> WorkerPools.builder().backend("mpi").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("org.jmor:jmor-parallel-mpi");
    assertThatThrownBy(() -> WorkerPools.builder().backend("cluster").workers(2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("org.jmor:jmor-parallel-cluster");
    assertThatThrownBy(() -> WorkerPools.builder().backend("ipython:3").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("org.jmor:jmor-parallel-ipython");
    assertThatThrownBy(() -> WorkerPools.builder().backend("threads:0").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the worker count must be >= 1");
    assertThatThrownBy(() -> WorkerPools.builder().backend("threads:abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'abc' is not a worker count");
  }

  @Test
  void builder_timeouts_areCarriedAsKeys() {
    PoolBuilder b =
        WorkerPools.builder().timeout(Duration.ofSeconds(30)).closeTimeout(Duration.ofMillis(500));
    assertThat(b.options().get(PoolConfig.TIMEOUT)).isEqualTo("PT30S");
    assertThat(b.options().get(PoolConfig.CLOSE_TIMEOUT)).isEqualTo("PT0.5S");
    ResolvedConfig c = new ResolvedConfig(b.options());
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.closeTimeout()).isEqualTo(Duration.ofMillis(500));
    b.timeout(Duration.ZERO).closeTimeout(Duration.ZERO);
    c = new ResolvedConfig(b.options());
    assertThat(c.timeout()).isNull();
    assertThat(c.closeTimeout()).isNull();
    assertThatThrownBy(() -> b.timeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout must not be negative");
    assertThatThrownBy(() -> b.closeTimeout(null)).isInstanceOf(NullPointerException.class);
    try (WorkerPool pool = b.timeout(Duration.ofMinutes(1)).workers(2).build()) {
      assertThat(pool.size()).isEqualTo(2);
    }
  }

  @Test
  void builder_producesTheOptionsCarrier_withItsDefaultsExplicit() {
    ParallelPoolOptions o = WorkerPools.builder().backend("Threads:3").strict(true).options();
    assertThat(o.values())
        .containsEntry(PoolConfig.POOL, "threads:3")
        .containsEntry(PoolConfig.WORKERS, "0")
        .containsEntry(PoolConfig.SEED, "42")
        .containsEntry(PoolConfig.SPLIT, "balanced")
        .containsEntry(PoolConfig.STRICT, "true")
        .doesNotContainKeys(PoolConfig.TIMEOUT, PoolConfig.CLOSE_TIMEOUT);
    assertThat(WorkerPools.builder().property("jmor.foo.bar", "x").options().get("jmor.foo.bar"))
        .isEqualTo("x");
  }

  @Test
  void builder_explicitValuesOutrankConfiguration_unsetKeysComeFromIt() {
    Properties sys = new Properties();
    sys.setProperty(PoolConfig.POOL, "sequential");
    sys.setProperty(PoolConfig.SEED, "7");
    sys.setProperty(PoolConfig.TIMEOUT, "2m");
    ParallelPoolOptions sources =
        ParallelPoolOptions.defaults()
            .withSystemProperties(sys)
            .withEnvironment(Map.of("JMOR_POOL_CLOSE_TIMEOUT", "250ms"));
    PoolBuilder b = new PoolBuilder(sources).workers(2);
    ResolvedConfig c = new ResolvedConfig(b.options());
    assertThat(c.pool()).isEqualTo(PoolName.parse("threads"));
    assertThat(c.seed()).isEqualTo(42);
    assertThat(c.timeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.source(PoolConfig.TIMEOUT)).isEqualTo("system property -Djmor.pool.timeout");
    assertThat(c.closeTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.source(PoolConfig.CLOSE_TIMEOUT)).isEqualTo("environment JMOR_POOL_CLOSE_TIMEOUT");
    try (WorkerPool pool = b.build()) {
      assertThat(pool.size()).isEqualTo(2);
      assertThat(pool.isParallel()).isTrue();
    }
    sys.setProperty(PoolConfig.TIMEOUT, "soon");
    PoolBuilder bad = new PoolBuilder(ParallelPoolOptions.defaults().withSystemProperties(sys));
    assertThatThrownBy(bad::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(PoolConfig.TIMEOUT)
        .hasMessageContaining("system property -Djmor.pool.timeout");
  }

  @Test
  void options_with_setsAndUnsetsAnyKey_immutably() {
    ParallelPoolOptions a = ParallelPoolOptions.defaults();
    ParallelPoolOptions b = a.with("jmor.mpi.allow", "false");
    ParallelPoolOptions c = b.with("jmor.mpi.allow", null);
    assertThat(a.values()).isEmpty();
    assertThat(b.get("jmor.mpi.allow")).isEqualTo("false");
    assertThat(c.get("jmor.mpi.allow")).isNull();
    assertThat(c.values()).isEmpty();
    assertThatThrownBy(() -> b.values().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> a.with(" ", "v")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> a.with(null, "v")).isInstanceOf(NullPointerException.class);
  }

  @Test
  void options_typedWithers_delegateToTheirKeys() {
    ParallelPoolOptions o =
        ParallelPoolOptions.defaults()
            .withPool("threads:2")
            .withWorkers(3)
            .withSeed(7L)
            .withSplitRule(SplitRule.CEILING)
            .withStrict(true)
            .withTimeout(Duration.ofSeconds(30))
            .withCloseTimeout(Duration.ZERO);
    assertThat(o.values())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                PoolConfig.POOL, "threads:2",
                PoolConfig.WORKERS, "3",
                PoolConfig.SEED, "7",
                PoolConfig.SPLIT, "ceiling",
                PoolConfig.STRICT, "true",
                PoolConfig.TIMEOUT, "PT30S",
                PoolConfig.CLOSE_TIMEOUT, "none"));
    assertThat(o.withSeed(null).get(PoolConfig.SEED)).isNull();
    assertThat(o.withSeed(null).get(PoolConfig.POOL)).isEqualTo("threads:2");
    assertThat(ParallelPoolOptions.defaults().with(PoolConfig.SEED, "7").values())
        .isEqualTo(ParallelPoolOptions.defaults().withSeed(7L).values());
  }

  @Test
  void build_backendNameWithCount_isHonoured() {
    try (WorkerPool pool = WorkerPools.builder().backend("Threads:3").build()) {
      assertThat(pool.size()).isEqualTo(3);
      assertThat(pool.isParallel()).isTrue();
    }
    try (WorkerPool pool = WorkerPools.builder().backend("sequential").build()) {
      assertThat(pool.size()).isEqualTo(1);
      assertThat(pool.isParallel()).isFalse();
    }
  }

  @Test
  void build_sharedSettings_areThePoolsSettings() {
    Settings shared = Settings.create();
    try (WorkerPool a = WorkerPools.builder().workers(1).settings(shared).build();
        WorkerPool b = WorkerPools.builder().backend("sequential").settings(shared).build()) {
      assertThat(a.settings()).isSameAs(shared);
      assertThat(b.settings()).isSameAs(shared);
    }
  }

  @Test
  void options_rejectNegativeNumbers() {
    ParallelPoolOptions o = ParallelPoolOptions.defaults();
    assertThatThrownBy(() -> o.withWorkers(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> o.withSeed(-1L)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void poolConfig_envName() {
    assertThat(PoolConfig.envName(PoolConfig.WORKERS)).isEqualTo("JMOR_POOL_WORKERS");
    assertThat(PoolConfig.envName("jmor.mpi.allow")).isEqualTo("JMOR_MPI_ALLOW");
    assertThat(PoolConfig.envName(PoolConfig.CLOSE_TIMEOUT)).isEqualTo("JMOR_POOL_CLOSE_TIMEOUT");
  }
}
