package org.jmor.rb.algorithms;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jmor.discretizer.models.Product;
import org.jmor.discretizer.models.StationaryModel;
import org.jmor.parallel.Args;
import org.jmor.parallel.MapTask;
import org.jmor.parallel.RemoteObject;
import org.jmor.parallel.Scatter;
import org.jmor.parallel.SplitRule;
import org.jmor.parallel.Task;
import org.jmor.parallel.WorkerContext;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.events.Recorder;
import org.jmor.rb.reductors.ExtensionException;
import org.jmor.rb.reductors.ReducedBasis;
import org.jmor.rb.reductors.ReducedModel;
import org.jmor.rb.reductors.StationaryRBReductor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weak greedy basis generation with the reduced basis error estimator as surrogate: pyMOR's {@code
 * rb_greedy(fom, reductor, training_set, use_error_estimator=True)} with {@code weak_greedy}.
 *
 * <h2>Loop</h2>
 *
 * <ol>
 *   <li>{@code rom = reductor.reduce()} (first with the current, usually empty, basis);
 *   <li>estimate {@code Delta(mu)} for every training parameter (or compute the true error, see
 *       {@link Builder#useErrorEstimator(boolean)}); {@code max_err = max Delta}; select a
 *       parameter by the {@link TieRule};
 *   <li>stop if {@code max_err <= atol} or {@code max_err / max_errs[0] <= rtol};
 *   <li>solve the full model at the selected parameter and extend the basis (stop if the extension
 *       fails, {@link ExtensionException}); rebuild the reduced model;
 *   <li>stop after {@code maxExtensions} extensions; otherwise repeat.
 * </ol>
 *
 * So with only {@code maxExtensions = m} there are exactly {@code m} sweeps and the final {@code
 * m}-dimensional model is never swept.
 *
 * <h2>Parallelism</h2>
 *
 * With a {@link WorkerPool#isParallel() parallel} pool (pyMOR's {@code if pool:}), the training set
 * is {@link WorkerPool#scatterList scattered} once and the full-order model {@link WorkerPool#push
 * pushed} once (when a worker needs it: for true errors, or for the reductor's work below); for
 * every sweep each worker estimates its contiguous slice with {@link WorkerPool#apply apply}, which
 * carries the reduced model (one transfer per worker on remote pools, shared on in-process pools,
 * one round trip per sweep), returning its local maximum and selection candidates (an empty slice
 * returns none). The driver combines them in worker order; the selected parameter and the maxima
 * are <em>identical</em> to the serial run for every pool size. The reductor's per-extension work
 * (Riesz representatives and their first Gram–Schmidt pass) also runs on the pool ({@link
 * StationaryRBReductor#reduce(WorkerPool)}), with the same results, when the pool is {@link
 * WorkerPool#isInProcess() in process}; for the workers of a remote pool that work is too
 * short-lived to pay (their JVMs never compile it), so the caller does it. The sequential pool
 * takes the serial path. Without the error estimator, the apply of each sweep also carries the
 * reduced basis.
 *
 * <p>On a pool that {@linkplain org.jmor.parallel.OnWorkerLoss#SHRINK shrinks}, a lost worker
 * changes nothing in the results: a training grid is cut into one index range per worker once, and
 * each sweep gives the ranges to the workers with {@link WorkerPool#map map} (a lost worker's range
 * runs again on a survivor); an explicit training set is scattered {@link
 * org.jmor.parallel.Scatter#RECOVERABLE recoverable}, and a sweep during which the pool shrank runs
 * again on the survivors, which then hold every slice.
 *
 * <p>A {@link CartesianGrid} training set ({@link #builder(StationaryRBReductor, CartesianGrid)})
 * is never stored or scattered: each worker receives the grid's axes and the bounds of its index
 * range and computes its parameters from their indices (mixed radix), so the memory of the greedy
 * does not grow with the training set, with the same selections as for the equivalent list.
 *
 * <pre>{@code
 * GreedyResult r = RbGreedy.builder(reductor, trainingSet).maxExtensions(5).pool(pool).run();
 * }</pre>
 */
public final class RbGreedy {

  private static final Logger LOG = LoggerFactory.getLogger(RbGreedy.class);

  private RbGreedy() {}

  /**
   * Starts the configuration of a greedy run.
   *
   * @param reductor the reductor, whose basis is extended in place
   * @param trainingSet the training parameters (copied)
   * @return a builder; defaults: no tolerances, no extension limit, Gram–Schmidt, {@link
   *     TieRule#TOLERANCE}, serial
   */
  public static Builder builder(StationaryRBReductor reductor, List<double[]> trainingSet) {
    return new Builder(reductor, trainingSet);
  }

  /**
   * Starts the configuration of a greedy run over a Cartesian training grid, e.g. {@link
   * ParameterSpace#uniformGrid(int)}. The results are identical to those for {@link
   * CartesianGrid#toList()}, but no training parameter is ever stored: the serial path computes
   * each parameter from its index, and on a parallel pool each worker gets only the bounds of its
   * index range ({@link SplitRule#BALANCED}) and computes its parameters itself, so memory does not
   * grow with the training set.
   *
   * @param reductor the reductor, whose basis is extended in place
   * @param trainingSet the training grid, at most {@link Integer#MAX_VALUE} points
   * @return a builder, with the defaults of {@link #builder(StationaryRBReductor, List)}
   * @throws IllegalArgumentException if the grid's dimension is not the model's parameter dimension
   *     or it has too many points
   */
  public static Builder builder(StationaryRBReductor reductor, CartesianGrid trainingSet) {
    return new Builder(reductor, trainingSet);
  }

  /** Configuration of one greedy run; every setter checks its argument at once. */
  public static final class Builder extends GreedyOptions<Builder> {
    private final StationaryRBReductor reductor;
    private final @Nullable List<double[]> trainingSet;
    private final @Nullable CartesianGrid grid;
    private @Nullable Double atol;
    private @Nullable Double rtol;

    private Builder(StationaryRBReductor reductor, List<double[]> trainingSet) {
      this.reductor = Objects.requireNonNull(reductor, "reductor");
      Objects.requireNonNull(trainingSet, "trainingSet");
      int q = reductor.fom().parameterDimension();
      this.trainingSet = new ArrayList<>(trainingSet.size());
      for (double[] mu : trainingSet) {
        if (mu.length != q) {
          throw new IllegalArgumentException(
              "training parameter " + Arrays.toString(mu) + " must have " + q + " components");
        }
        this.trainingSet.add(mu.clone());
      }
      this.grid = null;
    }

    private Builder(StationaryRBReductor reductor, CartesianGrid grid) {
      this.reductor = Objects.requireNonNull(reductor, "reductor");
      Objects.requireNonNull(grid, "trainingSet");
      int q = reductor.fom().parameterDimension();
      if (grid.dimension() != q) {
        throw new IllegalArgumentException(
            "training grid " + grid + " must have " + q + " components");
      }
      if (grid.size() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "training grid " + grid + " has more than " + Integer.MAX_VALUE + " points");
      }
      this.trainingSet = null;
      this.grid = grid;
    }

    /**
     * @param value stop when the maximum estimated error is {@code <= value}
     * @return this builder
     */
    public Builder atol(double value) {
      if (!(value >= 0)) {
        throw new IllegalArgumentException("atol must be >= 0, got " + value);
      }
      this.atol = value;
      return this;
    }

    /**
     * @param value stop when the maximum estimated error relative to the first one is {@code <=
     *     value}
     * @return this builder
     */
    public Builder rtol(double value) {
      if (!(value >= 0)) {
        throw new IllegalArgumentException("rtol must be >= 0, got " + value);
      }
      this.rtol = value;
      return this;
    }

    /**
     * Runs the greedy loop; the reductor's basis is extended in place.
     *
     * @return the result, including the reduced model for the final basis
     * @throws org.jmor.parallel.RemoteExecutionException if an estimate fails on a worker
     */
    public GreedyResult run() {
      return RbGreedy.run(this);
    }
  }

  private static GreedyResult run(Builder b) {
    StationaryRBReductor reductor = b.reductor;
    StationaryModel fom = reductor.fom();
    @Nullable CartesianGrid grid = b.grid;
    List<double[]> training = b.trainingSet == null ? List.of() : b.trainingSet;
    int size = grid != null ? (int) grid.size() : training.size();
    double tol = b.tieRule.relativeTolerance();
    LOG.info("Started greedy search on training set of size {}.", size);
    long tic = System.nanoTime();
    List<TrainingPoint> points = new ArrayList<>(training.size());
    for (int i = 0; i < training.size(); i++) {
      points.add(new TrainingPoint(i, training.get(i)));
    }
    List<Double> maxErrors = new ArrayList<>();
    List<Integer> maxIndices = new ArrayList<>();
    List<double[]> maxMus = new ArrayList<>();
    int extensions = 0;
    long sweepNanos = 0;
    long savedNanos = 0;
    @Nullable Checkpointer ckpt = null;
    if (size > 0 && (b.checkpoint != null || b.resume != null)) {
      ckpt = new Checkpointer(b, reductor, training, grid);
      @Nullable GreedyCheckpoint c = ckpt.resumed;
      if (c != null) {
        double[] errs = c.doubles("max_errs");
        int[] idx = c.ints("max_err_indices");
        for (int i = 0; i < errs.length; i++) {
          maxErrors.add(errs[i]);
          maxIndices.add(idx[i]);
          maxMus.add(grid != null ? grid.parameter(idx[i]) : training.get(idx[i]));
          // the same line as the stopped run printed
          LOG.info(
              "Maximum error after {} extensions: {} (mu = {})",
              i,
              errs[i],
              "{diffusion: " + Arrays.toString(maxMus.get(i)) + "}");
        }
        extensions = c.extensions();
        savedNanos = (long) (c.seconds() * 1e9);
        sweepNanos = (long) (c.sweepSeconds() * 1e9);
        LOG.info(
            "Resumed from checkpoint {} after {} extensions.",
            Objects.requireNonNull(b.resume),
            extensions);
      }
    }
    if (size == 0) {
      LOG.info("There is nothing else to do for an empty training set.");
    } else {
      boolean parallel = b.pool != null && b.pool.isParallel();
      if (parallel) {
        LOG.info(
            "Using pool of {} workers for parallel greedy search.",
            Objects.requireNonNull(b.pool).size());
      }
      @Nullable WorkerPool reducePool = b.reducePool();
      // a grid is never scattered: it is cut into one index range per worker (fixed for the
      // search), and a map gives each worker its range, so that the ranges of a worker lost on a
      // shrinking pool run again on the survivors, with the same results
      int[] bounds =
          SplitRule.BALANCED.bounds(size, parallel ? Objects.requireNonNull(b.pool).size() : 1);
      List<int[]> ranges = new ArrayList<>(bounds.length - 1);
      for (int r = 0; r + 1 < bounds.length; r++) {
        ranges.add(new int[] {bounds[r], bounds[r + 1]});
      }
      try (RemoteObject<List<TrainingPoint>> scattered =
              parallel && grid == null
                  ? Objects.requireNonNull(b.pool).scatterList(points, Scatter.RECOVERABLE)
                  : null;
          RemoteObject<StationaryModel> remoteFom =
              parallel && (!b.useErrorEstimator || reducePool != null)
                  ? Objects.requireNonNull(b.pool).push(fom)
                  : null;
          Releasing released = reductor::releaseWorkers) {
        if (ckpt != null) {
          ckpt.verify(reductor.reduce(reducePool));
          ckpt.write(
              extensions, maxErrors, maxIndices, tic - savedNanos, sweepNanos, reductor, null);
          if (b.progress != null && extensions > 0) {
            b.progress.accept(extensions); // where a resumed run stands
          }
        }
        boolean done =
            ckpt != null
                && ckpt.resumed != null
                && b.maxExtensions != null
                && extensions >= b.maxExtensions;
        if (done) {
          LOG.info("Maximum number of {} extensions reached.", b.maxExtensions);
        }
        Recorder rec = b.pool != null ? b.pool.recorder() : Recorder.off();
        while (!done) {
          try (Recorder.Step step = rec.step("extension")) {
            step.figure("extension", extensions).figure("training_set_size", size);
            ReducedModel rom;
            try (Recorder.Step r = rec.step("reduce")) {
              rom = reductor.reduce(reducePool);
              r.figure("basis_size", reductor.reducedBasis().len());
            }
            long sweepStart = System.nanoTime();
            double[] pick;
            try (Recorder.Step sweep = rec.step("sweep")) {
              sweep
                  .figure("training_set_size", size)
                  .figure("estimator", b.useErrorEstimator ? 1 : 0);
              if (grid != null) {
                pick =
                    b.useErrorEstimator
                        ? parallel
                            ? LocalMaxima.select(
                                Objects.requireNonNull(b.pool)
                                    .map(new EstimateRange(), ranges, rom, grid, tol),
                                tol)
                            : LocalMaxima.select(
                                List.of(LocalMaxima.evaluate(rom, grid, 0, size, tol)), tol)
                        : parallel
                            ? LocalMaxima.select(
                                Objects.requireNonNull(b.pool)
                                    .map(
                                        new TrueErrorRange(),
                                        ranges,
                                        Objects.requireNonNull(remoteFom),
                                        rom,
                                        reductor.reducedBasis(),
                                        b.errorNorm,
                                        grid,
                                        tol),
                                tol)
                            : LocalMaxima.select(
                                List.of(
                                    trueErrors(
                                        fom,
                                        rom,
                                        reductor.reducedBasis(),
                                        b.errorNorm,
                                        grid,
                                        0,
                                        size,
                                        tol)),
                                tol);
              } else if (b.useErrorEstimator) {
                pick =
                    parallel
                        ? estimateOnPool(
                            Objects.requireNonNull(b.pool),
                            rom,
                            Objects.requireNonNull(scattered),
                            tol)
                        : LocalMaxima.select(List.of(LocalMaxima.evaluate(rom, points, tol)), tol);
              } else {
                ReducedBasis basis = reductor.reducedBasis();
                pick =
                    parallel
                        ? trueErrorsOnPool(
                            Objects.requireNonNull(b.pool),
                            Objects.requireNonNull(remoteFom),
                            rom,
                            basis,
                            b.errorNorm,
                            Objects.requireNonNull(scattered),
                            tol)
                        : LocalMaxima.select(
                            List.of(trueErrors(fom, rom, basis, b.errorNorm, points, tol)), tol);
              }
              sweep.figure("max_error", pick[1]);
            }
            sweepNanos += System.nanoTime() - sweepStart;
            int index = (int) pick[0];
            double maxErr = pick[1];
            step.figure("max_error", maxErr).figure("max_error_index", index);
            double[] mu = grid != null ? grid.parameter(index) : training.get(index);
            maxErrors.add(maxErr);
            maxIndices.add(index);
            maxMus.add(mu);
            LOG.info(
                "Maximum error after {} extensions: {} (mu = {})",
                extensions,
                maxErr,
                "{diffusion: " + Arrays.toString(mu) + "}");
            if (b.atol != null && maxErr <= b.atol) {
              LOG.info("Absolute error tolerance ({}) reached! Stopping extension loop.", b.atol);
              break;
            }
            if (b.rtol != null && maxErr / maxErrors.get(0) <= b.rtol) {
              LOG.info("Relative error tolerance ({}) reached! Stopping extension loop.", b.rtol);
              break;
            }
            try {
              double[] u;
              try (Recorder.Step solve = rec.step("solve")) {
                u = fom.solve(mu);
              }
              reductor.extendBasis(u, b.extension);
            } catch (ExtensionException e) {
              LOG.info("Extension failed. Stopping now.");
              break;
            }
            extensions++;
            ReducedModel extended;
            try (Recorder.Step r = rec.step("reduce")) {
              extended = reductor.reduce(reducePool);
              r.figure("basis_size", reductor.reducedBasis().len());
            }
            if (ckpt != null) {
              ckpt.write(
                  extensions,
                  maxErrors,
                  maxIndices,
                  tic - savedNanos,
                  sweepNanos,
                  reductor,
                  extended);
            }
            if (b.progress != null) {
              b.progress.accept(extensions);
            }
            if (b.maxExtensions != null && extensions >= b.maxExtensions) {
              LOG.info("Maximum number of {} extensions reached.", b.maxExtensions);
              break;
            }
          }
        }
      }
    }
    ReducedModel rom = reductor.reduce();
    double seconds = (System.nanoTime() - tic + savedNanos) / 1e9;
    LOG.info("Greedy search took {} seconds", seconds);
    return new GreedyResult(
        maxErrors.stream().mapToDouble(Double::doubleValue).toArray(),
        maxIndices.stream().mapToInt(Integer::intValue).toArray(),
        maxMus,
        extensions,
        seconds,
        sweepNanos / 1e9,
        size,
        rom,
        reductor.reducedBasis());
  }

  /*
   * The reduced model (and basis) of a sweep go to the workers as arguments of the one apply
   * that uses them, not pushed: the same transfer (once per worker on remote pools, none on
   * in-process pools) without the two extra round trips of push and remove.
   */
  private static double[] estimateOnPool(
      WorkerPool pool, ReducedModel rom, RemoteObject<List<TrainingPoint>> slices, double tol) {
    List<LocalMaxima> parts;
    int workers;
    do {
      // a worker lost during the apply (a shrinking pool) takes its part with it; its slice is on
      // a survivor again afterwards, so the sweep runs once more (same result)
      workers = pool.size();
      parts = pool.apply(new EstimateSlice(), rom, slices, tol);
    } while (pool.size() != workers);
    return LocalMaxima.select(parts, tol);
  }

  private static double[] trueErrorsOnPool(
      WorkerPool pool,
      RemoteObject<StationaryModel> remoteFom,
      ReducedModel rom,
      ReducedBasis basis,
      Product norm,
      RemoteObject<List<TrainingPoint>> slices,
      double tol) {
    List<LocalMaxima> parts;
    int workers;
    do {
      workers = pool.size(); // see estimateOnPool
      parts = pool.apply(new TrueErrorSlice(), remoteFom, rom, basis, norm, slices, tol);
    } while (pool.size() != workers);
    return LocalMaxima.select(parts, tol);
  }

  /** {@code ||u(mu) - V u_N(mu)||} for every point of the slice. */
  static LocalMaxima trueErrors(
      StationaryModel fom,
      ReducedModel rom,
      ReducedBasis basis,
      Product norm,
      List<TrainingPoint> slice,
      double tol) {
    int[] index = new int[slice.size()];
    double[] err = new double[slice.size()];
    for (int i = 0; i < err.length; i++) {
      TrainingPoint p = slice.get(i);
      double[] u = fom.solve(p.mu());
      double[] urb = basis.reconstruct(rom.solve(p.mu()));
      for (int k = 0; k < u.length; k++) {
        u[k] -= urb[k];
      }
      index[i] = p.index();
      err[i] = fom.norm(u, norm);
    }
    return LocalMaxima.fromEstimates(index, err, tol);
  }

  /** {@code ||u(mu) - V u_N(mu)||} for the points {@code from <= p < to} of the grid. */
  static LocalMaxima trueErrors(
      StationaryModel fom,
      ReducedModel rom,
      ReducedBasis basis,
      Product norm,
      CartesianGrid grid,
      int from,
      int to,
      double tol) {
    double[] mu = new double[grid.dimension()];
    LocalMaxima.Scan scan = new LocalMaxima.Scan(tol);
    for (int p = from; p < to; p++) {
      grid.parameter(p, mu);
      double[] u = fom.solve(mu);
      double[] urb = basis.reconstruct(rom.solve(mu));
      for (int k = 0; k < u.length; k++) {
        u[k] -= urb[k];
      }
      scan.add(p, fom.norm(u, norm));
    }
    return scan.result();
  }

  /**
   * Map task: estimates the points of one index range {@code [range[0], range[1])} of the training
   * grid, computing each parameter from its index. Arguments: the reduced model, the grid, the tie
   * tolerance.
   */
  static final class EstimateRange implements MapTask<int[], LocalMaxima> {
    private static final long serialVersionUID = 1L;

    @Override
    public LocalMaxima run(WorkerContext context, int[] range, Args args) {
      return LocalMaxima.evaluate(
          args.get(0, ReducedModel.class),
          args.get(1, CartesianGrid.class),
          range[0],
          range[1],
          args.get(2, Double.class));
    }
  }

  /**
   * Map task: true errors of one index range {@code [range[0], range[1])} of the training grid.
   * Arguments: the full-order model, the reduced model, its basis, the error norm, the grid, the
   * tie tolerance.
   */
  static final class TrueErrorRange implements MapTask<int[], LocalMaxima> {
    private static final long serialVersionUID = 1L;

    @Override
    public LocalMaxima run(WorkerContext context, int[] range, Args args) {
      return trueErrors(
          args.get(0, StationaryModel.class),
          args.get(1, ReducedModel.class),
          args.get(2, ReducedBasis.class),
          args.get(3, Product.class),
          args.get(4, CartesianGrid.class),
          range[0],
          range[1],
          args.get(5, Double.class));
    }
  }

  /**
   * Worker task: true errors of this worker's slice. Arguments: the full-order model, the reduced
   * model, its basis, the error norm, the slice, the tie tolerance.
   */
  static final class TrueErrorSlice implements Task<LocalMaxima> {
    private static final long serialVersionUID = 1L;

    @Override
    public LocalMaxima run(WorkerContext context, Args args) {
      return trueErrors(
          args.get(0, StationaryModel.class),
          args.get(1, ReducedModel.class),
          args.get(2, ReducedBasis.class),
          args.get(3, Product.class),
          args.get(4),
          args.get(5, Double.class));
    }
  }

  /**
   * Worker task: estimates this worker's slice of the training set with the pushed reduced model.
   * Arguments: the reduced model, the slice, the tie tolerance.
   */
  static final class EstimateSlice implements Task<LocalMaxima> {
    private static final long serialVersionUID = 1L;

    @Override
    public LocalMaxima run(WorkerContext context, Args args) {
      ReducedModel rom = args.get(0, ReducedModel.class);
      List<TrainingPoint> slice = args.get(1);
      double tol = args.get(2, Double.class);
      return LocalMaxima.evaluate(rom, slice, tol);
    }
  }

  /** Checkpoints of a weak greedy run: the options, the resumed state, and the writes. */
  private static final class Checkpointer {
    private final Builder b;
    private final String digest;
    private final Map<String, String> options;
    final @Nullable GreedyCheckpoint resumed;
    private boolean verified;

    Checkpointer(
        Builder b,
        StationaryRBReductor reductor,
        List<double[]> training,
        @Nullable CartesianGrid grid) {
      this.b = b;
      this.digest = b.modelDigest(reductor.fom());
      this.options = b.commonOptions(reductor);
      options.put("training_set", trainingSetDescription(training, grid));
      options.put("atol", String.valueOf(b.atol));
      options.put("rtol", String.valueOf(b.rtol));
      @Nullable Path file = b.resume;
      resumed =
          file == null
              ? null
              : GreedyCheckpoint.resumeInto(
                  file, GreedyCheckpoint.WEAK_GREEDY, digest, options, reductor);
      verified = resumed == null;
    }

    /** Checks the reduced model rebuilt from a resumed basis against the saved digest. */
    void verify(ReducedModel rom) {
      GreedyCheckpoint c = resumed;
      @Nullable Path file = b.resume;
      if (verified || c == null || file == null) {
        return;
      }
      verified = true;
      c.requireSameReducedModel(file, rom);
    }

    void write(
        int extensions,
        List<Double> maxErrors,
        List<Integer> maxIndices,
        long startNanos,
        long sweepNanos,
        StationaryRBReductor reductor,
        @Nullable ReducedModel rom) {
      CheckpointFile file = b.checkpoint;
      if (file == null) {
        return;
      }
      Map<String, Object> sections = new LinkedHashMap<>();
      sections.put("max_errs", maxErrors.stream().mapToDouble(Double::doubleValue).toArray());
      sections.put("max_err_indices", maxIndices.stream().mapToInt(Integer::intValue).toArray());
      file.write(
          () ->
              new GreedyCheckpoint(
                  GreedyCheckpoint.WEAK_GREEDY,
                  digest,
                  options,
                  extensions,
                  (System.nanoTime() - startNanos) / 1e9,
                  sweepNanos / 1e9,
                  sections,
                  reductor.basisState(),
                  GreedyCheckpoint.digestOf(rom != null ? rom : reductor.reduce())));
    }
  }

  /**
   * The training set as the checkpoint records it: a grid by its axes (exact decimal values), a
   * list by its size and the SHA-256 of its values.
   */
  static String trainingSetDescription(List<double[]> training, @Nullable CartesianGrid grid) {
    if (grid != null) {
      StringBuilder sb = new StringBuilder("grid");
      for (int q = 0; q < grid.dimension(); q++) {
        sb.append(q == 0 ? " " : " x ").append(Arrays.toString(grid.axis(q)));
      }
      return sb.toString();
    }
    java.security.MessageDigest md = GreedyCheckpoint.sha256();
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8);
    for (double[] mu : training) {
      md.update(buf.clear().putLong(mu.length).array());
      for (double x : mu) {
        md.update(buf.clear().putLong(Double.doubleToRawLongBits(x)).array());
      }
    }
    return "list of "
        + training.size()
        + " parameters, SHA-256 "
        + GreedyCheckpoint.hex(md.digest());
  }
}
