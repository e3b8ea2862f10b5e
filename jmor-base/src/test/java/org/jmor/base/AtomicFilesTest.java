package org.jmor.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  private long temporaries() throws IOException {
    try (var s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
    }
  }

  @Test
  void writesReplacesAndCreatesDirectories() throws IOException {
    Path f = dir.resolve("a/b/out.txt");
    AtomicFiles.write(f, tmp -> Files.writeString(tmp, "one"));
    assertThat(Files.readString(f)).isEqualTo("one");
    AtomicFiles.write(f, tmp -> Files.writeString(tmp, "two"), Set.of(AtomicFiles.Option.SYNC));
    assertThat(Files.readString(f)).isEqualTo("two");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
        .isEqualTo("rw-r--r--");
    assertThat(temporaries()).isZero();
  }

  @Test
  void aFailedWrite_leavesTheTargetAndNoTemporaryFile() throws IOException {
    Path f = dir.resolve("out.txt");
    Files.writeString(f, "old");
    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    f,
                    tmp -> {
                      Files.writeString(tmp, "partial");
                      throw new IOException("disk full");
                    }))
        .hasMessage("disk full");
    assertThat(Files.readString(f)).isEqualTo("old");
    assertThat(temporaries()).isZero();
  }

  @Test
  void withoutCreateDirectories_aMissingDirectoryFails() {
    Path f = dir.resolve("missing/out.txt");
    assertThatThrownBy(() -> AtomicFiles.write(f, tmp -> Files.writeString(tmp, "x"), Set.of()))
        .isInstanceOf(NoSuchFileException.class);
    assertThat(Files.exists(f.getParent())).isFalse();
  }
}
