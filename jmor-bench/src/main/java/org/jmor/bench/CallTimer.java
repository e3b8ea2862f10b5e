package org.jmor.bench;

import java.util.Arrays;

/**
 * Times an operation call by call, the way the pool harnesses of the remote backends do ({@link
 * ClusterBench}, {@link MpiPoolBench}): warm-up calls first, then each call timed on its own with
 * {@link System#nanoTime()}, within a time budget.
 */
final class CallTimer {
  private CallTimer() {}

  /** An operation to time; returns something to keep it from being optimized away. */
  interface Op {
    Object run() throws Throwable;
  }

  /** Where results go, so that the JIT cannot drop the calls. */
  @SuppressWarnings("unused")
  private static volatile Object sink;

  /**
   * Runs {@code op} {@code warm} times, then times up to {@code iters} runs one by one, fewer when
   * they take more than {@code budgetSeconds} in all (but at least 3); the three are divided by
   * {@code scale} first ({@code --quick}).
   *
   * @param unit {@code "us"} or {@code "ms"}
   * @return the times in {@code unit}, sorted ascending; never empty
   * @throws Throwable whatever {@code op} throws
   */
  static double[] time(String unit, int warm, int iters, double budgetSeconds, int scale, Op op)
      throws Throwable {
    warm = Math.max(1, warm / scale);
    iters = Math.max(3, iters / scale);
    long budget = (long) (budgetSeconds * 1e9 / scale);
    for (int i = 0; i < warm; i++) {
      sink = op.run();
    }
    double div = unit.equals("us") ? 1e3 : 1e6;
    double[] t = new double[iters];
    int n = 0;
    long start = System.nanoTime();
    while (n < iters) {
      long t0 = System.nanoTime();
      sink = op.run();
      long t1 = System.nanoTime();
      t[n++] = (t1 - t0) / div;
      if (t1 - start > budget && n >= 3) {
        break;
      }
    }
    double[] s = Arrays.copyOf(t, n);
    Arrays.sort(s);
    return s;
  }

  /**
   * Times two operations in alternating blocks of {@code block} calls each (after {@code warm}
   * calls of each, in the same alternation), so that both see the same phases of a shared machine:
   * a comparison of two operations timed one after the other moves with whatever else the machine
   * does in between. Up to {@code iters} calls of each are timed, fewer when they take more than
   * {@code budgetSeconds} in all (but at least one block); all counts are divided by {@code scale}
   * first ({@code --quick}).
   *
   * @param unit {@code "us"} or {@code "ms"}
   * @return the times of {@code a} and of {@code b} in {@code unit}, each sorted ascending
   * @throws Throwable whatever an operation throws
   */
  static double[][] alternate(
      String unit, int warm, int iters, int block, double budgetSeconds, int scale, Op a, Op b)
      throws Throwable {
    block = Math.max(1, block / scale);
    int blocks = Math.max(1, iters / scale / block);
    for (int i = 0; i < Math.max(1, warm / scale); i++) {
      sink = a.run();
      sink = b.run();
    }
    double div = unit.equals("us") ? 1e3 : 1e6;
    double[][] t = new double[2][blocks * block];
    int n = 0;
    long start = System.nanoTime();
    while (n < blocks * block) {
      for (int k = 0; k < 2; k++) {
        Op op = k == 0 ? a : b;
        for (int i = 0; i < block; i++) {
          long t0 = System.nanoTime();
          sink = op.run();
          t[k][n + i] = (System.nanoTime() - t0) / div;
        }
      }
      n += block;
      if (System.nanoTime() - start > budgetSeconds * 1e9 / scale) {
        break;
      }
    }
    double[][] s = {Arrays.copyOf(t[0], n), Arrays.copyOf(t[1], n)};
    Arrays.sort(s[0]);
    Arrays.sort(s[1]);
    return s;
  }

  /** The median of sorted values. */
  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
