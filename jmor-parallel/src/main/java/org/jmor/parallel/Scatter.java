package org.jmor.parallel;

/**
 * How {@link WorkerPool#scatterList(java.util.List, Scatter)} and {@link
 * WorkerPool#scatterArray(org.jmor.vectors.VectorArray, boolean, Scatter)} treat the scattered data
 * should a worker be lost on a pool that {@linkplain OnWorkerLoss#SHRINK shrinks}.
 */
public enum Scatter {
  /**
   * The default: the pool keeps nothing. After a worker is lost, the handle cannot be used any more
   * (its slice is gone): passing it to a call throws an {@link IllegalStateException} saying which
   * worker's slice was lost.
   */
  PLAIN,

  /**
   * The pool keeps the source on the caller's side (a copy of the list, sharing its elements, or a
   * copy of the vectors) for as long as the handle lives, on a pool whose policy is {@link
   * OnWorkerLoss#SHRINK} (on any other pool this is {@link #PLAIN}: nothing is kept). When a worker
   * is lost, the pool sends its slice again to the neighbouring survivor, the one before it in
   * worker order (the one after it if it was the first), before any later call reaches that
   * survivor. That survivor then holds both slices as one object: the concatenation of the two
   * contiguous blocks, in index order (a {@code List} or {@code VectorArray} as before). So every
   * element is still on exactly one worker, the slices stay contiguous and ordered by worker, and a
   * task that combines its slice's elements in an order-independent way (a maximum with an
   * order-independent tie rule, a sum of exactly representable values, per-element results) gives
   * the same overall result as before the loss. The elements of a scattered list must not change
   * while the handle lives.
   */
  RECOVERABLE
}
