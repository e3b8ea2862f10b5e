package org.jmor.discretizer.fem;

import java.io.Serializable;
import java.util.Arrays;
import java.util.function.IntPredicate;
import org.jmor.discretizer.grid.TriaGrid;

/**
 * The assignment of the triangles of a grid to the {@code nx x ny} blocks of the thermal-block
 * problem.
 *
 * <p>Block {@code (ix, iy)} ({@code ix} left to right, {@code iy} bottom to top) is parameter
 * component {@code q = ix + iy * nx}. Its indicator, evaluated at the triangle centroid {@code (x0,
 * x1)}, is {@code [x0 >= ix*dx] [x0 < (ix+1)*dx] [x1 >= iy*dy] [x1 < (iy+1)*dy]} with the
 * floating-point {@code dx = 1./nx}, {@code dy = 1./ny}, and the upper bound dropped for the last
 * column or row; interfaces therefore belong to the block above or to the right. Every centroid in
 * {@code [0,1]^2} belongs to exactly one block.
 *
 * <p>Immutable and thread-safe.
 */
public final class BlockPartition implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int nx;
  private final int ny;
  private final int[] blockOfElement;
  private final int[] counts;

  private BlockPartition(int nx, int ny, int[] blockOfElement) {
    this.nx = nx;
    this.ny = ny;
    this.blockOfElement = blockOfElement;
    this.counts = new int[nx * ny];
    for (int b : blockOfElement) {
      counts[b]++;
    }
  }

  /**
   * Assigns every triangle of {@code grid} to the block whose indicator is 1 at its centroid.
   *
   * @param grid the grid
   * @param xBlocks number of block columns {@code nx >= 1}
   * @param yBlocks number of block rows {@code ny >= 1}
   * @return the partition
   * @throws IllegalArgumentException if a block count is {@code < 1}
   */
  public static BlockPartition of(TriaGrid grid, int xBlocks, int yBlocks) {
    if (xBlocks < 1 || yBlocks < 1) {
      throw new IllegalArgumentException(
          "block counts must be >= 1, got " + xBlocks + " x " + yBlocks);
    }
    double dx = 1. / xBlocks;
    double dy = 1. / yBlocks;
    int ne = grid.elementCount();
    int[] block = new int[ne];
    for (int e = 0; e < ne; e++) {
      int ix = interval(grid.centroidX(e), dx, xBlocks);
      int iy = interval(grid.centroidY(e), dy, yBlocks);
      block[e] = ix + iy * xBlocks;
    }
    return new BlockPartition(xBlocks, yBlocks, block);
  }

  /** First {@code k} with {@code x >= k*d} and ({@code x < (k+1)*d} or {@code k = last}). */
  private static int interval(double x, double d, int count) {
    for (int k = 0; k < count; k++) {
      if (x >= k * d && (k == count - 1 || x < (k + 1) * d)) {
        return k;
      }
    }
    throw new IllegalArgumentException("coordinate " + x + " lies in no block");
  }

  /**
   * @return number of block columns {@code nx}
   */
  public int xBlocks() {
    return nx;
  }

  /**
   * @return number of block rows {@code ny}
   */
  public int yBlocks() {
    return ny;
  }

  /**
   * @return number of blocks {@code Q = nx * ny} (the parameter dimension)
   */
  public int blocks() {
    return nx * ny;
  }

  /**
   * Returns the block (parameter component) of a triangle.
   *
   * @param element element index
   * @return {@code q = ix + iy * nx}
   * @throws IndexOutOfBoundsException if the index is out of range
   */
  public int block(int element) {
    return blockOfElement[element];
  }

  /**
   * Returns a predicate selecting the triangles of block {@code q}.
   *
   * @param q block index, {@code 0 <= q < Q}
   * @return a predicate on element indices
   * @throws IndexOutOfBoundsException if {@code q} is out of range
   */
  public IntPredicate elementsOf(int q) {
    if (q < 0 || q >= blocks()) {
      throw new IndexOutOfBoundsException("block must be in [0, " + blocks() + "), got " + q);
    }
    return e -> blockOfElement[e] == q;
  }

  /**
   * @return a new array with the number of triangles per block, in component order
   */
  public int[] elementCounts() {
    return counts.clone();
  }

  @Override
  public String toString() {
    return "BlockPartition("
        + nx
        + "x"
        + ny
        + ", elements per block "
        + Arrays.toString(counts)
        + ")";
  }
}
