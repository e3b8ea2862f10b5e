package org.jmor.cli.thermalblock;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long phase: a progress bar (on standard error) when the process has a terminal,
 * otherwise pyMOR's plain output, one dot per unit of work.
 */
final class Progress implements AutoCloseable {
  private final ProgressBar bar;
  private final PrintStream out;
  private final boolean dots;
  private long done;

  private Progress(ProgressBar bar, PrintStream out, boolean dots) {
    this.bar = bar;
    this.out = out;
    this.dots = dots;
  }

  static boolean interactive() {
    return System.console() != null && !"dumb".equals(System.getenv("TERM"));
  }

  static Progress start(String task, long total, PrintStream out) {
    return start(task, total, out, true);
  }

  /**
   * Starts a phase.
   *
   * @param dots without a terminal, whether to print a dot per unit (pyMOR's error analysis) or
   *     nothing (phases whose log lines already tell the progress)
   */
  static Progress start(String task, long total, PrintStream out, boolean dots) {
    if (!interactive()) {
      return new Progress(null, out, dots);
    }
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(100)
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .build();
    return new Progress(bar, out, dots);
  }

  /** Records that {@code n} units are done in total. */
  void stepTo(long n) {
    if (bar != null) {
      bar.stepTo(n);
    } else if (dots) {
      for (; done < n; done++) {
        out.print('.');
      }
      out.flush();
    }
    done = Math.max(done, n);
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    } else if (dots && done > 0) {
      out.println();
    }
  }
}
