package org.jmor.rb.algorithms;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.jmor.rb.reductors.ReducedModel;

/**
 * What one worker reports about the error estimates of its slice of the training set: the maximum
 * {@code m} and, in slice order, every candidate that can be selected globally, i.e. every entry
 * with {@code Delta >= (1 - tol) m} (for {@code tol = 0} only the first maximum).
 *
 * <p>Why this is enough: the global pick is the first entry (training order) with {@code Delta >= t
 * = (1 - tol) M}, {@code M} the global maximum. Since {@code m <= M} and rounding is monotone,
 * {@code (1 - tol) m <= t}, so every entry of the slice that passes the global threshold is among
 * its candidates. Scanning the workers in order (their slices are contiguous and ordered) therefore
 * gives the serial result for any number of workers. An empty slice reports {@code m = -Infinity}
 * and no candidates.
 *
 * @param max the slice maximum, {@code -Infinity} for an empty slice
 * @param indices training indices of the candidates, ascending
 * @param values their estimates
 */
record LocalMaxima(double max, int[] indices, double[] values) implements Serializable {

  static final LocalMaxima EMPTY =
      new LocalMaxima(Double.NEGATIVE_INFINITY, new int[0], new double[0]);

  /** Estimates every point of {@code slice} with {@code rom} (one workspace, no allocation). */
  static LocalMaxima evaluate(ReducedModel rom, List<TrainingPoint> slice, double tol) {
    if (slice.isEmpty()) {
      return EMPTY;
    }
    ReducedModel.Workspace ws = rom.newWorkspace();
    Scan scan = new Scan(tol);
    for (TrainingPoint p : slice) {
      scan.add(p.index(), checked(rom.solveAndEstimate(p.mu(), ws), p.index(), p.mu()));
    }
    return scan.result();
  }

  /**
   * Estimates the points {@code from <= p < to} of {@code grid} with {@code rom}, computing each
   * parameter from its index: memory does not depend on the length of the range.
   */
  static LocalMaxima evaluate(ReducedModel rom, CartesianGrid grid, int from, int to, double tol) {
    if (from >= to) {
      return EMPTY;
    }
    ReducedModel.Workspace ws = rom.newWorkspace();
    double[] mu = new double[grid.dimension()];
    Scan scan = new Scan(tol);
    for (int p = from; p < to; p++) {
      grid.parameter(p, mu);
      scan.add(p, checked(rom.solveAndEstimate(mu, ws), p, mu));
    }
    return scan.result();
  }

  private static double checked(double e, int index, double[] mu) {
    if (Double.isNaN(e)) {
      throw new ArithmeticException(
          "error estimate is NaN at training parameter " + index + " " + Arrays.toString(mu));
    }
    return e;
  }

  /**
   * The local maximum and candidates of a stream of estimates, in bounded memory: it keeps only the
   * <em>records</em> (entries larger than every earlier one) that are within the tolerance of the
   * running maximum. That is enough for {@link #select}: the entry it picks from a slice is the
   * first one {@code >= t} for a threshold {@code t >= (1 - tol) m}, so every earlier entry is
   * smaller, i.e. it is a record; and records below {@code (1 - tol)} times the running maximum
   * stay below the final threshold. The pick is therefore the same as with {@link #fromEstimates}
   * on the whole slice.
   */
  static final class Scan {
    private final double tol;
    private double max = Double.NEGATIVE_INFINITY;
    private double record = Double.NEGATIVE_INFINITY;
    private int[] idx = new int[8];
    private double[] val = new double[8];
    private int start;
    private int end;
    private long count;

    Scan(double tol) {
      this.tol = tol;
    }

    /** Adds the (non-NaN) estimate {@code e} of training point {@code index}. */
    void add(int index, double e) {
      max = Math.max(max, e);
      if (count++ > 0 && !(e > record)) {
        return;
      }
      record = e;
      double threshold = (1 - tol) * max;
      while (start < end && val[start] < threshold) {
        start++;
      }
      if (end == idx.length) {
        int live = end - start;
        if (live * 2 > idx.length) {
          idx = Arrays.copyOf(idx, idx.length * 2);
          val = Arrays.copyOf(val, val.length * 2);
        }
        System.arraycopy(idx, start, idx, 0, live);
        System.arraycopy(val, start, val, 0, live);
        start = 0;
        end = live;
      }
      idx[end] = index;
      val[end] = e;
      end++;
    }

    /** The slice maximum and the candidates, as {@link #fromEstimates} would select them. */
    LocalMaxima result() {
      if (count == 0) {
        return EMPTY;
      }
      double threshold = (1 - tol) * max;
      int from = start;
      while (from < end && val[from] < threshold) {
        from++;
      }
      return new LocalMaxima(
          max, Arrays.copyOfRange(idx, from, end), Arrays.copyOfRange(val, from, end));
    }
  }

  /** The local maximum and candidates of a slice with the given (non-NaN) estimates. */
  static LocalMaxima fromEstimates(int[] index, double[] est, double tol) {
    if (est.length == 0) {
      return EMPTY;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double e : est) {
      max = Math.max(max, e);
    }
    double threshold = (1 - tol) * max;
    int count = 0;
    int[] idx = new int[est.length];
    double[] val = new double[est.length];
    for (int i = 0; i < est.length; i++) {
      if (est[i] >= threshold) {
        idx[count] = index[i];
        val[count] = est[i];
        count++;
        if (tol == 0.0) {
          break;
        }
      }
    }
    return new LocalMaxima(max, Arrays.copyOf(idx, count), Arrays.copyOf(val, count));
  }

  /**
   * Combines per-worker results (in worker order) into the global pick.
   *
   * @return {@code {index, value}} of the selected training parameter, index {@code -1} if every
   *     slice was empty
   */
  static double[] select(List<LocalMaxima> parts, double tol) {
    double max = Double.NEGATIVE_INFINITY;
    for (LocalMaxima p : parts) {
      max = Math.max(max, p.max());
    }
    double threshold = (1 - tol) * max;
    for (LocalMaxima p : parts) {
      for (int c = 0; c < p.indices().length; c++) {
        if (p.values()[c] >= threshold) {
          return new double[] {p.indices()[c], max};
        }
      }
    }
    return new double[] {-1, max};
  }
}
