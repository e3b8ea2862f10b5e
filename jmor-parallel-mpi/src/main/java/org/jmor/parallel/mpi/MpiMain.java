package org.jmor.parallel.mpi;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import org.jmor.parallel.mpi.jni.Mpi;

/**
 * Runs any program under {@code mpirun}: rank 0 runs the program and is worker 0 of its MPI pools;
 * every other rank runs the event loop and never runs the program.
 *
 * <pre>
 * mpirun -n 3 --bind-to none java -cp ... org.jmor.parallel.mpi.MpiMain com.example.Main args...
 * ./jmor mpi -n 3 -- thermalblock --pool mpi 2 2 3 5
 * </pre>
 *
 * The program's class needs {@code public static int run(String[])} (its exit code) or {@code
 * public static void main(String[])}. When it returns, rank 0 warns about pools left open (and
 * closes them), releases the other ranks, finalizes MPI and exits with the program's code (every
 * other rank exits with 0). An exception that escapes the program on rank 0 ends the whole job at
 * once through {@code MPI_Abort}; so does a failure on another rank outside a task. {@code
 * MPI_Finalize} is never called from a shutdown hook (it hangs the job when a rank has died).
 * Without an MPI launch, the program simply runs.
 */
public final class MpiMain {
  private MpiMain() {}

  /**
   * Runs the program named by {@code args[0]} with the remaining arguments.
   *
   * @param args the program's class name, then its arguments
   */
  public static void main(String[] args) {
    if (args.length == 0) {
      System.err.println("usage: MpiMain <main class> [arguments...]");
      System.exit(2);
      return;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    Method entry;
    try {
      entry = entryPoint(args[0]);
    } catch (ReflectiveOperationException | IllegalArgumentException e) {
      System.err.println("MpiMain: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (!launchedByMpi()) {
      System.exit(invoke(entry, rest));
      return;
    }
    if (!Mpi.isAvailable()) {
      System.err.println("MpiMain: " + Mpi.unavailableReason());
      System.exit(2);
      return;
    }
    MpiWorld world = MpiWorld.get();
    if (!world.isDriver()) {
      runWorker(world);
      return;
    }
    int code;
    try {
      code = invoke(entry, rest);
    } catch (Throwable t) {
      System.err.println("MpiMain: uncaught exception on rank 0; aborting the MPI job");
      t.printStackTrace();
      System.err.flush();
      Mpi.abort(1);
      return;
    }
    world.shutdown(Duration.ofSeconds(30));
    System.exit(code);
  }

  /**
   * Runs the event loop of a rank other than 0, then finalizes MPI and ends the process with 0; an
   * error outside a task aborts the job.
   *
   * @param world the world
   */
  static void runWorker(MpiWorld world) {
    try {
      MpiWorkerLoop.run(world);
    } catch (Throwable t) {
      System.err.println(
          "MpiMain: rank " + world.rank + " failed outside a task; aborting the job");
      t.printStackTrace();
      System.err.flush();
      Mpi.abort(1);
    }
    Mpi.finalizeMpi();
    System.exit(0);
  }

  static boolean launchedByMpi() {
    for (String var : new String[] {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"}) {
      if (System.getenv(var) != null) {
        return true;
      }
    }
    return false;
  }

  private static Method entryPoint(String className) throws ReflectiveOperationException {
    Class<?> c = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
    try {
      Method run = c.getMethod("run", String[].class);
      if (Modifier.isStatic(run.getModifiers()) && run.getReturnType() == int.class) {
        return run;
      }
    } catch (NoSuchMethodException e) {
      // fall back to main
    }
    Method main = c.getMethod("main", String[].class);
    if (!Modifier.isStatic(main.getModifiers())) {
      throw new IllegalArgumentException(className + ".main is not static");
    }
    return main;
  }

  private static int invoke(Method entry, String[] args) {
    try {
      Object r = entry.invoke(null, (Object) args);
      return r instanceof Integer ? (Integer) r : 0;
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new IllegalStateException(cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
