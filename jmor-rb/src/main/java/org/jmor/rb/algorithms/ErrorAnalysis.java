package org.jmor.rb.algorithms;

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
import org.jmor.parallel.events.Recorder;
import org.jmor.rb.reductors.ReducedBasis;
import org.jmor.rb.reductors.ReducedModel;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pyMOR's {@code reduction_error_analysis} as used by the thermalblock demo (error norms {@code
 * h1_0_semi} and {@code l2}, error estimator and condition numbers, the final basis size only).
 *
 * <p>For each test parameter {@code mu}: the full-order solution {@code U} and its norms, the
 * reduced solution {@code u_N} with its estimate {@code Delta(mu)}, the reconstruction {@code U_RB
 * = V u_N}, the errors {@code ||U - U_RB||} in both norms, the effectivity {@code ||U -
 * U_RB||_{h1_0_semi} / Delta(mu)} and the condition number of {@code A_N(mu)}.
 *
 * <p>The test parameters are distributed with {@link WorkerPool#map}; the full-order model, the
 * reduced model and the basis are {@link WorkerPool#push pushed} once (they are immutable). The
 * results come back in input order and do not depend on the pool.
 */
public final class ErrorAnalysis {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorAnalysis.class);

  private ErrorAnalysis() {}

  /**
   * Runs the error analysis.
   *
   * @param fom the full-order model
   * @param rom the reduced model
   * @param basis the reduced basis of {@code rom}
   * @param testParameters the test parameters (not modified)
   * @param pool the pool, e.g. {@code WorkerPools.sequential()}
   * @return the results in input order
   * @throws IllegalArgumentException if the basis does not match the models
   * @throws org.jmor.parallel.RemoteExecutionException if a computation fails on a worker
   */
  public static ErrorAnalysisResult run(
      StationaryModel fom,
      ReducedModel rom,
      ReducedBasis basis,
      List<double[]> testParameters,
      @Nullable WorkerPool pool) {
    return run(fom, rom, basis, testParameters, pool, null);
  }

  /**
   * Runs the error analysis and reports progress: the test parameters are then mapped in batches of
   * {@code 2 * pool.size()}, and {@code progress} receives the number of parameters done after each
   * batch. The results are the same as without progress reports.
   *
   * @param fom the full-order model
   * @param rom the reduced model
   * @param basis the reduced basis of {@code rom}
   * @param testParameters the test parameters (not modified)
   * @param pool the pool
   * @param progress called on the caller's thread after each batch, or null for one map
   * @return the results in input order
   * @throws IllegalArgumentException if the basis does not match the models
   * @throws org.jmor.parallel.RemoteExecutionException if a computation fails on a worker
   */
  public static ErrorAnalysisResult run(
      StationaryModel fom,
      ReducedModel rom,
      ReducedBasis basis,
      List<double[]> testParameters,
      @Nullable WorkerPool pool,
      java.util.function.@Nullable IntConsumer progress) {
    Objects.requireNonNull(fom, "fom");
    Objects.requireNonNull(rom, "rom");
    Objects.requireNonNull(basis, "basis");
    Objects.requireNonNull(pool, "pool");
    if (basis.len() != rom.dim() || basis.dim() != fom.dofs()) {
      throw new IllegalArgumentException(basis + " does not match " + rom + " and " + fom);
    }
    List<double[]> mus = new ArrayList<>();
    for (double[] mu : testParameters) {
      if (mu.length != fom.parameterDimension()) {
        throw new IllegalArgumentException(
            "test parameters must have "
                + fom.parameterDimension()
                + " components, got "
                + mu.length);
      }
      mus.add(mu.clone());
    }
    if (pool.isParallel()) {
      LOG.info("Using pool of {} workers for error analysis", pool.size());
    }
    long tic = System.nanoTime();
    List<TestResult> results;
    try (Recorder.Step step =
            pool.recorder()
                .step("error analysis")
                .figure("test_set_size", mus.size())
                .figure("basis_size", basis.len());
        RemoteObject<StationaryModel> f = pool.push(fom);
        RemoteObject<ReducedModel> r = pool.push(rom);
        RemoteObject<ReducedBasis> b = pool.push(basis)) {
      if (progress == null) {
        results = pool.map(new ComputeErrors(), mus, f, r, b);
      } else {
        results = new ArrayList<>(mus.size());
        int batch = 2 * pool.size();
        for (int from = 0; from < mus.size(); from += batch) {
          int to = Math.min(mus.size(), from + batch);
          results.addAll(pool.map(new ComputeErrors(), mus.subList(from, to), f, r, b));
          progress.accept(to);
        }
      }
      double maxError = 0;
      for (TestResult t : results) {
        maxError = Math.max(maxError, t.h1Error());
      }
      step.figure("max_error", maxError);
    }
    return new ErrorAnalysisResult(mus, results, (System.nanoTime() - tic) / 1e9);
  }

  /**
   * Computes the errors for one test parameter (serial building block of {@link #run}).
   *
   * @param fom the full-order model
   * @param rom the reduced model
   * @param basis the reduced basis of {@code rom}
   * @param mu the parameter; not modified
   * @return the result
   */
  public static TestResult computeErrors(
      StationaryModel fom, ReducedModel rom, ReducedBasis basis, double[] mu) {
    double[] u = fom.solve(mu);
    double h1Norm = fom.norm(u, Product.H1_0_SEMI);
    double l2Norm = fom.norm(u, Product.L2);
    ReducedModel.Workspace ws = rom.newWorkspace();
    double estimate = rom.solveAndEstimate(mu, ws);
    double[] urb = basis.reconstruct(ws.solution());
    for (int i = 0; i < u.length; i++) {
      u[i] -= urb[i];
    }
    double h1Error = fom.norm(u, Product.H1_0_SEMI);
    double l2Error = fom.norm(u, Product.L2);
    return new TestResult(
        h1Norm, l2Norm, h1Error, l2Error, estimate, h1Error / estimate, rom.conditionNumber(mu));
  }

  /** Worker task: {@link #computeErrors} with the pushed models and basis. */
  static final class ComputeErrors implements MapTask<double[], TestResult> {
    private static final long serialVersionUID = 1L;

    @Override
    public TestResult run(WorkerContext context, double[] mu, Args args) {
      return computeErrors(
          args.get(0, StationaryModel.class),
          args.get(1, ReducedModel.class),
          args.get(2, ReducedBasis.class),
          mu);
    }
  }
}
