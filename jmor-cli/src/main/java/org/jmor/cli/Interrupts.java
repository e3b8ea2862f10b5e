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

  private Interrupts() {}

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
