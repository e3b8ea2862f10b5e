/**
 * Reduced basis reductors: pyMOR's {@code CoerciveRBReductor} with the residual-basis ({@code
 * estimate_image_hierarchical}) error estimator, Gram–Schmidt and trivial basis extension, and the
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
