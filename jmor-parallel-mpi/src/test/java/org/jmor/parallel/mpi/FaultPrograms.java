package org.jmor.parallel.mpi;

import java.util.List;
import org.jmor.parallel.RemoteObject;
import org.jmor.parallel.Task;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;

/** Small programs that {@link MpiPoolTest} runs under {@code mpirun} through {@link MpiMain}. */
public final class FaultPrograms {
  private FaultPrograms() {}

  private static WorkerPool pool() {
    return WorkerPools.builder().backend(MpiProvider.NAME).build();
  }

  /** Rank 0 asks worker 1 to kill its own process with SIGKILL. */
  public static final class KillRank1 {
    private KillRank1() {}

    /**
     * Runs the program.
     *
     * @param args ignored
     * @return never returns normally when the job ends as it must
     */
    public static int run(String[] args) {
      try (WorkerPool pool = pool()) {
        Task<Integer> kill =
            (ctx, a) -> {
              if (ctx.workerIndex() == 1) {
                new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid()))
                    .start()
                    .waitFor();
                Thread.sleep(60_000);
              }
              return ctx.workerIndex();
            };
        System.out.println("RESULT " + pool.apply(kill));
      }
      return 0;
    }
  }

  /** An exception escapes the program on rank 0. */
  public static final class Rank0Throws {
    private Rank0Throws() {}

    /**
     * Runs the program.
     *
     * @param args ignored
     * @return never returns normally
     */
    public static int run(String[] args) {
      try (WorkerPool pool = pool()) {
        pool.apply((ctx, a) -> ctx.workerIndex());
        throw new IllegalStateException("deliberate failure on rank 0");
      }
    }
  }

  /**
   * A task fails on the last rank only, then the pool is used again; then the program leaves an
   * object on the workers and a pool open, and returns normally.
   */
  public static final class FailureThenLeftovers {
    private FailureThenLeftovers() {}

    /**
     * Runs the program.
     *
     * @param args ignored
     * @return 0
     */
    public static int run(String[] args) {
      WorkerPool pool = pool();
      Task<Integer> failLast =
          (ctx, a) -> {
            if (ctx.workerIndex() == ctx.poolSize() - 1) {
              throw new IllegalArgumentException("deliberate failure on the last rank");
            }
            return ctx.workerIndex();
          };
      try {
        pool.apply(failLast);
        System.out.println("NO FAILURE");
      } catch (RuntimeException e) {
        System.out.println("FAILED " + e.getMessage().replace('\n', ' '));
      }
      System.out.println("AGAIN " + pool.apply((ctx, a) -> ctx.workerIndex()));
      RemoteObject<List<Integer>> left = pool.push(List.of(1, 2, 3));
      System.out.println("PUSHED " + left.remoteId());
      return 0; // the pool and the object are left for MpiMain's shutdown
    }
  }

  /**
   * Large transfers while other requests are in flight (the copying path of the sender), and large
   * replies at the same time: the values must arrive intact and nothing may hang.
   */
  public static final class Pipelined {
    private Pipelined() {}

    /**
     * Runs the program.
     *
     * @param args ignored
     * @return 0 if every check passed, 1 otherwise
     */
    public static int run(String[] args) throws Exception {
      double[] big = new double[1 << 20];
      for (int i = 0; i < big.length; i++) {
        big[i] = i * 0.5;
      }
      double expected = 0.5 * (big.length - 1.0) * big.length / 2;
      boolean ok = true;
      try (WorkerPool pool = pool()) {
        for (int round = 0; round < 5; round++) {
          java.util.concurrent.CompletableFuture<List<double[]>> slow =
              pool.applyAsync(
                  (ctx, a) -> {
                    Thread.sleep(100);
                    return new double[1 << 18]; // a large reply while the push goes out
                  });
          try (RemoteObject<double[]> h = pool.push(big)) {
            List<Double> sums =
                pool.apply(
                    h,
                    (ctx, a) -> {
                      double s = 0;
                      for (double v : a) {
                        s += v;
                      }
                      return s;
                    });
            for (double s : sums) {
              ok &= s == expected;
            }
          }
          ok &= slow.get(60, java.util.concurrent.TimeUnit.SECONDS).size() == pool.size();
        }
      }
      System.out.println(ok ? "PIPELINED ok" : "PIPELINED wrong values");
      return ok ? 0 : 1;
    }
  }
}
