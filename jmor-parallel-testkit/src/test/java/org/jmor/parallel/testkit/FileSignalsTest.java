package org.jmor.parallel.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FileSignalsTest {
  @Test
  void raise_isSeenByAWaiter_andIsIdempotent() throws Exception {
    try (FileSignals s = FileSignals.create()) {
      CompletableFuture<Boolean> waiter =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return FileSignals.await(s.path(), "go", Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(50);
      assertThat(s.isRaised("go")).isFalse();
      s.raise("go");
      FileSignals.raise(s.path(), "go");
      assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
      assertThat(s.isRaised("go")).isTrue();
    }
  }

  @Test
  void await_timesOut_andAnInterruptEndsIt_butNotTheDeafVariant() throws Exception {
    try (FileSignals s = FileSignals.create()) {
      long start = System.nanoTime();
      assertThat(s.await("never", Duration.ofMillis(100))).isFalse();
      assertThat(System.nanoTime() - start)
          .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
      Thread.currentThread().interrupt();
      assertThatThrownBy(() -> s.await("never", Duration.ofSeconds(10)))
          .isInstanceOf(InterruptedException.class);
      Thread.currentThread().interrupt();
      assertThat(FileSignals.awaitIgnoringInterrupts(s.path(), "never", Duration.ofMillis(50)))
          .isFalse();
      assertThat(Thread.interrupted()).as("the flag is left set").isTrue();
    }
  }

  @Test
  void close_deletesTheDirectory_andNamesMustBePlain() {
    FileSignals s = FileSignals.create();
    s.raise("a");
    assertThatThrownBy(() -> s.raise("../escape")).isInstanceOf(IllegalArgumentException.class);
    s.close();
    assertThat(Files.exists(Paths.get(s.path()))).isFalse();
  }
}
