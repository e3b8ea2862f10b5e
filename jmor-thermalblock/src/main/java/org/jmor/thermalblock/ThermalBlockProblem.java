package org.jmor.thermalblock;

import java.io.Serializable;

/**
 * pyMOR's {@code thermal_block_problem((nx, ny))}: on {@code [0,1]^2}, {@code -div(d(x; mu) grad u)
 * = 1} with {@code u = 0} on the whole boundary and {@code d(x; mu) = sum_q mu_q chi_q(x)}, where
 * {@code chi_q} is the indicator of block {@code (ix, iy)}, {@code q = ix + iy * nx} (see {@link
 * org.jmor.discretizer.fem.BlockPartition}). Each {@code mu_q} ranges over {@code [0.1, 1.0]}.
 *
 * @param xBlocks number of block columns {@code nx >= 1}
 * @param yBlocks number of block rows {@code ny >= 1}
 */
public record ThermalBlockProblem(int xBlocks, int yBlocks) implements Serializable {

  /** Lower end of the range of every parameter component. */
  public static final double MIN_DIFFUSION = 0.1;

  /** Upper end of the range of every parameter component. */
  public static final double MAX_DIFFUSION = 1.0;

  /**
   * Validates the block counts.
   *
   * @param xBlocks number of block columns
   * @param yBlocks number of block rows
   * @throws IllegalArgumentException if a count is {@code < 1}
   */
  public ThermalBlockProblem {
    if (xBlocks < 1 || yBlocks < 1) {
      throw new IllegalArgumentException(
          "block counts must be >= 1, got " + xBlocks + " x " + yBlocks);
    }
  }

  /**
   * Returns the problem with {@code xBlocks x yBlocks} blocks.
   *
   * @param xBlocks number of block columns
   * @param yBlocks number of block rows
   * @return the problem
   * @throws IllegalArgumentException if a count is {@code < 1}
   */
  public static ThermalBlockProblem of(int xBlocks, int yBlocks) {
    return new ThermalBlockProblem(xBlocks, yBlocks);
  }

  /**
   * @return the parameter dimension {@code Q = nx * ny}
   */
  public int parameterDimension() {
    return xBlocks * yBlocks;
  }

  /**
   * Discretizes with P1 finite elements on a {@link org.jmor.discretizer.grid.TriaGrid} of {@code
   * gridIntervals x gridIntervals} cells (pyMOR's {@code discretize_stationary_cg(problem,
   * diameter=1/N)}).
   *
   * @param gridIntervals {@code N}, the demo's {@code --grid}
   * @return the full-order model
   * @throws IllegalArgumentException if {@code gridIntervals} is out of range
   */
  public ThermalBlockModel discretize(int gridIntervals) {
    return ThermalBlockModel.discretize(this, gridIntervals);
  }
}
