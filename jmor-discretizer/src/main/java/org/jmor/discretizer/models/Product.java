package org.jmor.discretizer.models;

/**
 * The inner products ({@code fom.products} in pyMOR) of a P1 model; the norm of {@code u} is {@code
 * sqrt(u^T P u)}.
 */
public enum Product {
  /**
   * {@code h1_0_semi}: the full unweighted stiffness matrix with Dirichlet rows and columns zeroed
   * and {@code 1.0} on the Dirichlet diagonal. Symmetric positive definite. The RB product of the
   * demo's {@code --product h1}.
   */
  H1_0_SEMI("h1_0_semi"),
  /** {@code l2}: the exact P1 mass matrix, without boundary treatment. */
  L2("l2"),
  /** {@code h1_semi}: the unweighted stiffness matrix, without boundary treatment (singular). */
  H1_SEMI("h1_semi"),
  /** The Euclidean inner product {@code u^T v} (identity matrix). */
  EUCLIDEAN("euclidean");

  private final String pymorName;

  Product(String pymorName) {
    this.pymorName = pymorName;
  }

  /**
   * @return pyMOR's name of this product, e.g. {@code "h1_0_semi"}
   */
  public String pymorName() {
    return pymorName;
  }
}
