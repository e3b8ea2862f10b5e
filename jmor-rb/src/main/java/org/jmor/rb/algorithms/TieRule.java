package org.jmor.rb.algorithms;

/** How the weak greedy picks the training parameter among (near-)maximal error estimates. */
public enum TieRule {
  /**
   * The first training parameter (training-set order) with {@code Delta >= (1 - 1e-10) max Delta}.
   * Mirror-image parameters of symmetric block layouts have estimates that differ only by
   * round-off; this rule picks among them reproducibly (the rule of the spec's reference results).
   * The default.
   */
  TOLERANCE(1e-10),
  /** pyMOR's {@code numpy.argmax}: the first training parameter attaining the maximum exactly. */
  FIRST_MAXIMUM(0.0);

  private final double relativeTolerance;

  TieRule(double relativeTolerance) {
    this.relativeTolerance = relativeTolerance;
  }

  /**
   * @return the relative tolerance {@code tol} of the rule {@code Delta >= (1 - tol) max}
   */
  public double relativeTolerance() {
    return relativeTolerance;
  }
}
