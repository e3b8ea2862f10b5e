package org.jmor.cli.thermalblock;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jmor.cli.Interrupts;
import org.jmor.rb.algorithms.CheckpointFile;

/**
 * {@code thermalblock --checkpoint FILE} / {@code --resume FILE}: the checkpoint file of the greedy
 * searches, what SIGTERM does with it, and the line that reports it.
 */
final class Checkpoints {
  private Checkpoints() {}

  /**
   * Opens the checkpoint file and makes SIGTERM end the run after the checkpoint being written
   * ({@link #terminated}).
   */
  static CheckpointFile open(Path file) {
    CheckpointFile f = CheckpointFile.at(file);
    Interrupts.onTerminate(() -> terminated(f));
    return f;
  }

  /** The line after the basis generation: how many checkpoints, how large, how long. */
  static void report(PrintStream out, CheckpointFile f) {
    out.printf(
        Locale.ROOT,
        "checkpoint %s: %d written, %d bytes, %.3f s spent checkpointing%n",
        f.file(),
        f.writes(),
        f.lastBytes(),
        f.seconds());
  }

  /**
   * SIGTERM with {@code --checkpoint}: lets a checkpoint being written finish (at most 20 s; Slurm
   * sends SIGKILL 30 s after SIGTERM by default), stops further writes, and says in one line how
   * far the file goes.
   */
  private static void terminated(CheckpointFile file) {
    boolean complete;
    try {
      complete = file.close(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      complete = false;
    }
    int k = file.extensions();
    String line;
    if (!complete) {
      line = "a checkpoint was still being written; " + file.file() + " holds the one before it";
    } else if (k < 0) {
      line = "before the first checkpoint; " + file.file() + " was not written";
    } else {
      line =
          "after "
              + k
              + " extensions; checkpoint "
              + file.file()
              + " holds them (continue with --resume "
              + file.file()
              + ")";
    }
    System.err.println("thermalblock: terminated (SIGTERM) " + line);
    System.err.flush();
  }
}
