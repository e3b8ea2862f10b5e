package org.jmor.cli.thermalblock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Result files are written whole or not at all. */
class OutputsTest {

  @TempDir Path tmp;

  @Test
  void aWriterThatFailsHalfway_leavesTheOldFileAndNoTemporaryFile() throws IOException {
    Path f = tmp.resolve("r.json");
    Files.writeString(f, "old");
    assertThatThrownBy(
            () ->
                Outputs.writeAtomically(
                    f,
                    out -> {
                      out.write("{\"half\":".getBytes(StandardCharsets.UTF_8));
                      throw new IOException("disk full");
                    }))
        .hasMessage("disk full");
    assertThat(f).hasContent("old");
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s).containsExactly(f);
    }
  }

  @Test
  void aNewFile_isCreatedWithItsDirectoriesAndIsReadableByOthers() throws IOException {
    Path f = tmp.resolve("a/b/r.json");
    Outputs.writeAtomically(f, out -> out.write('x'));
    assertThat(f).hasContent("x");
    assertThat(Files.getPosixFilePermissions(f).toString()).contains("OTHERS_READ");
  }

  @Test
  void checks_createNothing() {
    Outputs.checkFile("--json", tmp.resolve("x/y/r.json"));
    Outputs.checkDirectory("--plot-dir", tmp.resolve("p/q"));
    assertThat(tmp.toFile().list()).isEmpty();
  }
}
