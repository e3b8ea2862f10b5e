package org.jmor.discretizer.models;

import java.io.Serializable;
import java.util.List;
import org.jmor.base.Immutable;
import org.jmor.discretizer.operators.CscMatrix;
import org.jmor.discretizer.operators.LinearSolver;
import org.jmor.vectors.ProductOperator;

/**
 * A linear stationary full-order model with an affine parameter dependence:
 *
 * <pre>
 *   A(mu) u(mu) = f,     A(mu) = B + sum_{q=0}^{Q-1} mu_q A_q
 * </pre>
 *
 * with a parameter-independent right-hand side {@code f} (pyMOR's {@code StationaryModel} whose
 * operator is a {@code LincombOperator} with coefficients {@code [1, mu_0, ..., mu_{Q-1}]}).
 *
 * <p>Models are immutable, thread-safe and {@link Serializable}, so worker pools may share or ship
 * them; cached factorizations are transient and rebuilt lazily on the receiving side. All methods
 * that return arrays return new arrays.
 */
public interface StationaryModel extends Immutable, Serializable {

  /**
   * @return the number of degrees of freedom {@code n}
   */
  int dofs();

  /**
   * @return the parameter dimension {@code Q}
   */
  int parameterDimension();

  /**
   * @return the constant part {@code B} ({@code n x n})
   */
  CscMatrix boundaryPart();

  /**
   * Returns the affine component {@code A_q}.
   *
   * @param q component index, {@code 0 <= q < Q}
   * @return {@code A_q} ({@code n x n})
   * @throws IndexOutOfBoundsException if {@code q} is out of range
   */
  CscMatrix operator(int q);

  /**
   * @return {@code [A_0, ..., A_{Q-1}]}, unmodifiable
   */
  List<CscMatrix> operators();

  /**
   * @return a copy of the right-hand side {@code f}
   */
  double[] rhs();

  /**
   * Assembles {@code A(mu) = B + sum_q mu_q A_q} (summed in this order; pattern union).
   *
   * @param mu parameter of length {@code Q}; not modified
   * @return the system matrix
   * @throws IllegalArgumentException if the length is wrong
   */
  CscMatrix assembleOperator(double[] mu);

  /**
   * Solves {@code A(mu) u = f} with a sparse direct solver.
   *
   * @param mu parameter of length {@code Q}; not modified
   * @return the solution {@code u(mu)}, length {@code n}
   * @throws IllegalArgumentException if the length is wrong or {@code mu} is not admissible
   */
  double[] solve(double[] mu);

  /**
   * Returns the matrix of an inner product.
   *
   * @param product which product
   * @return its {@code n x n} matrix
   */
  CscMatrix product(Product product);

  /**
   * Returns an inner product as a {@link ProductOperator} for {@code org.jmor.vectors}.
   *
   * @param product which product
   * @return the operator (dimension {@code n})
   */
  ProductOperator productOperator(Product product);

  /**
   * Returns a solver for {@code P x = b} (Riesz representatives: {@code x = P^{-1} b}).
   *
   * @param product which product
   * @return a thread-safe solver, cached by the model
   * @throws IllegalArgumentException if the product matrix is singular (e.g. {@code H1_SEMI})
   */
  LinearSolver productSolver(Product product);

  /**
   * Returns {@code ||u||_P = sqrt(u^T P u)}.
   *
   * @param u vector of length {@code n}; not modified
   * @param product which product
   * @return the norm
   * @throws IllegalArgumentException if the length is wrong
   */
  double norm(double[] u, Product product);

  /**
   * @return the Dirichlet DOFs, ascending
   */
  int[] dirichletDofs();
}
