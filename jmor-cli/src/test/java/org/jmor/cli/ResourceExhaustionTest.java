package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ResourceExhaustionTest {

  @Test
  void heap_oneLineWithTheLimitAndWhatToDo() {
    String m = ResourceExhaustion.message(new OutOfMemoryError("Java heap space"), 1L << 30);
    assertThat(m)
        .isEqualTo(
            "ran out of memory (Java heap space) with a heap limit of 1.1 GB: raise it with"
                + " JMOR_JAVA_OPTS=-Xmx2g, or use a smaller --grid/--test");
  }

  @Test
  void threads_sayWhatToDo() {
    String m =
        ResourceExhaustion.message(
            new OutOfMemoryError(
                "unable to create native thread: possibly out of memory or process/resource"
                    + " limits reached"),
            1L << 30);
    assertThat(m).startsWith("could not create a thread").contains("--pool threads:N");
  }

  @Test
  void isFoundInCausesAndSuppressed_andReportedInOneLine() {
    OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
    RuntimeException wrapped = new RuntimeException("worker 1 failed", oom);
    IllegalStateException fromClose = new IllegalStateException("close failed");
    IllegalStateException primary = new IllegalStateException("primary");
    primary.addSuppressed(fromClose);
    primary.addSuppressed(wrapped);
    assertThat(ResourceExhaustion.find(wrapped)).isSameAs(oom);
    assertThat(ResourceExhaustion.find(primary)).isSameAs(oom);
    assertThat(ResourceExhaustion.find(new IllegalStateException("x"))).isNull();
    StringWriter err = new StringWriter();
    assertThat(ResourceExhaustion.report("thermalblock", wrapped, new PrintWriter(err)))
        .isEqualTo(1);
    assertThat(err.toString().strip())
        .startsWith("thermalblock: ran out of memory")
        .doesNotContain("\n");
    assertThat(ResourceExhaustion.report("x", new IllegalStateException(), new PrintWriter(err)))
        .isNull();
  }

  @Test
  void poolReset_failureDoesNotHideTheOriginalError() {
    OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
    Throwable thrown = null;
    try (AutoCloseable failing =
        () -> {
          throw new IllegalStateException("close failed");
        }) {
      throw oom;
    } catch (Throwable t) {
      thrown = t;
    }
    assertThat(thrown).isSameAs(oom);
    assertThat(thrown.getSuppressed()).hasSize(1);
  }
}
