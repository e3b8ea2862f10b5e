package org.jmor.parallel.testkit;

import java.util.List;

/**
 * Independent reference implementations of the two split rules and helpers to observe the blocks a
 * pool actually used. Deliberately written without {@link org.jmor.parallel.SplitRule}, so that a
 * test comparing against it can catch a bug there.
 */
public final class Blocks {
  private Blocks() {}

  /**
   * Block sizes of the balanced rule: {@code items / workers} each, and one more for the first
   * {@code items % workers} workers.
   *
   * @param items the number of items, at least 0
   * @param workers the number of workers, at least 1
   * @return one size per worker
   */
  public static int[] balanced(int items, int workers) {
    int[] sizes = new int[workers];
    for (int i = 0; i < workers; i++) {
      sizes[i] = items / workers + (i < items % workers ? 1 : 0);
    }
    return sizes;
  }

  /**
   * Block sizes of pyMOR's rule: {@code c = ceil(items / workers)} per worker until the items run
   * out.
   *
   * @param items the number of items, at least 0
   * @param workers the number of workers, at least 1
   * @return one size per worker
   */
  public static int[] ceiling(int items, int workers) {
    int c = (items + workers - 1) / workers;
    int[] sizes = new int[workers];
    int left = items;
    for (int i = 0; i < workers; i++) {
      sizes[i] = Math.min(c, left);
      left -= sizes[i];
    }
    return sizes;
  }

  /**
   * Returns the worker that holds element {@code element} when {@code sizes} are the block sizes.
   *
   * @param sizes the block sizes
   * @param element the element index
   * @return the worker index
   * @throws IllegalArgumentException if the element is outside all blocks
   */
  public static int workerOf(int[] sizes, int element) {
    int end = 0;
    for (int i = 0; i < sizes.length; i++) {
      end += sizes[i];
      if (element < end) {
        return i;
      }
    }
    throw new IllegalArgumentException("element " + element + " is outside all blocks");
  }

  /**
   * Turns the per-element worker indices returned by a {@code map} into block sizes, and checks
   * that the blocks are contiguous and in worker order.
   *
   * @param workerOfElement for each element in input order, the index of the worker that ran it
   * @param workers the pool size
   * @return one block size per worker
   * @throws AssertionError if the worker indices are not non-decreasing or out of range
   */
  public static int[] observed(List<Integer> workerOfElement, int workers) {
    int[] sizes = new int[workers];
    int last = 0;
    for (int k = 0; k < workerOfElement.size(); k++) {
      int w = workerOfElement.get(k);
      if (w < 0 || w >= workers) {
        throw new AssertionError(
            "element " + k + " ran on worker " + w + ", outside 0.." + (workers - 1));
      }
      if (w < last) {
        throw new AssertionError(
            "blocks are not contiguous and ordered: element "
                + k
                + " ran on worker "
                + w
                + " after an element on worker "
                + last
                + ": "
                + workerOfElement);
      }
      last = w;
      sizes[w]++;
    }
    return sizes;
  }
}
