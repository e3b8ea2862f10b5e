/**
 * The thermal-block problem of pyMOR's {@code thermalblock} demo and its P1 discretization, a
 * {@link org.jmor.discretizer.models.StationaryModel}.
 *
 * <pre>{@code
 * ThermalBlockModel fom = ThermalBlockProblem.of(2, 2).discretize(100);   // 20 201 DOFs
 * double[] u = fom.solve(new double[] {0.1, 0.55, 1.0, 0.3});
 * double energy = fom.norm(u, Product.H1_0_SEMI);
 * }</pre>
 */
@NullMarked
package org.jmor.thermalblock;

import org.jspecify.annotations.NullMarked;
