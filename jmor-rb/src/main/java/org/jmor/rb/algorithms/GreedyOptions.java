package org.jmor.rb.algorithms;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntConsumer;
import org.jmor.discretizer.models.Product;
import org.jmor.discretizer.models.StationaryModel;
import org.jmor.discretizer.operators.CscMatrix;
import org.jmor.parallel.WorkerPool;
import org.jmor.rb.reductors.BasisExtension;
import org.jmor.rb.reductors.ParameterFunctional;
import org.jmor.rb.reductors.StationaryRBReductor;
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
  @Nullable CheckpointFile checkpoint;
  @Nullable Path resume;
  @Nullable String modelDigest;

  GreedyOptions() {}

  /**
   * Writes a checkpoint ({@link GreedyCheckpoint}) at the start of the search and after every
   * extension, atomically, so that a search stopped at any moment can be {@link #resume(Path)
   * resumed} having lost at most the extension in progress. Each checkpoint costs a write of the
   * basis and its product images ({@code 2 k n} doubles).
   *
   * @param value the checkpoint file, or null (the default) for none
   * @return this builder
   */
  public B checkpoint(@Nullable CheckpointFile value) {
    this.checkpoint = value;
    return self();
  }

  /**
   * Continues the search saved in a checkpoint instead of starting anew: the reductor (which must
   * have an empty basis) gets the saved basis, the record of the search (maximum errors, selected
   * parameters; for the adaptive greedy the refined training set, the validation set and the
   * generator's state) is restored, and the search goes on from the saved extension. The results
   * are bit-identical to those of a search that was never stopped, on every pool and pool size.
   *
   * <p>The builder's {@code run()} refuses, with an {@link IllegalArgumentException} whose one-line
   * message names the file and the reason: a file that is not a checkpoint, has another format
   * version, is truncated or fails its CRC32; a checkpoint of another algorithm, of another model
   * (its {@link #modelDigest(String) digest}), or written with other options (naming the first that
   * differs: training set, extension limit, extension method, tie rule, surrogate, reductor; for
   * the adaptive greedy its parameters and the generator's state at the start); and a reductor
   * rebuilt from it whose reduced model differs from the saved one.
   *
   * @param file the checkpoint, or null (the default) to start anew
   * @return this builder
   */
  public B resume(@Nullable Path file) {
    this.resume = file;
    return self();
  }

  /**
   * The digest that identifies the detailed model in checkpoints. Default: a SHA-256 of the model's
   * affine decomposition (operators, right-hand side, RB products). Give it when the model has an
   * identity of its own (the thermal-block demo gives the digest of its model file format, {@code
   * ModelDigest} of the module {@code jmor-thermalblock}) or when the reductor's model wraps the
   * detailed model (e.g. a cache).
   *
   * @param value the digest, or null for the default
   * @return this builder
   */
  public B modelDigest(@Nullable String value) {
    this.modelDigest = value;
    return self();
  }

  /** The run's model digest: the one given, or the default. */
  String modelDigest(StationaryModel fom) {
    String d = modelDigest;
    if (d != null) {
      return d;
    }
    MessageDigest md = GreedyCheckpoint.sha256();
    ByteBuffer b = ByteBuffer.allocate(8);
    md.update("stationary_model".getBytes(StandardCharsets.UTF_8));
    md.update(b.clear().putLong(((long) fom.dofs() << 32) | fom.parameterDimension()).array());
    List<CscMatrix> ms = new ArrayList<>();
    ms.add(fom.boundaryPart());
    ms.addAll(fom.operators());
    ms.add(fom.product(Product.H1_0_SEMI));
    ms.add(fom.product(Product.L2));
    for (CscMatrix m : ms) {
      md.update(b.clear().putLong(((long) m.rows() << 32) | m.cols()).array());
      for (int x : m.columnPointers()) {
        md.update(b.clear().putLong(x).array());
      }
      for (int x : m.rowIndices()) {
        md.update(b.clear().putLong(x).array());
      }
      for (double x : m.values()) {
        md.update(b.clear().putLong(Double.doubleToRawLongBits(x)).array());
      }
    }
    for (double x : fom.rhs()) {
      md.update(b.clear().putLong(Double.doubleToRawLongBits(x)).array());
    }
    return GreedyCheckpoint.hex(md.digest());
  }

  /** The options every greedy's checkpoint records (and a resume compares). */
  Map<String, String> commonOptions(StationaryRBReductor reductor) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("unknowns", Integer.toString(reductor.fom().dofs()));
    m.put("parameter_dimension", Integer.toString(reductor.fom().parameterDimension()));
    m.put("reductor", reductor.kind().pymorName());
    m.put("product", reductor.product().pymorName());
    String bound = ParameterFunctional.nameOf(reductor.coercivityBound());
    m.put("coercivity_bound", bound != null ? bound : reductor.coercivityBound().toString());
    m.put("max_extensions", maxExtensions == null ? "none" : maxExtensions.toString());
    m.put("extension", extension.name().toLowerCase(Locale.ROOT));
    m.put("tie_rule", tieRule.name().toLowerCase(Locale.ROOT));
    m.put("error_estimator", Boolean.toString(useErrorEstimator));
    m.put("error_norm", useErrorEstimator ? "-" : errorNorm.pymorName());
    return m;
  }

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
