/**
 * Reduced basis reductors: pyMOR's {@code CoerciveRBReductor} with the residual-basis ({@code
 * estimate_image_hierarchical}) error estimator and {@code SimpleCoerciveRBReductor} with the
 * traditional one (Gram matrix of the affine components), both {@link
 * org.jmor.rb.reductors.StationaryRBReductor}s (shared basis, Gram–Schmidt and trivial extension,
 * Galerkin projection; {@link org.jmor.rb.reductors.ReductorKind} by pyMOR's names), and the
 * immutable reduced model that worker pools ship.
 *
 * <pre>{@code
 * CoerciveRBReductor reductor = CoerciveRBReductor.forThermalBlock(fom);   // h1_0_semi, min(mu)
 * reductor.extendBasis(fom.solve(mu), BasisExtension.GRAM_SCHMIDT);
 * ReducedModel rom = reductor.reduce();
 * double estimate = rom.estimateError(otherMu);
 * double[] u = reductor.reducedBasis().reconstruct(rom.solve(otherMu));
 * }</pre>
 */
@NullMarked
package org.jmor.rb.reductors;

import org.jspecify.annotations.NullMarked;
