package org.jmor.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link PoolName#parse}: the one parser of pool names. */
class PoolNameTest {

  @Test
  void parse_acceptsEveryForm() {
    assertThat(PoolName.parse("auto")).isEqualTo(new PoolName("auto", 0));
    assertThat(PoolName.parse("auto").isAuto()).isTrue();
    assertThat(PoolName.parse("sequential")).isEqualTo(new PoolName("sequential", 0));
    assertThat(PoolName.parse("threads")).isEqualTo(new PoolName("threads", 0));
    assertThat(PoolName.parse("threads:4")).isEqualTo(new PoolName("threads", 4));
    assertThat(PoolName.parse("cluster:2")).isEqualTo(new PoolName("cluster", 2));
    assertThat(PoolName.parse("mpi")).isEqualTo(new PoolName("mpi", 0));
    assertThat(PoolName.parse("my-backend_2.x:7")).isEqualTo(new PoolName("my-backend_2.x", 7));
    assertThat(PoolName.parse("threads").isAuto()).isFalse();
  }

  @Test
  void parse_isCaseInsensitiveAndTrimmed() {
    PoolName n = PoolName.parse("  Threads : 3 ");
    assertThat(n.backend()).isEqualTo("threads");
    assertThat(n.workers()).isEqualTo(3);
    assertThat(PoolName.parse("AUTO").isAuto()).isTrue();
    assertThat(PoolName.parse(" MPI ").backend()).isEqualTo("mpi");
  }

  @Test
  void toString_isTheCanonicalSpelling() {
    assertThat(PoolName.parse(" Threads:3").toString()).isEqualTo("threads:3");
    assertThat(PoolName.parse("Sequential").toString()).isEqualTo("sequential");
    assertThat(PoolName.parse(PoolName.parse("cluster:2").toString()))
        .isEqualTo(PoolName.parse("cluster:2"));
  }

  @Test
  void parse_rejectsCountsBelowOne() {
    for (String s : new String[] {"threads:0", "threads:-3", "cluster:0"}) {
      assertThatThrownBy(() -> PoolName.parse(s), s)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the worker count must be >= 1");
    }
  }

  @Test
  void parse_rejectsCountsThatAreNotIntegers() {
    assertThatThrownBy(() -> PoolName.parse("threads:abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'abc' is not a worker count")
        .hasMessageContaining("threads:4");
    assertThatThrownBy(() -> PoolName.parse("threads:"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a worker count");
    assertThatThrownBy(() -> PoolName.parse("threads:2.5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a worker count");
  }

  @Test
  void parse_rejectsBlankAndMalformedNames() {
    for (String s : new String[] {"", "   ", "\t"}) {
      assertThatThrownBy(() -> PoolName.parse(s))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the pool name is blank")
          .hasMessageContaining("expected auto, sequential, threads, threads:N");
    }
    assertThatThrownBy(() -> PoolName.parse(":4"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no backend name");
    assertThatThrownBy(() -> PoolName.parse("two words"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'two words' is not a pool name");
    assertThatThrownBy(() -> PoolName.parse("auto:2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("auto takes no worker count");
    assertThatThrownBy(() -> PoolName.parse(null)).isInstanceOf(NullPointerException.class);
  }
}
