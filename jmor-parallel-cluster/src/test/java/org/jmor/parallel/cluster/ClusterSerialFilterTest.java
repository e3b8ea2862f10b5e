package org.jmor.parallel.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.jmor.parallel.Args;
import org.jmor.parallel.Task;
import org.jmor.parallel.WorkerContext;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The caller's {@code jmor.serial.filter} reaches worker JVMs that were started before it was set
 * (no command-line flag carries it): the core's open-pool frame does, and it narrows what the
 * workers' allow-list lets through.
 */
class ClusterSerialFilterTest {
  private static final String FILTER = ClusterAllowList.FRAME_PROPERTY;

  /**
   * A task of the library's packages (allowed on every worker) that the caller's filter refuses.
   */
  static final class Marked implements Task<Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer run(WorkerContext context, Args args) {
      return context.workerIndex();
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void callersFilter_travelsInTheOpenPoolFrame_andNarrowsTheWorkersAllowList() {
    String id = SharedCluster.get(2).id(); // worker JVMs started without the caller's filter
    try (WorkerPool pool =
        WorkerPools.builder()
            .backend(ClusterProvider.NAME)
            .property(ClusterProvider.ID, id)
            .build()) {
      assertThat(pool.apply(new Marked())).containsExactly(0, 1);
    }
    String old = System.getProperty(FILTER);
    System.setProperty(FILTER, "!" + Marked.class.getName());
    try (WorkerPool pool =
        WorkerPools.builder()
            .backend(ClusterProvider.NAME)
            .property(ClusterProvider.ID, id)
            .build()) {
      assertThatThrownBy(() -> pool.apply(new Marked()))
          .hasStackTraceContaining(Marked.class.getName())
          .hasStackTraceContaining("refused");
    } finally {
      if (old == null) {
        System.clearProperty(FILTER);
      } else {
        System.setProperty(FILTER, old);
      }
    }
  }
}
