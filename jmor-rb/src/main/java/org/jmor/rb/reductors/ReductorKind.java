package org.jmor.rb.reductors;

import java.util.Locale;
import org.jmor.discretizer.models.Product;
import org.jmor.discretizer.models.StationaryModel;

/** The reductors of pyMOR's thermal-block demo ({@code --reductor}), by pyMOR's names. */
public enum ReductorKind {
  /** {@link CoerciveRBReductor}: error estimator from a residual basis (pyMOR's default). */
  RESIDUAL_BASIS,
  /** {@link SimpleCoerciveRBReductor}: error estimator from the affine decomposition. */
  TRADITIONAL;

  /**
   * Creates a reductor of this kind with an empty basis.
   *
   * @param fom the full-order model
   * @param product the RB product
   * @param coercivityBound the coercivity lower bound
   * @return the reductor
   */
  public StationaryRBReductor create(
      StationaryModel fom, Product product, ParameterFunctional coercivityBound) {
    return this == RESIDUAL_BASIS
        ? CoerciveRBReductor.of(fom, product, coercivityBound)
        : SimpleCoerciveRBReductor.of(fom, product, coercivityBound);
  }

  /**
   * @return pyMOR's name: {@code residual_basis} or {@code traditional}
   */
  public String pymorName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
