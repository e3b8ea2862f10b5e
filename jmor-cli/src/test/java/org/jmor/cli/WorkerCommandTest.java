package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./jmor worker}: its options and its errors (the worker itself runs in the cluster tests).
 */
class WorkerCommandTest {
  @TempDir Path tmp;

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }

  @Test
  void help_listsTheOptions() {
    String[] r = run("worker", "--help");
    assertThat(r[0]).isEqualTo("0");
    assertThat(r[1])
        .contains("--cluster-id", "--index", "--key-store", "--addresses", "--bind", "--allow")
        .contains("--once", "SLURM_PROCID", "JMOR_CLUSTER_KEY_STORE_PASSWORD");
  }

  @Test
  void missingClusterId_isBadInput() {
    String[] r = run("worker", "--key-store", "x.p12");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("--cluster-id");
  }

  @Test
  void unreadableKeyStore_isBadInput_namingIt() {
    Path missing = tmp.resolve("missing.p12");
    String[] r =
        run(
            "worker",
            "--cluster-id",
            "c",
            "--index",
            "0",
            "--key-store",
            missing.toString(),
            "--key-store-password-file",
            tmp.resolve("no-password").toString());
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("no-password");
  }
}
