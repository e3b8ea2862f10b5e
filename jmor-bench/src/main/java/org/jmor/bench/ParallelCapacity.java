package org.jmor.bench;

/**
 * The parallel capacity of the machine at a moment: how much faster two threads run a CPU-bound
 * loop than one (recorded by the benchmarks beside their timings).
 */
final class ParallelCapacity {

  private ParallelCapacity() {}

  /**
   * How much faster two threads run a CPU-bound loop (dense multiply-adds, as in the greedy's
   * kernels) than one: about 2 on an idle 2-core machine, less when the cores are shared.
   */
  static double measure() throws InterruptedException {
    sink += spinWork(20_000); // warm-up
    long t0 = System.nanoTime();
    sink += spinWork(40_000);
    long t1 = System.nanoTime();
    double[] other = new double[1];
    Thread t = new Thread(() -> other[0] = spinWork(20_000), "jmor-bench-capacity");
    t.start();
    sink += spinWork(20_000);
    t.join();
    long t2 = System.nanoTime();
    sink += other[0];
    return (double) (t1 - t0) / (t2 - t1);
  }

  /** Keeps the calibration loops from being optimized away. */
  private static volatile double sink;

  private static double spinWork(int reps) {
    double[] y = new double[64];
    double[] x = new double[64 * 70];
    for (int i = 0; i < x.length; i++) {
      x[i] = i * 1e-3;
    }
    double s = 0;
    for (int r = 0; r < reps; r++) {
      for (int c = 0; c < 70; c++) {
        double a = 1e-9 * c;
        for (int i = 0; i < 64; i++) {
          y[i] += a * x[c * 64 + i];
        }
      }
      s += y[r & 63];
    }
    return s;
  }
}
