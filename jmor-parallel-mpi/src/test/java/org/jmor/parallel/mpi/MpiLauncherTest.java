package org.jmor.parallel.mpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MpiLauncherTest {

  @TempDir Path dir;

  private Path fakeMpirun() throws IOException {
    Path f = dir.resolve("mpirun");
    Files.writeString(f, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    return f;
  }

  @Test
  void environmentKeepsWhatIsAlreadySet() {
    Map<String, String> env =
        MpiLauncher.environment(Map.of("OMPI_MCA_btl", "self,tcp", "OMPI_MCA_opal_signal", ""));
    assertThat(env)
        .doesNotContainKeys("OMPI_MCA_btl", "OMPI_MCA_opal_signal")
        .containsEntry("OMPI_MCA_btl_vader_single_copy_mechanism", "none")
        .containsEntry("OMPI_MCA_pml", "ob1")
        .containsEntry("OMPI_ALLOW_RUN_AS_ROOT", "1");
    assertThat(MpiLauncher.environment(Map.of())).isEqualTo(MpiLauncher.ENVIRONMENT);
  }

  @Test
  void mpirunComesFromMpirunThenPath() throws IOException {
    Path f = fakeMpirun();
    assertThat(MpiLauncher.mpirun(Map.of("MPIRUN", "/opt/x/mpirun", "PATH", dir.toString())))
        .isEqualTo("/opt/x/mpirun");
    assertThat(MpiLauncher.mpirun(Map.of("PATH", "/nonexistent:" + dir))).isEqualTo(f.toString());
    assertThat(MpiLauncher.mpirun(Map.of("PATH", "/nonexistent"))).isEqualTo("/usr/bin/mpirun");
  }

  @Test
  void commandLine() {
    List<String> cmd = MpiLauncher.command(3, List.of("java", "-cp", "x", "Main"));
    assertThat(cmd.subList(1, cmd.size()))
        .containsExactly(
            "-n",
            "3",
            "--allow-run-as-root",
            "--oversubscribe",
            "--bind-to",
            "none",
            "java",
            "-cp",
            "x",
            "Main");
    assertThatThrownBy(() -> MpiLauncher.command(0, List.of("a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(">= 1, got 0");
    assertThatThrownBy(() -> MpiLauncher.command(2, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no program");
  }

  @Test
  void processBuilderAddsTheEnvironment() {
    ProcessBuilder pb = MpiLauncher.processBuilder(List.of("true"));
    for (var e : MpiLauncher.ENVIRONMENT.entrySet()) {
      String own = System.getenv(e.getKey());
      assertThat(pb.environment()).containsEntry(e.getKey(), own != null ? own : e.getValue());
    }
  }

  private static String[] printed(ByteArrayOutputStream out) {
    String s = out.toString(StandardCharsets.UTF_8);
    assertThat(s).endsWith("\0");
    return s.substring(0, s.length() - 1).split("\0", -1);
  }

  @Test
  void printsAssignmentsThenTheCommandForTheScript() throws IOException {
    Path f = fakeMpirun();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String err =
        MpiLauncher.print(
            new String[] {"-n", "2", "--", "java", "-cp", "a b.jar", "Main", "x=1", ""},
            Map.of("PATH", dir.toString(), "OMPI_MCA_btl", "tcp"),
            new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(err).isNull();
    String[] parts = printed(out);
    int envCount = MpiLauncher.ENVIRONMENT.size() - 1;
    assertThat(Arrays.asList(parts).subList(0, envCount))
        .allMatch(p -> p.startsWith("OMPI_") && p.contains("="))
        .noneMatch(p -> p.startsWith("OMPI_MCA_btl="));
    assertThat(Arrays.asList(parts).subList(envCount, parts.length))
        .containsExactly(
            f.toString(),
            "-n",
            "2",
            "--allow-run-as-root",
            "--oversubscribe",
            "--bind-to",
            "none",
            "java",
            "-cp",
            "a b.jar",
            "Main",
            "x=1",
            "");
  }

  @Test
  void printRefusesBadArgumentsAndMissingMpirun() throws IOException {
    fakeMpirun();
    Map<String, String> env = Map.of("PATH", dir.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    assertThat(MpiLauncher.print(new String[] {"-n", "0", "--", "x"}, env, ps))
        .contains(">= 1, got '0'");
    assertThat(MpiLauncher.print(new String[] {"-n", "two", "x"}, env, ps))
        .contains(">= 1, got 'two'");
    assertThat(MpiLauncher.print(new String[] {"-n"}, env, ps)).contains("-n needs");
    assertThat(MpiLauncher.print(new String[] {"-n", "2", "--"}, env, ps)).contains("usage");
    assertThat(
            MpiLauncher.print(
                new String[] {"x"}, Map.of("MPIRUN", dir.resolve("none").toString()), ps))
        .contains("mpirun not found");
    assertThat(out.size()).isZero();
  }
}
