package org.jmor.parallel.mpi;

import org.jmor.parallel.mpi.jni.Mpi;

/**
 * Runs under mpirun ({@link MpiShimTest}): rank 1 fails while every other rank waits in a barrier
 * that it will never join. Argument {@code abort}: rank 1 calls {@code Mpi.abort(3)}; {@code
 * uncaught}: rank 1 throws an uncaught exception with {@link Mpi#abortOnUncaughtException(int)}
 * installed (code 5). Either way mpirun must end the job promptly.
 */
public final class MpiAbortMain {
  private MpiAbortMain() {}

  public static void main(String[] args) {
    Mpi.abortOnUncaughtException(5);
    Mpi.initThread();
    int rank = Mpi.rank();
    Mpi.barrier();
    System.out.println("abortmain rank=" + rank + " up at_ms=" + System.currentTimeMillis());
    if (rank == 1) {
      if (args[0].equals("abort")) {
        Mpi.abort(3);
      } else {
        throw new IllegalStateException("deliberate failure on rank 1");
      }
    }
    Mpi.barrier(); // never completes: rank 1 is gone
    System.out.println("abortmain rank=" + rank + " passed the barrier (wrong)");
    Mpi.finalizeMpi();
  }
}
