package org.jmor.rb.reductors;

import java.io.Serializable;

/**
 * A real function of the parameter, such as the coercivity lower bound {@code alpha(mu)} of the
 * error estimator (pyMOR's {@code ParameterFunctional}). Implementations must be stateless and
 * serializable, since reduced models that hold them travel to workers.
 */
@FunctionalInterface
public interface ParameterFunctional extends Serializable {

  /**
   * Evaluates the functional.
   *
   * @param mu the parameter; not modified
   * @return the value
   */
  double evaluate(double[] mu);

  /**
   * Returns {@code min_q mu_q}, pyMOR's {@code ExpressionParameterFunctional('min(diffusion)')},
   * the coercivity lower bound of the thermal-block problem.
   *
   * @return the functional (a serializable singleton)
   */
  static ParameterFunctional minComponent() {
    return Functionals.MIN;
  }

  /**
   * Returns the constant functional {@code 1}: the estimator is then the plain dual norm of the
   * residual.
   *
   * @return the functional (a serializable singleton)
   */
  static ParameterFunctional one() {
    return Functionals.ONE;
  }
}

/** Serializable singletons behind the static factories of {@link ParameterFunctional}. */
enum Functionals implements ParameterFunctional {
  MIN {
    @Override
    public double evaluate(double[] mu) {
      double m = Double.POSITIVE_INFINITY;
      for (double x : mu) {
        m = Math.min(m, x);
      }
      return m;
    }
  },
  ONE {
    @Override
    public double evaluate(double[] mu) {
      return 1.0;
    }
  }
}
