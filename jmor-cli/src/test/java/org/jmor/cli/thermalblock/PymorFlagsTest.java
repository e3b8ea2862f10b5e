package org.jmor.cli.thermalblock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * pyMOR's cluster flags choose the cluster pool (pyMOR's {@code new_parallel_pool} with {@code
 * ipython_num_engines} / {@code ipython_profile}); checked without starting a cluster. (The
 * one-line message when the cluster module is missing is tested in {@code CliInputTest}.)
 */
class PymorFlagsTest {

  private static PymorFlags parse(String... args) {
    PymorFlags flags = new PymorFlags();
    new CommandLine(flags).parseArgs(args);
    return flags;
  }

  @Test
  void ipythonEngines_choosesAClusterPoolOfThatSize() {
    PymorFlags f = parse("--ipython-engines", "3");
    assertThat(f.choosePool()).isTrue();
    assertThat(f.chosenPool()).isEqualTo("cluster:3");
  }

  @Test
  void ipythonEnginesZero_choosesNothing_asInPyMor() {
    assertThat(parse("--ipython-engines", "0").choosePool()).isFalse();
  }

  @Test
  void ipythonProfile_choosesTheClusterPool() {
    PymorFlags f = parse("--ipython-profile", "default");
    assertThat(f.choosePool()).isTrue();
    assertThat(f.chosenPool()).isEqualTo("cluster");
  }
}
