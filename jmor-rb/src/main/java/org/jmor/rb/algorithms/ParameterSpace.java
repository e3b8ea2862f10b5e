package org.jmor.rb.algorithms;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jmor.random.Pcg64;

/**
 * A box {@code [low, high]^dimension} of parameters (pyMOR's {@code ParameterSpace} for one
 * vector-valued parameter), with pyMOR's uniform and random sampling. Immutable.
 */
public final class ParameterSpace implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int dimension;
  private final double low;
  private final double high;

  private ParameterSpace(int dimension, double low, double high) {
    this.dimension = dimension;
    this.low = low;
    this.high = high;
  }

  /**
   * Returns the box {@code [low, high]^dimension}.
   *
   * @param dimension number of components, {@code >= 1}
   * @param low lower bound of every component
   * @param high upper bound of every component, {@code >= low}
   * @return the parameter space
   * @throws IllegalArgumentException if {@code dimension < 1} or the range is empty or not finite
   */
  public static ParameterSpace of(int dimension, double low, double high) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
    }
    if (!(low <= high) || !Double.isFinite(low) || !Double.isFinite(high)) {
      throw new IllegalArgumentException(
          "need finite low <= high, got [" + low + ", " + high + "]");
    }
    return new ParameterSpace(dimension, low, high);
  }

  /**
   * @return the number of components {@code Q}
   */
  public int dimension() {
    return dimension;
  }

  /**
   * @return the lower bound of every component
   */
  public double low() {
    return low;
  }

  /**
   * @return the upper bound of every component
   */
  public double high() {
    return high;
  }

  /**
   * numpy's {@code linspace(start, stop, num)} (endpoint included), bit for bit: {@code y_k = k *
   * step + start} with {@code step = (stop - start) / (num - 1)}, and the last point set exactly to
   * {@code stop}.
   *
   * @param start first point
   * @param stop last point
   * @param num number of points, {@code >= 0}
   * @return the points
   * @throws IllegalArgumentException if {@code num < 0}
   */
  public static double[] linspace(double start, double stop, int num) {
    if (num < 0) {
      throw new IllegalArgumentException("num must be >= 0, got " + num);
    }
    double[] y = new double[num];
    if (num == 1) {
      y[0] = start;
      return y;
    }
    double delta = stop - start;
    double step = delta / (num - 1);
    for (int k = 0; k < num; k++) {
      y[k] = step == 0.0 ? (k / (double) (num - 1)) * delta + start : k * step + start;
    }
    if (num > 1) {
      y[num - 1] = stop;
    }
    return y;
  }

  /**
   * pyMOR's {@code sample_uniformly(counts)}: the tensor product of {@code linspace(low, high,
   * counts)} in every component, in {@code itertools.product} order (the last component varies
   * fastest): point {@code sum_q k_q counts^(Q-1-q)} has components {@code y[k_q]}.
   *
   * @param counts points per component, {@code >= 1}
   * @return {@code counts^Q} new parameter arrays
   * @throws IllegalArgumentException if {@code counts < 1} or the set would be too large
   */
  public List<double[]> sampleUniformly(int counts) {
    if (counts < 1) {
      throw new IllegalArgumentException("counts must be >= 1, got " + counts);
    }
    double size = Math.pow(counts, dimension);
    if (size > 50_000_000) {
      throw new IllegalArgumentException(
          "training set of " + counts + "^" + dimension + " points is too large");
    }
    double[] y = linspace(low, high, counts);
    int total = (int) size;
    List<double[]> out = new ArrayList<>(total);
    int[] k = new int[dimension];
    for (int p = 0; p < total; p++) {
      double[] mu = new double[dimension];
      for (int c = 0; c < dimension; c++) {
        mu[c] = y[k[c]];
      }
      out.add(mu);
      for (int c = dimension - 1; c >= 0; c--) {
        if (++k[c] < counts) {
          break;
        }
        k[c] = 0;
      }
    }
    return out;
  }

  /**
   * The training set of {@link #sampleUniformly(int)} as a {@link CartesianGrid}: the same points
   * in the same order, computed from their index instead of stored, so that memory does not grow
   * with the number of points.
   *
   * @param counts points per component, {@code >= 1}
   * @return the grid of {@code counts^Q} points
   * @throws IllegalArgumentException if {@code counts < 1} or the grid has more than {@link
   *     Integer#MAX_VALUE} points
   */
  public CartesianGrid uniformGrid(int counts) {
    if (counts < 1) {
      throw new IllegalArgumentException("counts must be >= 1, got " + counts);
    }
    if (Math.pow(counts, dimension) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "training set of " + counts + "^" + dimension + " points is too large");
    }
    double[] y = linspace(low, high, counts);
    double[][] axes = new double[dimension][];
    java.util.Arrays.fill(axes, y);
    return CartesianGrid.of(axes);
  }

  /**
   * pyMOR's {@code sample_randomly(count)}: each parameter is one call {@code rng.uniform(low,
   * high, Q)} (component 0 first).
   *
   * <p>Modified: {@code rng} (advanced by {@code count * Q} draws).
   *
   * @param count number of parameters, {@code >= 0}
   * @param rng the generator, e.g. {@code Pcg64.defaultRng(42)} for pyMOR's fresh global RNG
   * @return {@code count} new parameter arrays
   * @throws IllegalArgumentException if {@code count < 0}
   */
  public List<double[]> sampleRandomly(int count, Pcg64 rng) {
    Objects.requireNonNull(rng, "rng");
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    List<double[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(rng.uniform(low, high, dimension));
    }
    return out;
  }

  @Override
  public String toString() {
    return "ParameterSpace([" + low + ", " + high + "]^" + dimension + ")";
  }
}
