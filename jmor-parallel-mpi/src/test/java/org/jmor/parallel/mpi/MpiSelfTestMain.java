package org.jmor.parallel.mpi;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jmor.parallel.mpi.jni.Mpi;

/**
 * Runs on every rank under mpirun ({@link MpiShimTest}); exercises every method of {@link Mpi} and
 * prints {@code selftest rank=R ok} as its last line. Any failed check throws, and the uncaught
 * exception aborts the whole job (so a failure never hangs the other ranks).
 *
 * <p>Arguments: the expected number of ranks.
 */
public final class MpiSelfTestMain {
  private MpiSelfTestMain() {}

  public static void main(String[] args) {
    Mpi.abortOnUncaughtException(4);
    int expectedSize = Integer.parseInt(args[0]);
    check(Mpi.isAvailable(), Mpi.unavailableReason());
    check(!Mpi.isInitialized(), "initialized before initThread");
    int level = Mpi.initThread();
    check(Mpi.isInitialized() && !Mpi.isFinalized(), "life cycle flags");
    check(Mpi.initThread() == level, "initThread is idempotent");
    int rank = Mpi.rank();
    int size = Mpi.size();
    check(size == expectedSize, "size " + size + " != " + expectedSize);
    check(rank >= 0 && rank < size, "rank " + rank);
    System.out.println("selftest rank=" + rank + " size=" + size + " thread_level=" + level);

    pingPong(rank);
    probeAnySource(rank, size);
    broadcasts(rank, size);
    scatterGather(rank, size);

    Mpi.barrier();
    Mpi.finalizeMpi();
    check(Mpi.isFinalized(), "finalized flag");
    try {
      Mpi.rank();
      throw new AssertionError("Mpi.rank() after finalize did not throw");
    } catch (MpiException expected) {
      // a Java-side error, not an MPI abort
    }
    System.out.println("selftest rank=" + rank + " ok");
  }

  private static void pingPong(int rank) {
    // 1 byte there and back
    byte[] one = new byte[1];
    if (rank == 0) {
      one[0] = 42;
      Mpi.send(one, 0, 1, 1, 7);
      check(Mpi.recv(one, 0, 1, 1, 7) == 1 && one[0] == 43, "1-byte pong " + one[0]);
    } else if (rank == 1) {
      check(Mpi.recv(one, 0, 1, 0, 7) == 1 && one[0] == 42, "1-byte ping " + one[0]);
      one[0]++;
      Mpi.send(one, 0, 1, 0, 7);
    }
    // 8 MiB of doubles there and back, each side checks and changes every value
    int n = (8 << 20) / Double.BYTES;
    double[] d = new double[n + 2]; // sent from offset 1
    if (rank == 0) {
      for (int i = 0; i < n; i++) {
        d[i + 1] = i * 0.5;
      }
      Mpi.send(d, 1, n, 1, 8);
      Arrays.fill(d, -1);
      check(Mpi.recv(d, 1, n, 1, 8) == n, "count of the 8 MiB pong");
      for (int i = 0; i < n; i++) {
        check(d[i + 1] == i * 0.5 + 1, "8 MiB pong value at " + i + ": " + d[i + 1]);
      }
      check(d[0] == -1 && d[n + 1] == -1, "recv wrote outside its slice");
    } else if (rank == 1) {
      check(Mpi.recv(d, 1, n, 0, 8) == n, "count of the 8 MiB ping");
      for (int i = 0; i < n; i++) {
        check(d[i + 1] == i * 0.5, "8 MiB ping value at " + i + ": " + d[i + 1]);
        d[i + 1] += 1;
      }
      Mpi.send(d, 1, n, 0, 8);
    }
    // 8 MiB through direct buffers
    int bytes = 8 << 20;
    ByteBuffer buf = ByteBuffer.allocateDirect(bytes);
    if (rank == 0) {
      for (int i = 0; i < bytes; i++) {
        buf.put(i, (byte) (i * 31));
      }
      Mpi.send(buf, bytes, 1, 9);
    } else if (rank == 1) {
      check(Mpi.recv(buf, bytes, 0, 9) == bytes, "direct count");
      for (int i = 0; i < bytes; i++) {
        check(buf.get(i) == (byte) (i * 31), "direct value at " + i);
      }
    }
    // a too-long message is an MPI error (truncation), reported as MpiException
    if (rank == 0) {
      Mpi.send(new byte[16], 0, 16, 1, 10);
    } else if (rank == 1) {
      try {
        Mpi.recv(new byte[8], 0, 8, 0, 10);
        throw new AssertionError("truncated receive did not throw");
      } catch (MpiException e) {
        check(e.errorClass() > 0, "error class of " + e.getMessage());
        System.out.println("selftest rank=1 truncation: " + e.getMessage());
      }
    }
  }

  private static void probeAnySource(int rank, int size) {
    Mpi.barrier();
    if (rank != 0) {
      byte[] msg = new byte[rank * 10];
      Arrays.fill(msg, (byte) rank);
      Mpi.send(msg, 0, msg.length, 0, 100 + rank);
    } else {
      boolean[] seen = new boolean[size];
      int[] status = new int[3];
      for (int k = 1; k < size; k++) {
        Mpi.probe(Mpi.anySource(), Mpi.anyTag(), status);
        int src = status[0];
        check(src > 0 && src < size && !seen[src], "probe source " + src);
        check(status[1] == 100 + src, "probe tag " + status[1]);
        check(status[2] == src * 10, "probe count " + status[2]);
        seen[src] = true;
        byte[] msg = new byte[status[2]];
        check(Mpi.recv(msg, 0, msg.length, src, status[1]) == src * 10, "recv count after probe");
        for (byte b : msg) {
          check(b == src, "probed message content");
        }
      }
    }
  }

  private static void broadcasts(int rank, int size) {
    int root = size - 1;
    byte[] b = new byte[1000];
    if (rank == root) {
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) (i ^ 0x55);
      }
    }
    Mpi.bcast(b, 0, b.length, root);
    for (int i = 0; i < b.length; i++) {
      check(b[i] == (byte) (i ^ 0x55), "bcast bytes at " + i);
    }
    double[] d = new double[1 << 20];
    if (rank == 0) {
      for (int i = 0; i < d.length; i++) {
        d[i] = Math.sqrt(i);
      }
    }
    Mpi.bcast(d, 0, d.length, 0);
    for (int i = 0; i < d.length; i++) {
      check(d[i] == Math.sqrt(i), "bcast doubles at " + i);
    }
    // pinned: every rank pins its array for the broadcast; an offset inside the array
    double[] pd = new double[3 + (1 << 20)];
    if (rank == root) {
      for (int i = 0; i < (1 << 20); i++) {
        pd[3 + i] = 0.5 * i;
      }
    }
    Mpi.bcastPinned(pd, 3, 1 << 20, root);
    for (int i = 0; i < (1 << 20); i++) {
      check(pd[3 + i] == 0.5 * i, "pinned bcast doubles at " + i);
    }
    check(pd[0] == 0 && pd[1] == 0 && pd[2] == 0, "pinned bcast wrote before its offset");
    // the root copies while it broadcasts, in chunks: a length that is not a multiple of them, a
    // copy array longer than the length, and a broadcast smaller than one chunk
    for (int len : new int[] {(1 << 20) + 5, 3}) {
      double[] cd = new double[len];
      double[] copy = new double[len + 2];
      if (rank == root) {
        for (int i = 0; i < len; i++) {
          cd[i] = 1.5 * i - 7;
        }
        copy[len] = 42;
        copy[len + 1] = 43;
        Mpi.bcastCopy(cd, copy, len, root);
        for (int i = 0; i < len; i++) {
          check(copy[i] == 1.5 * i - 7 && cd[i] == copy[i], "bcastCopy copy at " + i);
        }
        check(copy[len] == 42 && copy[len + 1] == 43, "bcastCopy wrote past its length");
      } else {
        Mpi.bcastPinned(cd, 0, len, root);
      }
      for (int i = 0; i < len; i++) {
        check(cd[i] == 1.5 * i - 7, "bcastCopy doubles at " + i);
      }
    }
    byte[] pb = new byte[70_000];
    if (rank == 0) {
      for (int i = 0; i < pb.length; i++) {
        pb[i] = (byte) (i * 7);
      }
    }
    Mpi.bcastPinned(pb, 0, pb.length, 0);
    for (int i = 0; i < pb.length; i++) {
      check(pb[i] == (byte) (i * 7), "pinned bcast bytes at " + i);
    }
    // pinned point-to-point receive: rank 0 sends to every other rank
    if (rank == 0) {
      for (int r = 1; r < size; r++) {
        Mpi.send(pd, 3, 1 << 20, r, 11);
        Mpi.send(pb, 0, pb.length, r, 12);
      }
    } else {
      double[] rd = new double[1 + (1 << 20)];
      check(Mpi.recvPinned(rd, 1, 1 << 20, 0, 11) == 1 << 20, "pinned recv count");
      for (int i = 0; i < (1 << 20); i++) {
        check(rd[1 + i] == 0.5 * i, "pinned recv doubles at " + i);
      }
      byte[] rb = new byte[pb.length + 5];
      check(Mpi.recvPinned(rb, 5, pb.length, 0, 12) == pb.length, "pinned recv byte count");
      for (int i = 0; i < pb.length; i++) {
        check(rb[5 + i] == (byte) (i * 7), "pinned recv bytes at " + i);
      }
    }
    ByteBuffer buf = ByteBuffer.allocateDirect(4096);
    if (rank == root) {
      for (int i = 0; i < 4096; i++) {
        buf.put(i, (byte) i);
      }
    }
    Mpi.bcast(buf, 4096, root);
    for (int i = 0; i < 4096; i++) {
      check(buf.get(i) == (byte) i, "bcast direct at " + i);
    }
  }

  /** Uneven slices, rank 1's empty: 1, 0, 7, 10, ... bytes. */
  private static int count(int i) {
    return i == 1 ? 0 : 3 * i + 1;
  }

  private static void scatterGather(int rank, int size) {
    int[] counts = new int[size];
    int[] displs = new int[size];
    int total = 0;
    for (int i = 0; i < size; i++) {
      counts[i] = count(i);
      displs[i] = total;
      total += counts[i];
    }
    int root = size - 1;
    byte[] all = null;
    if (rank == root) {
      all = new byte[total];
      for (int i = 0; i < total; i++) {
        all[i] = (byte) (i + 1);
      }
    }
    byte[] mine = new byte[Math.max(1, count(rank))];
    Mpi.scatterv(
        all, rank == root ? counts : null, rank == root ? displs : null, mine, count(rank), root);
    for (int j = 0; j < count(rank); j++) {
      check(mine[j] == (byte) (displs[rank] + j + 1), "scatterv slice of rank " + rank);
    }
    for (int j = 0; j < count(rank); j++) {
      mine[j] = (byte) -mine[j];
    }
    byte[] back = rank == 0 ? new byte[total] : null;
    Mpi.gatherv(mine, count(rank), back, rank == 0 ? counts : null, displs, 0);
    if (rank == 0) {
      for (int i = 0; i < total; i++) {
        check(back[i] == (byte) -(i + 1), "gatherv at " + i + ": " + back[i]);
      }
    }
  }

  static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError("check failed: " + what);
    }
  }
}
