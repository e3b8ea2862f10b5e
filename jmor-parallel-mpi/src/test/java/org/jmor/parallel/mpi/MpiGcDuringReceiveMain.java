package org.jmor.parallel.mpi;

import static org.jmor.parallel.mpi.MpiSelfTestMain.check;

import org.jmor.parallel.mpi.jni.Mpi;

/**
 * Runs on 2 ranks ({@link MpiShimTest}): on rank 0 one thread blocks in {@code recv(byte[])} and
 * another in {@code probe}, while the main thread runs full garbage collections; only then does it
 * tell rank 1 to send. If a blocking receive held a JNI critical region, garbage collection would
 * be locked out and the JVM would stall: with a variant of the shim whose {@code recv(byte[])}
 * pinned the array with {@code GetPrimitiveArrayCritical}, this program hung until killed (measured
 * once, Open MPI 4.1.4, JDK 17.0.15, SerialGC). Prints {@code gcwait ms=..} and {@code gcwait
 * rank=R ok}.
 */
public final class MpiGcDuringReceiveMain {
  private MpiGcDuringReceiveMain() {}

  public static void main(String[] args) throws InterruptedException {
    Mpi.abortOnUncaughtException(4);
    check(Mpi.initThread() == Mpi.THREAD_MULTIPLE, "MPI_THREAD_MULTIPLE needed");
    int rank = Mpi.rank();
    int n = 8 << 20;
    if (rank == 0) {
      byte[] bytes = new byte[n];
      double[] doubles = new double[n / 8];
      Thread byteReceiver =
          new Thread(() -> check(Mpi.recv(bytes, 0, n, 1, 1) == n, "byte count"), "recv-bytes");
      Thread prober =
          new Thread(
              () -> {
                int[] status = new int[3];
                Mpi.probe(1, 2, status);
                check(status[2] == n, "probed count " + status[2]);
                check(Mpi.recv(doubles, 0, n / 8, 1, 2) == n / 8, "double count");
              },
              "probe-doubles");
      byteReceiver.start();
      prober.start();
      Thread.sleep(300); // both are blocked now: rank 1 has not sent anything
      long t0 = System.nanoTime();
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      System.out.println("gcwait ms=" + (System.nanoTime() - t0) / 1_000_000);
      Mpi.send(new byte[1], 0, 1, 1, 3); // go
      byteReceiver.join();
      prober.join();
      for (int i = 0; i < n; i += 4099) {
        check(bytes[i] == (byte) i, "bytes at " + i);
      }
      for (int i = 0; i < n / 8; i += 4099) {
        check(doubles[i] == i, "doubles at " + i);
      }
    } else if (rank == 1) {
      Mpi.recv(new byte[1], 0, 1, 0, 3);
      byte[] bytes = new byte[n];
      for (int i = 0; i < n; i++) {
        bytes[i] = (byte) i;
      }
      double[] doubles = new double[n / 8];
      for (int i = 0; i < doubles.length; i++) {
        doubles[i] = i;
      }
      Mpi.send(bytes, 0, n, 0, 1);
      Mpi.send(doubles, 0, doubles.length, 0, 2);
    }
    Mpi.barrier();
    Mpi.finalizeMpi();
    System.out.println("gcwait rank=" + rank + " ok");
  }
}
