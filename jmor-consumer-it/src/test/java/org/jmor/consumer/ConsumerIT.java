package org.jmor.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Starts {@link ConsumerMain} in a new JVM as a Maven consumer would: once with the library and the
 * consumer on the module path ({@code java -p ... -m org.jmor.consumer/...}), once on the class
 * path. Runs after {@code package} (failsafe), from the consumer's jar and the library's jars.
 */
class ConsumerIT {

  private static String path() throws IOException {
    String deps =
        Files.readString(Path.of(System.getProperty("consumer.path")), StandardCharsets.UTF_8)
            .strip();
    return System.getProperty("consumer.jar") + File.pathSeparator + deps;
  }

  private static String run(List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(args);
    Path out = Files.createTempFile("consumer-", ".out");
    try {
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("timed out: " + cmd);
      }
      String text = Files.readString(out, StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + text).isZero();
      return text;
    } finally {
      Files.deleteIfExists(out);
    }
  }

  @Test
  void runsFromTheModulePath() throws Exception {
    String out =
        run(List.of("-p", path(), "-m", "org.jmor.consumer/org.jmor.consumer.ConsumerMain"));
    assertThat(out)
        .contains(
            "consumer module=org.jmor.consumer library=org.jmor.parallel backend=threads"
                + " workers=[0, 1] sum=14.0");
  }

  @Test
  void runsFromTheClassPath() throws Exception {
    String out = run(List.of("-cp", path(), "org.jmor.consumer.ConsumerMain"));
    assertThat(out)
        .contains(
            "consumer module=unnamed library=unnamed backend=threads workers=[0, 1] sum=14.0");
  }
}
