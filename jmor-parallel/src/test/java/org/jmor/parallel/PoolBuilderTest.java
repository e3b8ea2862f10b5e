package org.jmor.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    assertThatThrownBy(() -> WorkerPools.builder().backend("thread").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown pool 'thread'")
        .hasMessageContaining("sequential, threads, threads:N, cluster, mpi");
    assertThatThrownBy(() -> WorkerPools.builder().backend("mpi").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("org.jmor:jmor-parallel-mpi");
    assertThatThrownBy(() -> WorkerPools.builder().backend("cluster").workers(2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("org.jmor:jmor-parallel-cluster");
    assertThatThrownBy(() -> WorkerPools.builder().backend("threads:0").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(">= 1");
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
    assertThatThrownBy(() -> o.withClusterWorkers(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> o.withSeed(-1L)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void poolConfig_envName() {
    assertThat(PoolConfig.envName(PoolConfig.WORKERS)).isEqualTo("JMOR_POOL_WORKERS");
    assertThat(PoolConfig.envName(PoolConfig.ALLOW_MPI)).isEqualTo("JMOR_MPI_ALLOW");
  }
}
