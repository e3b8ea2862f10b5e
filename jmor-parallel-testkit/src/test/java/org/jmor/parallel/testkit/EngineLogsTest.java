package org.jmor.parallel.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * {@link EngineLogs}: a fixture class run through the JUnit launcher prints to its log file, not to
 * the console, and its failing test prints the log's last lines to the console.
 */
class EngineLogsTest {
  /** Set while the launcher below runs the fixture; surefire never selects nested classes. */
  private static volatile boolean launched;

  @ExtendWith(EngineLogs.class)
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class Fixture {
    @Test
    void a_printsSeventyLinesAndFails() {
      assumeTrue(launched, "a fixture of EngineLogsTest");
      for (int i = 1; i <= 70; i++) {
        System.err.println("engine line " + i + ":");
      }
      throw new AssertionError("the fixture's failure");
    }

    @Test
    void b_printsAndPasses() {
      assumeTrue(launched, "a fixture of EngineLogsTest");
      System.out.println("quiet line of a passing test");
    }
  }

  @Test
  void theLogGoesToItsFile_andAFailurePrintsItsTail(@TempDir Path dir) throws IOException {
    PrintStream err = System.err;
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8);
    String before = System.getProperty(EngineLogs.DIR_PROPERTY);
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    System.setErr(capture);
    System.setProperty(EngineLogs.DIR_PROPERTY, dir.toString());
    launched = true;
    try {
      LauncherFactory.create()
          .execute(
              LauncherDiscoveryRequestBuilder.request()
                  .selectors(selectClass(Fixture.class))
                  .build(),
              summary);
      assertThat(System.err).as("the console stream is restored").isSameAs(capture);
    } finally {
      launched = false;
      System.setErr(err);
      if (before == null) {
        System.clearProperty(EngineLogs.DIR_PROPERTY);
      } else {
        System.setProperty(EngineLogs.DIR_PROPERTY, before);
      }
    }
    assertThat(summary.getSummary().getTestsFailedCount()).isEqualTo(1);
    assertThat(summary.getSummary().getTestsSucceededCount()).isEqualTo(1);

    Path log = dir.resolve(Fixture.class.getName() + ".log");
    assertThat(Files.readString(log))
        .contains("engine line 1:", "engine line 70:", "quiet line of a passing test");

    String shown = console.toString(StandardCharsets.UTF_8);
    assertThat(shown)
        .contains(
            "Fixture.a_printsSeventyLinesAndFails failed; the last lines of its engine log " + log)
        .contains("engine line 31:", "engine line 70:")
        .doesNotContain("engine line 30:")
        .doesNotContain("quiet line");
  }
}
