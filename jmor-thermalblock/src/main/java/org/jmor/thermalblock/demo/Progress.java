package org.jmor.thermalblock.demo;

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
  private long done;

  private Progress(ProgressBar bar, PrintStream out) {
    this.bar = bar;
    this.out = out;
  }

  static boolean interactive() {
    return System.console() != null && !"dumb".equals(System.getenv("TERM"));
  }

  static Progress start(String task, long total, PrintStream out) {
    if (!interactive()) {
      return new Progress(null, out);
    }
    ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(100)
        .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    return new Progress(bar, out);
  }

  /** Records that {@code n} units are done in total. */
  void stepTo(long n) {
    if (bar != null) {
      bar.stepTo(n);
    } else {
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
    } else if (done > 0) {
      out.println();
    }
  }
}
