package org.jmor.rb.algorithms;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Cartesian product of one axis of values per parameter component, addressed by index: a
 * training set (or sweep grid) that takes memory for its axes only, never for its points.
 *
 * <p>Point {@code p} is the mixed-radix number with digits {@code k_0 … k_{Q-1}} (the last
 * component varies fastest, {@code itertools.product} order): {@code p = sum_q k_q prod_{r > q}
 * n_r}, and its components are {@code axis(q)[k_q]}. For {@link ParameterSpace#uniformGrid(int)}
 * this is exactly the order of {@link ParameterSpace#sampleUniformly(int)}. Immutable and {@link
 * Serializable}, so that a worker can compute the points of its index range itself.
 */
public final class CartesianGrid implements Serializable {

  private static final long serialVersionUID = 1L;

  private final double[][] axes;
  private final long size;

  private CartesianGrid(double[][] axes, long size) {
    this.axes = axes;
    this.size = size;
  }

  /**
   * Returns the product of the given axes (copied).
   *
   * @param axes the values of each component, at least one axis, each with at least one value
   * @return the grid
   * @throws IllegalArgumentException if there is no axis, an axis is empty, or the grid has more
   *     than {@link Long#MAX_VALUE} points
   */
  public static CartesianGrid of(double[]... axes) {
    if (axes.length == 0) {
      throw new IllegalArgumentException("a grid needs at least one axis");
    }
    double[][] copy = new double[axes.length][];
    long size = 1;
    for (int q = 0; q < axes.length; q++) {
      if (axes[q].length == 0) {
        throw new IllegalArgumentException("axis " + q + " of the grid is empty");
      }
      copy[q] = axes[q].clone();
      try {
        size = Math.multiplyExact(size, axes[q].length);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("the grid has more than " + Long.MAX_VALUE + " points");
      }
    }
    return new CartesianGrid(copy, size);
  }

  /**
   * @return the number of components {@code Q}
   */
  public int dimension() {
    return axes.length;
  }

  /**
   * @return the number of points, the product of the axis lengths
   */
  public long size() {
    return size;
  }

  /**
   * @param q the component, {@code 0 <= q < dimension()}
   * @return a copy of the values of component {@code q}
   */
  public double[] axis(int q) {
    return axes[q].clone();
  }

  /**
   * Writes the components of point {@code index} into {@code out} (no allocation).
   *
   * @param index the point, {@code 0 <= index < size()}
   * @param out receives the {@link #dimension()} components
   * @return {@code out}
   * @throws IndexOutOfBoundsException if {@code index} is out of range
   * @throws IllegalArgumentException if {@code out} has not {@link #dimension()} entries
   */
  public double[] parameter(long index, double[] out) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("point " + index + " of a grid of " + size);
    }
    if (out.length != axes.length) {
      throw new IllegalArgumentException(
          "need " + axes.length + " components, got an array of " + out.length);
    }
    long rest = index;
    for (int q = axes.length - 1; q >= 0; q--) {
      double[] axis = axes[q];
      out[q] = axis[(int) (rest % axis.length)];
      rest /= axis.length;
    }
    return out;
  }

  /**
   * @param index the point, {@code 0 <= index < size()}
   * @return a new array with the components of point {@code index}
   * @throws IndexOutOfBoundsException if {@code index} is out of range
   */
  public double[] parameter(long index) {
    return parameter(index, new double[axes.length]);
  }

  /**
   * Returns every point as a new array, in index order (for small grids only).
   *
   * @return the points
   * @throws IllegalArgumentException if the grid has more than {@link Integer#MAX_VALUE} - 8 points
   */
  public List<double[]> toList() {
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a grid of " + size + " points does not fit in a list");
    }
    List<double[]> out = new ArrayList<>((int) size);
    for (long p = 0; p < size; p++) {
      out.add(parameter(p));
    }
    return out;
  }

  @Override
  public String toString() {
    int[] n = new int[axes.length];
    for (int q = 0; q < n.length; q++) {
      n[q] = axes[q].length;
    }
    return "CartesianGrid(" + Arrays.toString(n) + ", " + size + " points)";
  }
}
