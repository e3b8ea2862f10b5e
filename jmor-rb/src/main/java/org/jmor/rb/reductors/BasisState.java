package org.jmor.rb.reductors;

import java.util.Objects;

/**
 * The Gram–Schmidt state of a reductor's basis: the basis vectors {@code v_j} and their images
 * {@code P v_j} under the RB product, exactly as the reductor keeps them. A reductor restored from
 * it ({@link StationaryRBReductor#restoreBasis}) extends its basis bit for bit as the original one
 * would: the images of orthonormalized vectors are the rescaled images of the unscaled vectors,
 * which a recomputation {@code P v_j} would give only up to round-off.
 *
 * <p>Immutable: the constructor and the accessors copy.
 */
public final class BasisState {
  private final int dim;
  private final double[][] vectors;
  private final double[][] images;

  /**
   * Creates a state.
   *
   * @param dim the length {@code n} of every vector
   * @param vectors the basis vectors, in order (copied)
   * @param images their images under the RB product, in the same order (copied)
   * @throws IllegalArgumentException if the counts differ or a vector does not have length {@code
   *     n}
   */
  public BasisState(int dim, double[][] vectors, double[][] images) {
    Objects.requireNonNull(vectors, "vectors");
    Objects.requireNonNull(images, "images");
    if (dim < 0 || vectors.length != images.length) {
      throw new IllegalArgumentException(
          vectors.length + " vectors and " + images.length + " images of length " + dim);
    }
    this.dim = dim;
    this.vectors = new double[vectors.length][];
    this.images = new double[images.length][];
    for (int j = 0; j < vectors.length; j++) {
      if (vectors[j].length != dim || images[j].length != dim) {
        throw new IllegalArgumentException(
            "basis vector " + j + " or its image does not have length " + dim);
      }
      this.vectors[j] = vectors[j].clone();
      this.images[j] = images[j].clone();
    }
  }

  /**
   * @return the number of basis vectors
   */
  public int len() {
    return vectors.length;
  }

  /**
   * @return the length {@code n} of every vector
   */
  public int dim() {
    return dim;
  }

  /**
   * @param j the index, {@code 0 <= j < len()}
   * @return a copy of basis vector {@code j}
   */
  public double[] vector(int j) {
    return vectors[j].clone();
  }

  /**
   * @param j the index, {@code 0 <= j < len()}
   * @return a copy of the image {@code P v_j}
   */
  public double[] image(int j) {
    return images[j].clone();
  }
}
