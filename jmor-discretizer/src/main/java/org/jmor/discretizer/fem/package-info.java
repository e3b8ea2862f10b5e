/**
 * Piecewise linear (P1) finite elements on a {@link org.jmor.discretizer.grid.TriaGrid}.
 *
 * <ul>
 *   <li>{@link org.jmor.discretizer.fem.BlockPartition}: assignment of triangles to the thermal
 *       blocks by the block indicator at the centroid.
 *   <li>{@link org.jmor.discretizer.fem.P1Assembly}: stiffness {@code K_ab = sum_T |T| grad(phi_a)
 *       . grad(phi_b)} (optionally restricted to a set of triangles), mass {@code M_ab = sum_T
 *       |T|/12 (1 + delta_ab)} and the load vector of {@code f = 1} with one-point quadrature
 *       ({@code |T|/3} per vertex).
 *   <li>{@link org.jmor.discretizer.fem.Dirichlet}: pyMOR's homogeneous Dirichlet treatments (rows
 *       zeroed; identity part; rows and columns zeroed with unit diagonal).
 * </ul>
 */
@NullMarked
package org.jmor.discretizer.fem;

import org.jspecify.annotations.NullMarked;
