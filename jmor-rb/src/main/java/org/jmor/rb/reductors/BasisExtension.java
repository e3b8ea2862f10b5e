package org.jmor.rb.reductors;

/** How {@link CoerciveRBReductor#extendBasis} adds a snapshot (pyMOR's {@code extend_basis}). */
public enum BasisExtension {
  /**
   * Append the snapshot and orthonormalize it against the basis with {@link GramSchmidt} in the
   * reductor's product ({@code gram_schmidt}).
   */
  GRAM_SCHMIDT,
  /**
   * Append the snapshot as it is, unless it is almost equal ({@code ||u - v||_2 <= 1e-14 + 1e-14
   * ||v||_2}) to a basis vector ({@code trivial}).
   */
  TRIVIAL
}
