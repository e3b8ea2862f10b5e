package org.jmor.cli;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Ctrl-C ends the process within a second, whatever the run is doing, also under heavy garbage
 * collection: the handler of SIGINT takes no lock the work could hold and allocates nothing; it
 * wakes a watchdog thread started up front and begins the normal exit (shutdown hooks run, exit
 * code 130). If that exit has not finished after {@link #GRACE_MILLIS}, the watchdog halts the JVM
 * with exit code 130.
 */
public final class Interrupts {

  /** The exit code of an interrupted run, 128 + SIGINT. */
  public static final int EXIT_CODE = 130;

  /** How long the normal exit may take before the process is halted. */
  public static final long GRACE_MILLIS = 700;

  private static final Semaphore SIGNALLED = new Semaphore(0);
  private static boolean installed;
  private static volatile boolean terminating;

  private Interrupts() {}

  /** The exit code of a run ended by SIGTERM, 128 + 15, as the JVM's default handling gives. */
  public static final int TERMINATED_EXIT_CODE = 143;

  /** How long the exit after SIGTERM's hook may take before the process is halted. */
  public static final long TERMINATE_GRACE_MILLIS = 5_000;

  /**
   * Handles SIGTERM (Slurm's time limit and {@code scancel}, {@code kill}) for the rest of the
   * process's life: the handler runs {@code hook} on the JVM's signal thread (e.g. to finish a
   * checkpoint being written and print one line), then begins the normal exit with code {@link
   * #TERMINATED_EXIT_CODE} (shutdown hooks run, so pools end their workers). If that exit has not
   * finished after {@link #TERMINATE_GRACE_MILLIS}, a watchdog halts the JVM. A second SIGTERM
   * during the exit is ignored. Without this call the JVM's default handling applies (the same
   * exit, without the hook).
   *
   * @param hook what to do first; it should bound its own waits (Slurm sends SIGKILL after {@code
   *     KillWait}, 30 s by default)
   * @return whether the handler was installed (false where the JVM does not allow it, e.g. with
   *     {@code -Xrs})
   */
  public static synchronized boolean onTerminate(Runnable hook) {
    try {
      Semaphore once = new Semaphore(1);
      sun.misc.Signal.handle(
          new sun.misc.Signal("TERM"),
          signal -> {
            if (!once.tryAcquire()) {
              return;
            }
            terminating = true;
            try {
              hook.run();
            } finally {
              Thread watchdog =
                  new Thread(
                      () -> {
                        long deadline =
                            System.nanoTime()
                                + TimeUnit.MILLISECONDS.toNanos(TERMINATE_GRACE_MILLIS);
                        long left;
                        while ((left = deadline - System.nanoTime()) > 0) {
                          LockSupport.parkNanos(left);
                        }
                        Runtime.getRuntime().halt(TERMINATED_EXIT_CODE);
                      },
                      "jmor-terminate-watchdog");
              watchdog.setDaemon(true);
              watchdog.start();
              System.exit(TERMINATED_EXIT_CODE);
            }
          });
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * @return whether a SIGTERM handled by {@link #onTerminate} is ending the process: failures of
   *     the work after it (e.g. a pool closed by the exit) are consequences, not news
   */
  public static boolean terminating() {
    return terminating;
  }

  /** Installs the SIGINT handler and starts its watchdog (once per process; idempotent). */
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
              Runtime.getRuntime().halt(EXIT_CODE);
            },
            "jmor-interrupt-watchdog");
    watchdog.setDaemon(true);
    watchdog.setPriority(Thread.MAX_PRIORITY);
    watchdog.start();
    try {
      sun.misc.Signal.handle(
          new sun.misc.Signal("INT"),
          signal -> {
            SIGNALLED.release();
            System.exit(EXIT_CODE);
          });
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // no SIGINT here (e.g. started with -Xrs): the JVM's default handling applies
    }
  }
}
