package org.jmor.discretizer.fem;

import java.util.Objects;
import java.util.function.IntPredicate;
import org.jmor.discretizer.grid.TriaGrid;
import org.jmor.discretizer.operators.CscMatrix;

/**
 * Assembly of P1 finite element matrices and vectors on a {@link TriaGrid}, without boundary
 * treatment (see {@link Dirichlet}).
 *
 * <p>Every triangle of a {@code TriaGrid} is right isosceles with the right angle at local vertex 0
 * (legs {@code h/sqrt(2)}, area {@code |T| = h^2/4}). Hence its local stiffness matrix {@code
 * K_T[a][b] = |T| grad(phi_a) . grad(phi_b)} is independent of {@code h} and exact:
 *
 * <pre>
 *   K_T = 1/2 [[ 2, -1, -1],
 *              [-1,  1,  0],
 *              [-1,  0,  1]]
 * </pre>
 *
 * <p>Local contributions are added element by element in element order, local rows and columns in
 * local vertex order; duplicates are summed and entries that sum to exactly {@code 0.0} (the
 * corner-corner couplings of the stiffness) are dropped from the pattern, as in pyMOR.
 */
public final class P1Assembly {

  private static final double[][] LOCAL_STIFFNESS = {
    {1.0, -0.5, -0.5},
    {-0.5, 0.5, 0.0},
    {-0.5, 0.0, 0.5},
  };

  private P1Assembly() {}

  /**
   * Returns the unweighted P1 stiffness matrix {@code K = sum_T K_T} over all triangles ({@code
   * h1_semi} product without boundary treatment).
   *
   * @param grid the grid
   * @return the symmetric {@code n x n} matrix, {@code n = grid.vertexCount()}
   */
  public static CscMatrix stiffness(TriaGrid grid) {
    return stiffness(grid, e -> true);
  }

  /**
   * Returns the P1 stiffness matrix restricted to the selected triangles, {@code K = sum_{T
   * selected} K_T} (the block operator {@code diffusion_q} before boundary treatment when {@code
   * elements} selects block {@code q}).
   *
   * @param grid the grid
   * @param elements selects the triangles that contribute
   * @return the symmetric {@code n x n} matrix
   */
  public static CscMatrix stiffness(TriaGrid grid, IntPredicate elements) {
    Objects.requireNonNull(elements, "elements");
    int[] ev = grid.elementVertices();
    int ne = grid.elementCount();
    int[] r = new int[9 * ne];
    int[] c = new int[9 * ne];
    double[] v = new double[9 * ne];
    int k = 0;
    for (int e = 0; e < ne; e++) {
      if (!elements.test(e)) {
        continue;
      }
      for (int a = 0; a < 3; a++) {
        for (int b = 0; b < 3; b++) {
          r[k] = ev[3 * e + a];
          c[k] = ev[3 * e + b];
          v[k] = LOCAL_STIFFNESS[a][b];
          k++;
        }
      }
    }
    int n = grid.vertexCount();
    return CscMatrix.fromTriplets(n, n, r, c, v, k);
  }

  /**
   * Returns the exact P1 mass matrix {@code M = sum_T |T|/12 (1 + delta_ab)} ({@code l2} product
   * without boundary treatment).
   *
   * @param grid the grid
   * @return the symmetric positive definite {@code n x n} matrix
   */
  public static CscMatrix mass(TriaGrid grid) {
    int[] ev = grid.elementVertices();
    int ne = grid.elementCount();
    double off = grid.elementArea() / 12;
    double diag = 2 * off;
    int[] r = new int[9 * ne];
    int[] c = new int[9 * ne];
    double[] v = new double[9 * ne];
    int k = 0;
    for (int e = 0; e < ne; e++) {
      for (int a = 0; a < 3; a++) {
        for (int b = 0; b < 3; b++) {
          r[k] = ev[3 * e + a];
          c[k] = ev[3 * e + b];
          v[k] = a == b ? diag : off;
          k++;
        }
      }
    }
    int n = grid.vertexCount();
    return CscMatrix.fromTriplets(n, n, r, c, v, k);
  }

  /**
   * Returns the load vector of the constant source {@code f = 1} with one-point (centroid)
   * quadrature: every triangle adds {@code |T|/3 = h^2/12} to each of its three vertices. No
   * boundary treatment.
   *
   * @param grid the grid
   * @return a new vector of length {@code n}
   */
  public static double[] load(TriaGrid grid) {
    int[] ev = grid.elementVertices();
    double w = grid.elementArea() / 3;
    double[] f = new double[grid.vertexCount()];
    for (int k = 0; k < ev.length; k++) {
      f[ev[k]] += w;
    }
    return f;
  }
}
