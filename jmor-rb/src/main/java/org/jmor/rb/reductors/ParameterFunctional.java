package org.jmor.rb.reductors;

import java.io.Serializable;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

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

  /**
   * Returns the name under which a functional is saved (by {@code ModelFiles} of the module {@code
   * jmor-thermalblock}): {@code "min"} for {@link #minComponent()}, {@code "one"} for {@link
   * #one()}.
   *
   * @param functional the functional
   * @return its name, or null for any other functional (which cannot be saved)
   */
  static @Nullable String nameOf(ParameterFunctional functional) {
    return functional instanceof Functionals f ? f.name().toLowerCase(Locale.ROOT) : null;
  }

  /**
   * The inverse of {@link #nameOf}.
   *
   * @param name {@code "min"} or {@code "one"}
   * @return the functional
   * @throws IllegalArgumentException for any other name
   */
  static ParameterFunctional byName(String name) {
    for (Functionals f : Functionals.values()) {
      if (f.name().toLowerCase(Locale.ROOT).equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown parameter functional '" + name + "' (known: min, one)");
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
