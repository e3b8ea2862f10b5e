package org.jmor.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Ctrl-C (SIGINT) and SIGTERM end the process promptly, whatever the run is doing, with one line
 * {@code COMMAND: interrupted} on standard error and exit code 130 (SIGTERM: {@code COMMAND:
 * interrupted (SIGTERM)}, 143). The handler takes no lock the work could hold: it writes its line
 * straight to file descriptor 2, silences {@code System.out} and {@code System.err} (whatever the
 * work prints while it is torn down is noise), wakes a watchdog thread started up front and begins
 * the normal exit, whose shutdown hooks end worker processes and delete temporary files (a
 * cluster's key store among them). If that exit has not finished after {@link #GRACE_MILLIS}, the
 * watchdog halts the JVM. A second signal changes nothing.
 *
 * <p>A command may register a hook for SIGTERM ({@link #onTerminate}, e.g. the thermal-block demo
 * finishing a checkpoint being written): it runs first, on the signal thread, and prints the
 * command's own line instead of the generic one; the watchdog's grace starts when it returns.
 */
public final class Interrupts {

  /** The exit code of an interrupted run, 128 + SIGINT. */
  public static final int EXIT_CODE = 130;

  /** The exit code of a run ended by SIGTERM, 128 + 15. */
  public static final int TERMINATED_EXIT_CODE = 143;

  /**
   * How long the normal exit (the shutdown hooks: worker processes killed, temporary files and keys
   * deleted) may take before the process is halted.
   */
  public static final long GRACE_MILLIS = 5000;

  private static final Semaphore SIGNALLED = new Semaphore(0);
  private static final AtomicInteger EXIT = new AtomicInteger();
  private static final OutputStream STDERR = new FileOutputStream(FileDescriptor.err);
  private static final PrintStream SILENT = new PrintStream(OutputStream.nullOutputStream());
  private static volatile byte[] interruptedLine = line("jmor", "");
  private static volatile byte[] terminatedLine = line("jmor", " (SIGTERM)");
  private static volatile @Nullable Runnable terminateHook;
  private static boolean installed;

  private Interrupts() {}

  private static byte[] line(String command, String suffix) {
    return (command + ": interrupted" + suffix + System.lineSeparator())
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Names the running command in the line of an interrupted run.
   *
   * @param command the (sub)command's name, for example {@code thermalblock}
   */
  public static void command(String command) {
    interruptedLine = line(command, "");
    terminatedLine = line(command, " (SIGTERM)");
  }

  /**
   * Returns whether SIGINT or SIGTERM arrived: the run is being ended, and its line was printed.
   */
  public static boolean signalled() {
    return EXIT.get() != 0;
  }

  /** Returns the exit code of the signal that arrived ({@link #EXIT_CODE} if none). */
  public static int exitCode() {
    int code = EXIT.get();
    return code == 0 ? EXIT_CODE : code;
  }

  /**
   * Registers what SIGTERM (Slurm's time limit and {@code scancel}, {@code kill}) does before the
   * exit: {@code hook} runs on the JVM's signal thread, with standard output and error still open,
   * and prints the run's own one line (instead of {@code COMMAND: interrupted (SIGTERM)}); then the
   * exit with {@link #TERMINATED_EXIT_CODE} begins as for any signal, and the watchdog halts the
   * JVM {@link #GRACE_MILLIS} after the hook returned. The last registration wins. Has no effect
   * unless {@link #install()} was called.
   *
   * @param hook what to do first; it must bound its own waits (Slurm sends SIGKILL after {@code
   *     KillWait}, 30 s by default)
   */
  public static void onTerminate(Runnable hook) {
    terminateHook = hook;
  }

  /** Installs the handlers of SIGINT and SIGTERM and starts their watchdog (once; idempotent). */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    Thread watchdog =
        new Thread(
            () -> {
              SIGNALLED.acquireUninterruptibly();
              long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
              long left;
              while ((left = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
              }
              Runtime.getRuntime().halt(exitCode());
            },
            "jmor-interrupt-watchdog");
    watchdog.setDaemon(true);
    watchdog.setPriority(Thread.MAX_PRIORITY);
    watchdog.start();
    handle("INT", EXIT_CODE);
    handle("TERM", TERMINATED_EXIT_CODE);
  }

  private static void handle(String name, int code) {
    try {
      sun.misc.Signal.handle(
          new sun.misc.Signal(name),
          signal -> {
            if (!EXIT.compareAndSet(0, code)) {
              return; // a second signal: the exit is under way
            }
            Runnable hook = code == TERMINATED_EXIT_CODE ? terminateHook : null;
            if (hook != null) {
              try {
                hook.run(); // prints the run's own line
              } catch (RuntimeException e) {
                writeLine(terminatedLine);
              }
            }
            System.setOut(SILENT);
            System.setErr(SILENT);
            if (hook == null) {
              writeLine(code == EXIT_CODE ? interruptedLine : terminatedLine);
            }
            SIGNALLED.release();
            System.exit(code);
          });
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // not available here (e.g. started with -Xrs, or SIGINT ignored by a shell's background job):
      // the JVM's default handling applies
    }
  }

  private static void writeLine(byte[] line) {
    try {
      STDERR.write(line);
    } catch (IOException e) {
      // standard error is gone: the exit code still tells
    }
  }
}
