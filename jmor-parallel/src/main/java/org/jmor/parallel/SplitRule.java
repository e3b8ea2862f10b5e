package org.jmor.parallel;

/**
 * How {@code map}, {@code scatterList} and {@code scatterArray} cut {@code n} items into one
 * contiguous block per worker, keeping the input order (worker 0 gets the first block).
 */
public enum SplitRule {
  /**
   * Block sizes differ by at most one, larger blocks first: 9 on 4 workers gives 3,2,2,2; 10 on 4
   * gives 3,3,2,2. The default: no worker idles while another has two more items.
   */
  BALANCED,
  /**
   * pyMOR's rule: every block has {@code ceil(n/p)} items except the last non-empty one: 9 on 4
   * gives 3,3,3,0 and 10 on 4 gives 3,3,3,1. Trailing workers can get nothing even when {@code n >=
   * p}. For exact parity with pyMOR.
   */
  CEILING;

  /**
   * Returns the {@code workers + 1} block boundaries: block {@code i} is {@code [bounds[i],
   * bounds[i+1])}.
   *
   * @param n the number of items, {@code n >= 0}
   * @param workers the number of blocks, {@code workers >= 1}
   * @return the boundaries, starting with 0 and ending with {@code n}
   * @throws IllegalArgumentException if {@code n < 0} or {@code workers < 1}
   */
  public int[] bounds(int n, int workers) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    int[] b = new int[workers + 1];
    if (this == BALANCED) {
      int q = n / workers;
      int r = n % workers;
      for (int i = 0; i < workers; i++) {
        b[i + 1] = b[i] + q + (i < r ? 1 : 0);
      }
    } else {
      int c = (n + workers - 1) / workers;
      for (int i = 0; i < workers; i++) {
        b[i + 1] = (int) Math.min((long) (i + 1) * c, n);
      }
    }
    return b;
  }
}
