package org.jmor.parallel.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerProcessesTest {

  @Test
  void perWorkerJvmOptions_followTheCommonOnes_beforeTheMainClass() {
    WorkerProcesses.Builder b =
        WorkerProcesses.builder("com.example.Main")
            .inheritJvmOptions(false)
            .workers(2)
            .jvmOptions(List.of("-Xmx64m"))
            .jvmOptions(i -> i == 0 ? List.of("-Dfirst=true") : List.of())
            .classPath("cp")
            .arguments(i -> List.of("--index", String.valueOf(i)));
    assertThat(b.command(0).subList(1, b.command(0).size()))
        .containsExactly(
            "-Xmx64m", "-Dfirst=true", "-cp", "cp", "com.example.Main", "--index", "0");
    assertThat(b.command(1).subList(1, b.command(1).size()))
        .containsExactly("-Xmx64m", "-cp", "cp", "com.example.Main", "--index", "1");
  }
}
