package org.jmor.rb.algorithms;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jmor.discretizer.models.Product;
import org.jmor.discretizer.models.StationaryModel;
import org.jmor.parallel.Args;
import org.jmor.parallel.MapTask;
import org.jmor.parallel.RemoteObject;
import org.jmor.parallel.WorkerContext;
import org.jmor.parallel.WorkerPool;
import org.jmor.rb.reductors.ReducedBasis;
import org.jmor.rb.reductors.ReducedModel;
import org.jspecify.annotations.Nullable;

/**
 * The computations of pyMOR's {@code analyze_pickle} demo on a worker pool: reduced solutions and
 * error estimates over sample parameters ({@code histogram}), true reduction errors against the
 * full-order solutions, and errors and estimates over a sequence of basis sizes ({@code
 * convergence}). Each parameter is one element of a {@link WorkerPool#map map}; the models and the
 * basis are {@link WorkerPool#push pushed} once. The results come back in input order and do not
 * depend on the pool (only the measured times do).
 */
public final class SampleAnalysis {

  private SampleAnalysis() {}

  /**
   * A reduced solution and its error estimate.
   *
   * @param solution {@code u_N(mu)}
   * @param estimate {@code Delta(mu)} (pyMOR's {@code rom.estimate_error(mu)})
   */
  public record Reduced(double[] solution, double estimate) implements Serializable {}

  /**
   * The errors and estimates of one parameter for every reduced model of a sequence.
   *
   * @param errors {@code ||u(mu) - V_N u_N(mu)||} per model, in the chosen norm
   * @param estimates {@code Delta_N(mu)} per model
   * @param solveNanos the time of each reduced solve, nanoseconds
   * @param estimateNanos the time of each estimate (which solves again, as pyMOR's), nanoseconds
   */
  public record Convergence(
      double[] errors, double[] estimates, long[] solveNanos, long[] estimateNanos)
      implements Serializable {}

  /**
   * Solves the reduced model and estimates its error for every parameter (pyMOR's {@code
   * rom.solve(mu)} and {@code rom.estimate_error(mu)}).
   *
   * @param rom the reduced model
   * @param mus the parameters; not modified
   * @param pool the pool
   * @return one result per parameter, in order
   * @throws IllegalArgumentException if a parameter has the wrong length
   * @throws org.jmor.parallel.RemoteExecutionException if a computation fails on a worker
   */
  public static List<Reduced> solveAndEstimate(
      ReducedModel rom, List<double[]> mus, WorkerPool pool) {
    Objects.requireNonNull(rom, "rom");
    Objects.requireNonNull(pool, "pool");
    List<double[]> copies = check(mus, rom.parameterDimension());
    try (RemoteObject<ReducedModel> r = pool.push(rom)) {
      return pool.map(new SolveAndEstimate(), copies, r);
    }
  }

  /**
   * The reduction errors {@code ||u(mu) - V u_N(mu)||} (pyMOR's {@code fom.solve(mu) -
   * reductor.reconstruct(u)} and its norm).
   *
   * @param fom the full-order model
   * @param basis the reduced basis {@code V}
   * @param mus the parameters; not modified
   * @param reducedSolutions {@code u_N(mu)} per parameter (at most {@code basis.len()} entries
   *     each: the first basis vectors are used); not modified
   * @param norm the norm's product, or null for the Euclidean norm (pyMOR's {@code err.norm()})
   * @param pool the pool
   * @return the errors, in order
   * @throws IllegalArgumentException if the lists differ in length or a parameter or solution has
   *     the wrong length
   * @throws org.jmor.parallel.RemoteExecutionException if a computation fails on a worker
   */
  public static double[] errors(
      StationaryModel fom,
      ReducedBasis basis,
      List<double[]> mus,
      List<double[]> reducedSolutions,
      @Nullable Product norm,
      WorkerPool pool) {
    Objects.requireNonNull(fom, "fom");
    Objects.requireNonNull(basis, "basis");
    Objects.requireNonNull(pool, "pool");
    List<double[]> copies = check(mus, fom.parameterDimension());
    if (reducedSolutions.size() != copies.size()) {
      throw new IllegalArgumentException(
          reducedSolutions.size() + " reduced solutions for " + copies.size() + " parameters");
    }
    if (basis.dim() != fom.dofs()) {
      throw new IllegalArgumentException(basis + " does not match " + fom);
    }
    List<double[][]> pairs = new ArrayList<>(copies.size());
    for (int i = 0; i < copies.size(); i++) {
      double[] u = reducedSolutions.get(i);
      if (u.length > basis.len()) {
        throw new IllegalArgumentException(
            "reduced solution of length " + u.length + " for a basis of " + basis.len());
      }
      pairs.add(new double[][] {copies.get(i), u.clone()});
    }
    try (RemoteObject<StationaryModel> f = pool.push(fom);
        RemoteObject<ReducedBasis> b = pool.push(basis)) {
      List<Double> errs = pool.map(new Errors(), pairs, f, b, norm == null ? "" : norm.name());
      return errs.stream().mapToDouble(Double::doubleValue).toArray();
    }
  }

  /**
   * For every parameter: the full-order solution once, then for every reduced model of {@code roms}
   * the reduced solution, the estimate and the error against the reconstruction with the first
   * {@code rom.dim()} basis vectors (pyMOR's {@code convergence}, whose full-order solves are
   * cached).
   *
   * @param fom the full-order model
   * @param basis the reduced basis; every model uses its first {@code dim()} vectors
   * @param roms the reduced models (e.g. {@code reductor.reduce(N)} for the chosen {@code N})
   * @param mus the parameters; not modified
   * @param norm the norm's product, or null for the Euclidean norm
   * @param pool the pool
   * @return one result per parameter, in order
   * @throws IllegalArgumentException if a model is larger than the basis or a parameter has the
   *     wrong length
   * @throws org.jmor.parallel.RemoteExecutionException if a computation fails on a worker
   */
  public static List<Convergence> convergence(
      StationaryModel fom,
      ReducedBasis basis,
      List<ReducedModel> roms,
      List<double[]> mus,
      @Nullable Product norm,
      WorkerPool pool) {
    Objects.requireNonNull(fom, "fom");
    Objects.requireNonNull(basis, "basis");
    Objects.requireNonNull(pool, "pool");
    List<double[]> copies = check(mus, fom.parameterDimension());
    for (ReducedModel rom : roms) {
      if (rom.dim() > basis.len()) {
        throw new IllegalArgumentException(rom + " is larger than " + basis);
      }
    }
    try (RemoteObject<StationaryModel> f = pool.push(fom);
        RemoteObject<ReducedBasis> b = pool.push(basis);
        RemoteObject<ArrayList<ReducedModel>> r = pool.push(new ArrayList<>(roms))) {
      return pool.map(new ConvergenceTask(), copies, f, b, r, norm == null ? "" : norm.name());
    }
  }

  private static List<double[]> check(List<double[]> mus, int q) {
    List<double[]> out = new ArrayList<>(mus.size());
    for (double[] mu : mus) {
      if (mu.length != q) {
        throw new IllegalArgumentException(
            "parameters must have " + q + " components, got " + mu.length);
      }
      out.add(mu.clone());
    }
    return out;
  }

  private static double norm(StationaryModel fom, double[] u, String product) {
    if (product.isEmpty()) {
      double s = 0.0;
      for (double x : u) {
        s += x * x;
      }
      return Math.sqrt(s);
    }
    return fom.norm(u, Product.valueOf(product));
  }

  private static double error(
      StationaryModel fom, ReducedBasis basis, double[] u, double[] uN, String product) {
    double[] urb = basis.reconstructPrefix(uN);
    double[] e = new double[u.length];
    for (int i = 0; i < u.length; i++) {
      e[i] = u[i] - urb[i];
    }
    return norm(fom, e, product);
  }

  /** Worker task: the reduced solution and the estimate. Argument: the reduced model. */
  static final class SolveAndEstimate implements MapTask<double[], Reduced> {
    private static final long serialVersionUID = 1L;

    @Override
    public Reduced run(WorkerContext context, double[] mu, Args args) {
      ReducedModel rom = args.get(0, ReducedModel.class);
      return new Reduced(rom.solve(mu), rom.estimateError(mu));
    }
  }

  /** Worker task: one error. Element: {mu, u_N}. Arguments: model, basis, product name. */
  static final class Errors implements MapTask<double[][], Double> {
    private static final long serialVersionUID = 1L;

    @Override
    public Double run(WorkerContext context, double[][] pair, Args args) {
      StationaryModel fom = args.get(0, StationaryModel.class);
      ReducedBasis basis = args.get(1, ReducedBasis.class);
      String product = args.get(2, String.class);
      return error(fom, basis, fom.solve(pair[0]), pair[1], product);
    }
  }

  /** Worker task of {@link #convergence}. Arguments: model, basis, reduced models, product. */
  static final class ConvergenceTask implements MapTask<double[], Convergence> {
    private static final long serialVersionUID = 1L;

    @Override
    public Convergence run(WorkerContext context, double[] mu, Args args) {
      StationaryModel fom = args.get(0, StationaryModel.class);
      ReducedBasis basis = args.get(1, ReducedBasis.class);
      List<ReducedModel> roms = args.get(2);
      String product = args.get(3, String.class);
      double[] u = fom.solve(mu);
      int m = roms.size();
      double[] errors = new double[m];
      double[] estimates = new double[m];
      long[] solveNanos = new long[m];
      long[] estimateNanos = new long[m];
      for (int i = 0; i < m; i++) {
        ReducedModel rom = roms.get(i);
        long t0 = System.nanoTime();
        double[] uN = rom.solve(mu);
        long t1 = System.nanoTime();
        estimates[i] = rom.estimateError(mu);
        long t2 = System.nanoTime();
        solveNanos[i] = t1 - t0;
        estimateNanos[i] = t2 - t1;
        errors[i] = error(fom, basis, u, uN, product);
      }
      return new Convergence(errors, estimates, solveNanos, estimateNanos);
    }
  }
}
