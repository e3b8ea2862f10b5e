package org.jmor.rb.algorithms;

import java.util.Objects;
import java.util.function.IntConsumer;
import org.jmor.discretizer.models.Product;
import org.jmor.parallel.WorkerPool;
import org.jmor.rb.reductors.BasisExtension;
import org.jspecify.annotations.Nullable;

/**
 * The options that every greedy of this package shares (the weak greedy of {@link RbGreedy} and the
 * adaptive greedy of {@link AdaptiveGreedy}): the extension limit, how the basis is extended, the
 * tie rule, the surrogate (estimator or true error), progress and the pool. Each setter checks its
 * argument at once.
 *
 * @param <B> the builder type, returned by every setter for chaining
 */
public abstract class GreedyOptions<B extends GreedyOptions<B>> {
  @Nullable Integer maxExtensions;
  BasisExtension extension = BasisExtension.GRAM_SCHMIDT;
  TieRule tieRule = TieRule.TOLERANCE;
  @Nullable WorkerPool pool;
  boolean useErrorEstimator = true;
  Product errorNorm = Product.H1_0_SEMI;
  @Nullable IntConsumer progress;

  GreedyOptions() {}

  /**
   * The pool on which a greedy search runs its reductor's per-extension work ({@link
   * org.jmor.rb.reductors.StationaryRBReductor#reduce(WorkerPool)}): the search's pool when it is
   * parallel and {@link WorkerPool#isInProcess() in process}, otherwise none (the caller does it).
   *
   * <p>That work is a few solves and Gram–Schmidt passes per extension, executed a dozen times in a
   * search: too few for a worker JVM to compile it. Measured with the demo's {@code --grid 50 3 3 4
   * 12} case, the twelve reductions took about 0.3 s on the caller, 1.1 s on {@code mpi:2} and 2.2
   * s on {@code cluster:2} (with {@code --grid 200 3 3 2 12}: 2.9 s on the caller, 5.2 s and 6.6
   * s), while on {@code threads:2} the pool saves up to a fifth of it on large grids. The results
   * are bit-identical either way.
   */
  @Nullable WorkerPool reducePool() {
    WorkerPool p = pool;
    return p != null && p.isParallel() && p.isInProcess() ? p : null;
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /**
   * @param value stop after this many basis extensions, {@code >= 1}
   * @return this builder
   */
  public B maxExtensions(int value) {
    if (value < 1) {
      throw new IllegalArgumentException("maxExtensions must be >= 1, got " + value);
    }
    this.maxExtensions = value;
    return self();
  }

  /**
   * @param value how snapshots are added to the basis
   * @return this builder
   */
  public B extension(BasisExtension value) {
    this.extension = Objects.requireNonNull(value, "extension");
    return self();
  }

  /**
   * @param value how the training parameter (and, for the adaptive greedy, the refined cells) is
   *     selected among near-maximal values
   * @return this builder
   */
  public B tieRule(TieRule value) {
    this.tieRule = Objects.requireNonNull(value, "tieRule");
    return self();
  }

  /**
   * Chooses the surrogate: with {@code true} (the default) the error estimator {@code Delta(mu)} of
   * the reduced model; with {@code false} the true error {@code ||u(mu) - V u_N(mu)||} in the
   * {@link #errorNorm(Product) error norm}, which costs a full-order solve per parameter and sweep
   * (pyMOR's {@code use_error_estimator=False}, the demo's {@code
   * --no-greedy-with-error-estimator}).
   *
   * @param value whether to use the error estimator
   * @return this builder
   */
  public B useErrorEstimator(boolean value) {
    this.useErrorEstimator = value;
    return self();
  }

  /**
   * @param value the norm of the true error when the estimator is not used (default {@link
   *     Product#H1_0_SEMI}, the demo's {@code fom.h1_0_semi_norm})
   * @return this builder
   */
  public B errorNorm(Product value) {
    this.errorNorm = Objects.requireNonNull(value, "errorNorm");
    return self();
  }

  /**
   * @param value called on the caller's thread with the number of extensions done after each
   *     extension; null (the default) for none
   * @return this builder
   */
  public B progress(@Nullable IntConsumer value) {
    this.progress = value;
    return self();
  }

  /**
   * @param value the pool on which the estimates are computed; null for serial
   * @return this builder
   */
  public B pool(@Nullable WorkerPool value) {
    this.pool = value;
    return self();
  }
}
