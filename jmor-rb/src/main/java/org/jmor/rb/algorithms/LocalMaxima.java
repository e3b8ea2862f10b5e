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
    double[] est = new double[slice.size()];
    int[] index = new int[slice.size()];
    for (int i = 0; i < est.length; i++) {
      TrainingPoint p = slice.get(i);
      double e = rom.solveAndEstimate(p.mu(), ws);
      if (Double.isNaN(e)) {
        throw new ArithmeticException(
            "error estimate is NaN at training parameter "
                + p.index()
                + " "
                + Arrays.toString(p.mu()));
      }
      est[i] = e;
      index[i] = p.index();
    }
    return fromEstimates(index, est, tol);
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
