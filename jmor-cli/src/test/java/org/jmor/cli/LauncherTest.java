package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./jmor} launcher, run by bash on a copy in a scratch tree with stand-ins for {@code
 * mvn} and {@code java}: it rebuilds only when a module's {@code src/} or a {@code pom.xml} is
 * newer than the jar, and its build-failure output has no colour codes when it is not a terminal.
 */
class LauncherTest {

  @TempDir Path root;
  private Path bin;
  private Path jar;
  private final Instant built = Instant.now().minusSeconds(1000);

  @BeforeEach
  void tree() throws Exception {
    Path launcher = Paths.get("").toAbsolutePath().getParent().resolve("jmor");
    assumeTrue(Files.isRegularFile(launcher), "runs in the jmor-cli module of the source tree");
    assumeTrue(Files.isExecutable(Paths.get("/bin/bash")), "needs bash");
    Files.copy(launcher, root.resolve("jmor"));
    write(root.resolve("pom.xml"), "<project/>", -100);
    write(root.resolve("jmor-cli/pom.xml"), "<project/>", -100);
    write(root.resolve("jmor-cli/src/main/java/A.java"), "class A {}", -100);
    jar = write(root.resolve("jmor-cli/target/jmor-cli.jar"), "jar", 0);
    bin = Files.createDirectories(root.resolve("fake-bin"));
    // mvn fails in colour and leaves a trace; java says it ran
    script(
        bin.resolve("mvn"),
        "touch \"" + root.resolve("mvn-ran") + "\"",
        "printf '\\033[1;31m[ERROR]\\033[m the build broke\\n'",
        "exit 1");
    script(root.resolve("fake-jdk/bin/java"), "echo java-ran \"$@\"");
  }

  private Path write(Path p, String content, long secondsAfterBuild) throws Exception {
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    Files.setLastModifiedTime(p, FileTime.from(built.plusSeconds(secondsAfterBuild)));
    return p;
  }

  private static void script(Path p, String... lines) throws Exception {
    Files.createDirectories(p.getParent());
    Files.writeString(p, "#!/bin/bash\n" + String.join("\n", lines) + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private String[] launch() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(List.of("/bin/bash", root.resolve("jmor").toString(), "--help"));
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("JAVA_HOME", root.resolve("fake-jdk").toString());
    Path out = root.resolve("launch.out");
    Path err = root.resolve("launch.err");
    pb.redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.PIPE);
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String[] {
      Integer.toString(p.exitValue()), Files.readString(out), Files.readString(err)
    };
  }

  @Test
  void generatedSourcesAndStrayFiles_doNotTriggerARebuild() throws Exception {
    write(root.resolve("jmor-cli/target/generated-sources/G.java"), "class G {}", 100);
    write(root.resolve("Scratch.java"), "class Scratch {}", 100);
    write(root.resolve("notes/pom.xml.orig"), "x", 100);
    String[] r = launch();
    assertThat(r[1]).as(r[2]).contains("java-ran");
    assertThat(r[0]).isEqualTo("0");
    assertThat(root.resolve("mvn-ran")).doesNotExist();
  }

  @Test
  void aChangedSourceOrPom_rebuilds_andTheFailureHasNoColourCodes() throws Exception {
    for (Path changed :
        List.of(root.resolve("jmor-cli/src/main/java/A.java"), root.resolve("jmor-cli/pom.xml"))) {
      Files.setLastModifiedTime(changed, FileTime.from(built.plusSeconds(100)));
      String[] r = launch();
      assertThat(root.resolve("mvn-ran")).exists();
      Files.delete(root.resolve("mvn-ran"));
      assertThat(r[0]).isEqualTo("1");
      assertThat(r[2]).contains("jmor: build failed").contains("[ERROR] the build broke");
      assertThat(r[2]).doesNotContain("\u001b");
      assertThat(r[1]).doesNotContain("java-ran");
      Files.setLastModifiedTime(changed, FileTime.from(built.minusSeconds(100)));
    }
  }
}
