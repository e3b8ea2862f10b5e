package org.jmor.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The aggregated worker failure. */
class RemoteExecutionExceptionTest {

  @Test
  void oneFailure_namesWorkerAndPoolSize() {
    IllegalStateException cause = new IllegalStateException("boom");
    RemoteExecutionException e =
        new RemoteExecutionException(List.of(new WorkerFailure(2, -1, cause)), 4);
    assertThat(e)
        .hasMessageStartingWith("task failed on worker 2 of 4: ")
        .hasMessageContaining("boom")
        .hasCause(cause);
    assertThat(e.failedWorkers()).containsExactly(2);
    assertThat(e.poolSize()).isEqualTo(4);
    assertThat(e.getSuppressed()).isEmpty();
  }

  @Test
  void severalFailures_firstIsCauseOthersSuppressed() {
    RuntimeException c0 = new RuntimeException("first");
    RuntimeException c3 = new RuntimeException("second");
    RemoteExecutionException e =
        new RemoteExecutionException(
            List.of(new WorkerFailure(0, 4, c0), new WorkerFailure(3, -1, c3)), 4);
    assertThat(e)
        .hasMessageStartingWith("task failed on 2 of 4 workers")
        .hasMessageContaining("worker 0 (element 4)")
        .hasMessageContaining("worker 3: ")
        .hasCause(c0);
    assertThat(e.getSuppressed()).containsExactly(c3);
    assertThat(e.failedWorkers()).containsExactly(0, 3);
    assertThat(e.failures().get(0).element()).isEqualTo(4);
  }

  @Test
  void noFailures_rejected() {
    assertThatThrownBy(() -> new RemoteExecutionException(List.of(), 2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void workerFailure_requiresCause() {
    assertThatThrownBy(() -> new WorkerFailure(0, -1, null))
        .isInstanceOf(NullPointerException.class);
  }
}
