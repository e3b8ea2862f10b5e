package org.jmor.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process command lines for the tests that look for the JVMs they started. */
final class ProcessCommandLines {
  private ProcessCommandLines() {}

  /**
   * A process's whole command line, arguments separated by spaces: from {@code /proc/<pid>/cmdline}
   * on Linux ({@link ProcessHandle.Info#commandLine()} is empty there once the command line is
   * longer than 4096 bytes, as a JVM's with this module's test class path is), else from {@link
   * ProcessHandle.Info}; empty if it cannot be read.
   *
   * @param process the process
   * @return the command line, or an empty string
   */
  static String of(ProcessHandle process) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
      if (raw.length > 0) {
        return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the process is gone
    }
    return process.info().commandLine().orElse("");
  }
}
