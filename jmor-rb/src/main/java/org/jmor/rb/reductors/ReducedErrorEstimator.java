package org.jmor.rb.reductors;

import java.io.Serializable;

/**
 * The offline data of a {@link ReducedModel}'s error estimator: pyMOR's {@code CoerciveRBEstimator}
 * (a residual basis, {@link ResidualBasisEstimator}) or {@code SimpleCoerciveRBEstimator} (the Gram
 * matrix of the residual's affine components, {@link GramEstimator}). Both give the dual norm of
 * the residual {@code ||f - A(mu) V u_N||_{P^{-1}}}; the model divides it by the coercivity bound.
 * Immutable and serializable (travels to workers inside the reduced model).
 */
sealed interface ReducedErrorEstimator extends Serializable
    permits ResidualBasisEstimator, GramEstimator {

  /**
   * @return the length of the scratch array {@link #residualNorm} needs
   */
  int scratchLength();

  /**
   * The dual norm of the residual of the reduced solution {@code u} at {@code mu}, without
   * allocating.
   *
   * @param mu the parameter; not modified
   * @param u the reduced solution; not modified
   * @param scratch scratch of length {@link #scratchLength()}; overwritten
   * @return the dual norm of the residual
   */
  double residualNorm(double[] mu, double[] u, double[] scratch);

  /**
   * @return the residual range dimension (0 for the Gram estimator, which has none)
   */
  int residualRangeDim();

  /**
   * @return pyMOR's {@code residual_range_dims} (empty for the Gram estimator)
   */
  int[] residualRangeDims();

  /**
   * The estimator of the reduced model of the first {@code dim} basis vectors (pyMOR's {@code
   * reduce(dims)}): bit-identical to the one a reductor with those vectors alone builds.
   *
   * @param dim the new reduced dimension, {@code 0 <= dim <= k}
   * @return the restricted estimator
   */
  ReducedErrorEstimator restrict(int dim);
}
