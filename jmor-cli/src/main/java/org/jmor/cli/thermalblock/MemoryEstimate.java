package org.jmor.cli.thermalblock;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The heap a thermal-block run needs, estimated before any work from the sizes the user chose, so
 * that a run that cannot fit is refused in one line (with the estimate) instead of thrashing and
 * dying with an {@link OutOfMemoryError} after minutes.
 *
 * <p>The figures were measured on this implementation (heap after a full GC, 2x2 blocks, {@code
 * --grid} 50 to 800): the model with its interior system takes about 700 bytes per degree of
 * freedom ({@code n = (N+1)^2 + N^2} for {@code --grid N}); a sparse Cholesky factor has {@code
 * nnz(L) ~ 3.3 n^1.17} entries (AMD ordering) at about 16 bytes each; the h1 solver keeps one, and
 * each worker of the error analysis builds one at a time. The greedy's training set is a grid that
 * costs no memory per point; POD keeps one snapshot per training parameter and their Gramian. The
 * estimate is meant to be close, not an upper bound: runs somewhat above the heap limit are
 * refused, runs far below it are never refused.
 *
 * <p>Set the system property {@value #SKIP_PROPERTY}{@code =true} (e.g. through {@code
 * JMOR_JAVA_OPTS}) to skip the check.
 */
public final class MemoryEstimate {

  /** System property that turns the check off. */
  public static final String SKIP_PROPERTY = "jmor.skipMemoryCheck";

  static final double MODEL_BYTES_PER_DOF = 700;
  static final double FACTOR_BYTES_PER_ENTRY = 16;
  static final double JVM_BASE_BYTES = 32e6;
  static final double TEST_BYTES_PER_PARAMETER = 48 + 8 * 8 + 96; // mu, results, references

  private final double bytes;
  private final String breakdown;

  private MemoryEstimate(double bytes, String breakdown) {
    this.bytes = bytes;
    this.breakdown = breakdown;
  }

  /**
   * Estimates a run of {@code thermalblock}.
   *
   * @param blocks XBLOCKS * YBLOCKS, the parameter dimension
   * @param snapshots SNAPSHOTS
   * @param rbSize RBSIZE
   * @param grid {@code --grid}
   * @param test {@code --test}
   * @param algorithm {@code greedy}, {@code naive} or {@code pod}
   * @param workers the number of workers of the pool
   * @return the estimate
   */
  public static MemoryEstimate thermalBlock(
      int blocks, int snapshots, int rbSize, int grid, long test, String algorithm, int workers) {
    double n = (grid + 1.0) * (grid + 1.0) + (double) grid * grid;
    double vector = 8 * n + 16;
    double factor = FACTOR_BYTES_PER_ENTRY * 3.3 * Math.pow(n, 1.17);
    double model = MODEL_BYTES_PER_DOF * n;
    // the h1 solver's factor and one factorization per worker at a time (error analysis)
    double factors = (1 + Math.max(1, workers)) * factor;
    // basis, Riesz representatives of every operator applied to it, a few temporaries per worker
    double basis = ((blocks + 3.0) * Math.max(rbSize, 1) + 8.0 * Math.max(1, workers)) * vector;
    double testSet = TEST_BYTES_PER_PARAMETER * (double) test;
    double training = 0;
    if ("pod".equals(algorithm)) {
      double points = Math.pow(snapshots, blocks);
      // the parameters, one snapshot each, their Gramian and its eigendecomposition
      training = points * (48 + 8.0 * blocks + vector) + 3 * 8 * points * points;
    }
    double total = JVM_BASE_BYTES + model + factors + basis + testSet + training;
    List<String> parts = new ArrayList<>();
    parts.add("model " + format(model + factors));
    if (testSet >= 0.05 * total) {
      parts.add("--test " + format(testSet));
    }
    if (training >= 0.05 * total) {
      parts.add("POD snapshots " + format(training));
    }
    if (basis >= 0.05 * total) {
      parts.add("basis " + format(basis));
    }
    return new MemoryEstimate(total, String.join(", ", parts));
  }

  /**
   * @return the estimated peak heap in bytes
   */
  public double bytes() {
    return bytes;
  }

  /**
   * @return the main parts of the estimate, e.g. {@code "model 5.2 GB, --test 300 GB"}
   */
  public String breakdown() {
    return breakdown;
  }

  /**
   * Refuses the run if the estimate exceeds {@code maxHeap}.
   *
   * @param maxHeap the heap limit in bytes ({@link Runtime#maxMemory()})
   * @throws IllegalArgumentException (one line: the estimate, the limit, what to do) if the run
   *     does not fit
   */
  public void check(long maxHeap) {
    if (Boolean.getBoolean(SKIP_PROPERTY) || bytes <= maxHeap) {
      return;
    }
    throw new IllegalArgumentException(
        String.format(
            Locale.ROOT,
            "this run needs about %s of memory (%s) but the heap limit is %s: use a smaller"
                + " --grid/--test, or raise the limit with JMOR_JAVA_OPTS=-Xmx%s",
            format(bytes),
            breakdown,
            format(maxHeap),
            suggestXmx(bytes)));
  }

  /** Checks against this JVM's heap limit; see {@link #check(long)}. */
  public void check() {
    check(Runtime.getRuntime().maxMemory());
  }

  /** An {@code -Xmx} value comfortably above {@code bytes}: whole gigabytes, or megabytes. */
  static String suggestXmx(double bytes) {
    double wanted = bytes * 1.25;
    if (wanted < 1024.0 * 1024 * 1024) {
      return (long) Math.ceil(wanted / (1024.0 * 1024 * 64)) * 64 + "m";
    }
    return (long) Math.ceil(wanted / (1024.0 * 1024 * 1024)) + "g";
  }

  /** Bytes in human units: {@code 512 MB}, {@code 5.8 GB}, {@code 300 GB}. */
  static String format(double bytes) {
    if (bytes < 1e9) {
      return String.format(Locale.ROOT, "%.0f MB", Math.max(1, bytes / 1e6));
    }
    if (bytes < 100e9) {
      return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
    if (bytes < 1e15) {
      return String.format(Locale.ROOT, "%.0f GB", bytes / 1e9);
    }
    return String.format(Locale.ROOT, "%.1e bytes", bytes);
  }
}
