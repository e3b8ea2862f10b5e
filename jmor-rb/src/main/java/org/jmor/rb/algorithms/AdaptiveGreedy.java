package org.jmor.rb.algorithms;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jmor.discretizer.models.Product;
import org.jmor.discretizer.models.StationaryModel;
import org.jmor.parallel.Args;
import org.jmor.parallel.RemoteObject;
import org.jmor.parallel.Scatter;
import org.jmor.parallel.Task;
import org.jmor.parallel.WorkerContext;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.events.Recorder;
import org.jmor.random.Pcg64;
import org.jmor.rb.reductors.ExtensionException;
import org.jmor.rb.reductors.ReducedBasis;
import org.jmor.rb.reductors.ReducedModel;
import org.jmor.rb.reductors.StationaryRBReductor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weak greedy basis generation with an adaptively refined training set (Haasdonk, Dihlmann and
 * Ohlberger 2011): pyMOR's {@code rb_adaptive_greedy} with {@code adaptive_weak_greedy} ({@code
 * pymor.algorithms.adaptivegreedy}), step for step and draw for draw.
 *
 * <h2>Loop</h2>
 *
 * The training set is the vertex set of an {@link AdaptiveSampleSet} (initially the {@code 2^Q}
 * corners of the parameter box); the validation set is either {@code n} random parameters drawn
 * once ({@link Builder#validationMus(int) validationMus} {@code n > 0}) or the centres of the
 * current cells followed by {@code -n} random parameters, drawn anew after every refinement ({@code
 * n <= 0}). Each step:
 *
 * <ol>
 *   <li>estimate the error on the training set; {@code max_err} is the maximum, its parameter is
 *       selected by the {@link TieRule};
 *   <li>estimate the error on the validation set, {@code max_val_err};
 *   <li>if {@code max_val_err >= rho * max_err} (overfitting): estimate the error at the cell
 *       centres; for every leaf cell the indicator {@code gamma * volume / total_volume *
 *       (refinement count - creation time) + max(max over its vertices, centre error) / max_err};
 *       refine the {@code max(floor(theta * cells), 1)} cells with the largest indicators (order by
 *       the tie rule, see {@link #refinementOrder}); draw a new validation set if {@code n <= 0};
 *       go to 1;
 *   <li>record {@code max_err}, {@code max_val_err}, the number of refinements of this step and the
 *       training-set size; stop if {@code max_err <= targetError};
 *   <li>solve the full model at the selected parameter and extend the basis (stop if the extension
 *       fails); stop after {@code maxExtensions} extensions; otherwise repeat.
 * </ol>
 *
 * The random draws are pyMOR's: the initial validation set, then one set after each refinement
 * (only for {@code n <= 0}), all from the given generator, so that a run that shares pyMOR's
 * generator (e.g. {@code Pcg64.defaultRng(42)}, also used afterwards for the test parameters) draws
 * the same numbers.
 *
 * <h2>Parallelism</h2>
 *
 * With a {@link WorkerPool#isParallel() parallel} pool the estimates run on the workers. The
 * training set only grows (refinement appends vertices), so it lives on the workers as a list of
 * scattered chunks: the initial vertices, then the new vertices of each refinement; each refinement
 * scatters only its new points. The validation set is scattered when it is drawn (it changes only
 * at a refinement). Each estimate is one {@link WorkerPool#apply apply} that carries the reduced
 * model and returns every value with its index (pyMOR's {@code return_all_values=True}), so the
 * selections are made on the driver over the complete arrays and are identical on every pool. As in
 * {@link RbGreedy}, the reductor's per-extension work runs on the pool only when the pool is {@link
 * WorkerPool#isInProcess() in process}.
 */
public final class AdaptiveGreedy {

  private static final Logger LOG = LoggerFactory.getLogger(AdaptiveGreedy.class);

  private AdaptiveGreedy() {}

  /**
   * Starts the configuration of an adaptive greedy run.
   *
   * @param reductor the reductor, whose basis is extended in place
   * @param space the parameter space whose cells are refined
   * @param rng the generator of the random validation parameters (advanced as pyMOR's global RNG)
   * @return a builder with pyMOR's defaults: {@code validationMus = 0}, {@code rho = 1.1}, {@code
   *     gamma = 0.2}, {@code theta = 0}, no target error, no extension limit, Gram–Schmidt, {@link
   *     TieRule#TOLERANCE}, serial
   */
  public static Builder builder(StationaryRBReductor reductor, ParameterSpace space, Pcg64 rng) {
    return new Builder(reductor, space, rng);
  }

  /** Configuration of one run; every setter checks its argument at once. */
  public static final class Builder extends GreedyOptions<Builder> {
    private final StationaryRBReductor reductor;
    private final ParameterSpace space;
    private final Pcg64 rng;
    private int validationMus;
    private double rho = 1.1;
    private double gamma = 0.2;
    private double theta = 0.0;
    private @Nullable Double targetError;

    private Builder(StationaryRBReductor reductor, ParameterSpace space, Pcg64 rng) {
      this.reductor = Objects.requireNonNull(reductor, "reductor");
      this.space = Objects.requireNonNull(space, "space");
      this.rng = Objects.requireNonNull(rng, "rng");
      if (space.dimension() != reductor.fom().parameterDimension()) {
        throw new IllegalArgumentException(
            "parameter space "
                + space
                + " must have "
                + reductor.fom().parameterDimension()
                + " components");
      }
      if (space.dimension() > 16) {
        throw new IllegalArgumentException(
            "the adaptive greedy needs 2^Q training parameters for Q = "
                + space.dimension()
                + " components: at most 16 components");
      }
    }

    /**
     * pyMOR's {@code validation_mus} as a number: {@code n > 0} random validation parameters drawn
     * once, or for {@code n <= 0} the cell centres plus {@code -n} random parameters, drawn anew
     * after every refinement. (The demo passes {@code -SNAPSHOTS}.)
     *
     * @param value {@code n}
     * @return this builder
     */
    public Builder validationMus(int value) {
      if (value == Integer.MIN_VALUE) {
        throw new IllegalArgumentException("validationMus out of range: " + value);
      }
      this.validationMus = value;
      return this;
    }

    /**
     * @param value refine when the maximum validation error is {@code >= value} times the maximum
     *     training error, {@code > 0}
     * @return this builder
     */
    public Builder rho(double value) {
      if (!(value > 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException("rho must be a finite number > 0, got " + value);
      }
      this.rho = value;
      return this;
    }

    /**
     * @param value weight of the age penalty of the refinement indicators, {@code >= 0}
     * @return this builder
     */
    public Builder gamma(double value) {
      if (!(value >= 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException("gamma must be a finite number >= 0, got " + value);
      }
      this.gamma = value;
      return this;
    }

    /**
     * @param value fraction of the cells refined at a time, {@code 0 <= value <= 1} (at least one
     *     cell is always refined)
     * @return this builder
     */
    public Builder theta(double value) {
      if (!(value >= 0 && value <= 1)) {
        throw new IllegalArgumentException("theta must be in [0, 1], got " + value);
      }
      this.theta = value;
      return this;
    }

    /**
     * @param value stop when the maximum training error is {@code <= value}
     * @return this builder
     */
    public Builder targetError(double value) {
      if (!(value >= 0)) {
        throw new IllegalArgumentException("targetError must be >= 0, got " + value);
      }
      this.targetError = value;
      return this;
    }

    /**
     * Runs the algorithm; the reductor's basis is extended in place and {@code rng} is advanced.
     *
     * @return the result, including the reduced model for the final basis
     * @throws org.jmor.parallel.RemoteExecutionException if an estimate fails on a worker
     */
    public AdaptiveGreedyResult run() {
      return AdaptiveGreedy.run(this);
    }
  }

  // ------------------------------------------------------------------ the algorithm

  private static AdaptiveGreedyResult run(Builder b) {
    StationaryRBReductor reductor = b.reductor;
    StationaryModel fom = reductor.fom();
    double tol = b.tieRule.relativeTolerance();
    boolean parallel = b.pool != null && b.pool.isParallel();
    if (parallel) {
      LOG.info(
          "Using pool of {} workers for parallel greedy search.",
          Objects.requireNonNull(b.pool).size());
    }
    long tic = System.nanoTime();
    AdaptiveSampleSet sampleSet = new AdaptiveSampleSet(b.space);
    List<int[]> refined = new ArrayList<>();
    @Nullable Checkpointer ckpt =
        b.checkpoint != null || b.resume != null ? new Checkpointer(b, reductor) : null;
    @Nullable GreedyCheckpoint resumed = ckpt == null ? null : ckpt.resumed;
    List<double[]> validation;
    if (resumed != null) {
      int[] counts = resumed.ints("refined_cell_counts");
      int[] cells = resumed.ints("refined_cells");
      for (int i = 0, at = 0; i < counts.length; at += counts[i], i++) {
        int[] selected = Arrays.copyOfRange(cells, at, at + counts[i]);
        sampleSet.refine(selected);
        refined.add(selected);
      }
      validation = unflatten(resumed.doubles("validation_set"), b.space.dimension());
      b.rng.restoreState(resumed.longs("rng_state"));
    } else {
      validation = validationSet(b, sampleSet);
    }
    LOG.info(
        "Training set size: {}. Validation set size: {}",
        sampleSet.vertexCount(),
        validation.size());

    List<Double> maxErrs = new ArrayList<>();
    List<double[]> maxErrMus = new ArrayList<>();
    List<Double> maxValErrs = new ArrayList<>();
    List<double[]> maxValErrMus = new ArrayList<>();
    List<Integer> refinements = new ArrayList<>();
    List<Integer> trainingSizes = new ArrayList<>();
    List<Integer> validationSizes = new ArrayList<>();
    int extensions = 0;
    long savedNanos = 0;
    @Nullable WorkerPool reducePool = b.reducePool();
    if (resumed != null) {
      int q = b.space.dimension();
      for (double x : resumed.doubles("max_errs")) {
        maxErrs.add(x);
      }
      maxErrMus.addAll(unflatten(resumed.doubles("max_err_mus"), q));
      for (double x : resumed.doubles("max_val_errs")) {
        maxValErrs.add(x);
      }
      double[] valMus = resumed.doubles("max_val_err_mus");
      for (int i = 0, at = 0, len; i < maxValErrs.size(); at += len, i++) {
        len = resumed.ints("max_val_err_mu_lengths")[i];
        maxValErrMus.add(Arrays.copyOfRange(valMus, at, at + len));
      }
      for (int x : resumed.ints("refinements")) {
        refinements.add(x);
      }
      for (int x : resumed.ints("training_set_sizes")) {
        trainingSizes.add(x);
      }
      for (int x : resumed.ints("validation_set_sizes")) {
        validationSizes.add(x);
      }
      extensions = resumed.extensions();
      savedNanos = (long) (resumed.seconds() * 1e9);
      LOG.info(
          "Resumed from checkpoint {} after {} extensions.",
          Objects.requireNonNull(b.resume),
          extensions);
    }

    try (Estimator est =
            parallel
                ? new PoolEstimator(Objects.requireNonNull(b.pool), fom, b)
                : new SerialEstimator(fom, b);
        Releasing released = reductor::releaseWorkers) {
      est.appendTraining(sampleSet.vertexParameters());
      est.setValidation(validation);
      Record record =
          new Record(
              maxErrs,
              maxErrMus,
              maxValErrs,
              maxValErrMus,
              refinements,
              trainingSizes,
              validationSizes,
              refined);
      boolean done = false;
      if (ckpt != null) {
        ckpt.verify(reductor.reduce(reducePool));
        ckpt.write(extensions, record, validation, tic - savedNanos, reductor, null);
        if (b.progress != null && extensions > 0) {
          b.progress.accept(extensions); // where a resumed run stands
        }
        done = resumed != null && b.maxExtensions != null && extensions >= b.maxExtensions;
        if (done) {
          LOG.info("Maximum number of {} extensions reached.", b.maxExtensions);
        }
      }
      Recorder rec = b.pool != null ? b.pool.recorder() : Recorder.off();
      while (!done) {
        try (Recorder.Step step = rec.step("extension")) {
          step.figure("extension", extensions);
          int currentRefinements = 0;
          double maxErr;
          double[] maxErrMu;
          double maxValErr;
          double[] maxValErrMu;
          while (true) {
            ReducedModel rom;
            try (Recorder.Step r = rec.step("reduce")) {
              rom = reductor.reduce(reducePool);
              r.figure("basis_size", reductor.reducedBasis().len());
            }
            ReducedBasis basis = reductor.reducedBasis();
            LOG.info("Estimating errors ...");
            double[] errors;
            try (Recorder.Step sweep = rec.step("sweep")) {
              sweep.figure("training_set_size", sampleSet.vertexCount());
              errors = est.training(rom, basis);
            }
            int maxInd = pick(errors, tol);
            maxErr = errors[maxInd];
            maxErrMu = sampleSet.vertexParameter(maxInd);
            LOG.info(
                "Maximum error after {} extensions: {} (mu = {})",
                extensions,
                repr(maxErr),
                format(maxErrMu));

            double[] valErrors;
            try (Recorder.Step sweep = rec.step("validation sweep")) {
              sweep.figure("validation_set_size", validation.size());
              valErrors = est.validation(rom, basis);
            }
            int valInd = valErrors.length == 0 ? -1 : pick(valErrors, tol);
            // pyMOR's surrogate returns (-1., None) for an empty validation set
            maxValErr = valInd < 0 ? -1.0 : valErrors[valInd];
            maxValErrMu = valInd < 0 ? new double[0] : validation.get(valInd).clone();
            LOG.info("Maximum validation error: {}", repr(maxValErr));
            LOG.info(
                "Validation error to training error ratio: {}",
                String.format(Locale.ROOT, "%.3e", maxValErr / maxErr));

            if (!(maxValErr >= maxErr * b.rho)) {
              break; // no overfitting
            }
            if (currentRefinements == 0) {
              LOG.info("Overfitting detected. Computing element indicators ...");
            } else {
              LOG.info("Overfitting detected after refinement. Computing element indicators ...");
            }
            int cells = sampleSet.leafCount();
            double[] centerErrors =
                b.validationMus <= 0
                    // the validation set starts with the centres: the same estimates, already made
                    ? Arrays.copyOf(valErrors, cells)
                    : est.once(sampleSet.centerParameters(), rom, basis);
            double[] indicators = indicators(sampleSet, errors, centerErrors, maxErr, b.gamma);
            int count = Math.max((int) (cells * b.theta), 1);
            int[] selected = Arrays.copyOf(refinementOrder(indicators, tol), count);
            LOG.info("Refining {} elements: {}", count, numpyFormat(selected));
            int before = sampleSet.vertexCount();
            sampleSet.refine(selected);
            refined.add(selected.clone());
            currentRefinements++;
            List<double[]> added = new ArrayList<>();
            for (int i = before; i < sampleSet.vertexCount(); i++) {
              added.add(sampleSet.vertexParameter(i));
            }
            est.appendTraining(added);
            if (b.validationMus <= 0) {
              validation = validationSet(b, sampleSet);
              est.setValidation(validation);
            }
            LOG.info(
                "New training set size: {}. New validation set size: {}",
                sampleSet.vertexCount(),
                validation.size());
            LOG.info("Number of refinements: {}", sampleSet.refinementCount());
          }
          maxErrs.add(maxErr);
          maxErrMus.add(maxErrMu);
          maxValErrs.add(maxValErr);
          maxValErrMus.add(maxValErrMu);
          refinements.add(currentRefinements);
          trainingSizes.add(sampleSet.vertexCount());
          validationSizes.add(validation.size());
          step.figure("max_error", maxErr)
              .figure("max_validation_error", maxValErr)
              .figure("training_set_size", sampleSet.vertexCount())
              .figure("refinements", currentRefinements);

          if (b.targetError != null && maxErr <= b.targetError) {
            LOG.info(
                "Reached maximal error on snapshots of {} <= {}",
                repr(maxErr),
                repr(b.targetError));
            break;
          }
          LOG.info("Extending surrogate for mu = {} ...", format(maxErrMu));
          try {
            double[] u;
            try (Recorder.Step solve = rec.step("solve")) {
              u = fom.solve(maxErrMu);
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
            ckpt.write(extensions, record, validation, tic - savedNanos, reductor, extended);
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
    ReducedModel rom = reductor.reduce();
    double seconds = (System.nanoTime() - tic + savedNanos) / 1e9;
    LOG.info("Greedy search took {} seconds", seconds);
    return new AdaptiveGreedyResult(
        maxErrs.stream().mapToDouble(Double::doubleValue).toArray(),
        maxErrMus,
        maxValErrs.stream().mapToDouble(Double::doubleValue).toArray(),
        maxValErrMus,
        refinements.stream().mapToInt(Integer::intValue).toArray(),
        trainingSizes.stream().mapToInt(Integer::intValue).toArray(),
        validationSizes.stream().mapToInt(Integer::intValue).toArray(),
        extensions,
        seconds,
        rom,
        reductor.reducedBasis());
  }

  /** The record of a run, as lists that the loop appends to. */
  private record Record(
      List<Double> maxErrs,
      List<double[]> maxErrMus,
      List<Double> maxValErrs,
      List<double[]> maxValErrMus,
      List<Integer> refinements,
      List<Integer> trainingSizes,
      List<Integer> validationSizes,
      List<int[]> refined) {}

  private static double[] flatten(List<double[]> rows) {
    return rows.stream().flatMapToDouble(Arrays::stream).toArray();
  }

  private static List<double[]> unflatten(double[] flat, int width) {
    List<double[]> out = new ArrayList<>(flat.length / width);
    for (int at = 0; at + width <= flat.length; at += width) {
      out.add(Arrays.copyOfRange(flat, at, at + width));
    }
    return out;
  }

  private static int[] ints(List<Integer> xs) {
    return xs.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Checkpoints of an adaptive greedy run: the options, the resumed state, and the writes. */
  private static final class Checkpointer {
    private final Builder b;
    private final String digest;
    private final Map<String, String> options;
    final @Nullable GreedyCheckpoint resumed;
    private boolean verified;

    Checkpointer(Builder b, StationaryRBReductor reductor) {
      this.b = b;
      this.digest = b.modelDigest(reductor.fom());
      this.options = b.commonOptions(reductor);
      options.put(
          "parameter_space",
          b.space.dimension() + " components in [" + b.space.low() + ", " + b.space.high() + "]");
      options.put("validation_mus", Integer.toString(b.validationMus));
      options.put("rho", Double.toString(b.rho));
      options.put("gamma", Double.toString(b.gamma));
      options.put("theta", Double.toString(b.theta));
      options.put("target_error", String.valueOf(b.targetError));
      StringBuilder state = new StringBuilder();
      for (long w : b.rng.fullState()) {
        state.append(state.length() == 0 ? "" : " ").append(Long.toHexString(w));
      }
      options.put("generator_state_at_start", state.toString());
      @Nullable Path file = b.resume;
      resumed =
          file == null
              ? null
              : GreedyCheckpoint.resumeInto(
                  file, GreedyCheckpoint.ADAPTIVE_GREEDY, digest, options, reductor);
      verified = resumed == null;
    }

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
        Record r,
        List<double[]> validation,
        long startNanos,
        StationaryRBReductor reductor,
        @Nullable ReducedModel rom) {
      CheckpointFile file = b.checkpoint;
      if (file == null) {
        return;
      }
      Map<String, Object> sections = new LinkedHashMap<>();
      sections.put("max_errs", r.maxErrs().stream().mapToDouble(Double::doubleValue).toArray());
      sections.put("max_err_mus", flatten(r.maxErrMus()));
      sections.put(
          "max_val_errs", r.maxValErrs().stream().mapToDouble(Double::doubleValue).toArray());
      sections.put("max_val_err_mus", flatten(r.maxValErrMus()));
      sections.put(
          "max_val_err_mu_lengths", r.maxValErrMus().stream().mapToInt(m -> m.length).toArray());
      sections.put("refinements", ints(r.refinements()));
      sections.put("training_set_sizes", ints(r.trainingSizes()));
      sections.put("validation_set_sizes", ints(r.validationSizes()));
      sections.put("refined_cell_counts", r.refined().stream().mapToInt(a -> a.length).toArray());
      sections.put("refined_cells", r.refined().stream().flatMapToInt(Arrays::stream).toArray());
      sections.put("validation_set", flatten(validation));
      sections.put("rng_state", b.rng.fullState());
      file.write(
          () ->
              new GreedyCheckpoint(
                  GreedyCheckpoint.ADAPTIVE_GREEDY,
                  digest,
                  options,
                  extensions,
                  (System.nanoTime() - startNanos) / 1e9,
                  0.0,
                  sections,
                  reductor.basisState(),
                  GreedyCheckpoint.digestOf(rom != null ? rom : reductor.reduce())));
    }
  }

  /** pyMOR's validation set: centres plus {@code -n} random ones, or {@code n} random ones. */
  private static List<double[]> validationSet(Builder b, AdaptiveSampleSet sampleSet) {
    if (b.validationMus <= 0) {
      List<double[]> v = sampleSet.centerParameters();
      v.addAll(b.space.sampleRandomly(-b.validationMus, b.rng));
      return v;
    }
    return b.space.sampleRandomly(b.validationMus, b.rng);
  }

  /** The selected index by the tie rule: the first value {@code >= (1 - tol) max}. */
  static int pick(double[] values, double tol) {
    int[] idx = new int[values.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
      if (Double.isNaN(values[i])) {
        throw new ArithmeticException("error estimate is NaN at parameter " + i);
      }
    }
    return (int) LocalMaxima.select(List.of(LocalMaxima.fromEstimates(idx, values, tol)), tol)[0];
  }

  /**
   * pyMOR's refinement indicators: {@code (gamma * volume / total_volume) * age + max(vertex
   * errors, centre error) / max_err}, in pyMOR's order of operations.
   */
  static double[] indicators(
      AdaptiveSampleSet set, double[] errors, double[] centerErrors, double maxErr, double gamma) {
    int cells = set.leafCount();
    double[] volumes = set.volumes();
    int[] created = set.creationTimes();
    double total = set.totalVolume();
    int count = set.refinementCount();
    double[] out = new double[cells];
    for (int i = 0; i < cells; i++) {
      double vertexError = Double.NEGATIVE_INFINITY;
      for (int v : set.leafVertexIds(i)) {
        vertexError = Math.max(vertexError, errors[v]);
      }
      double age = gamma * volumes[i] / total * (double) (count - created[i]);
      double error = Math.max(vertexError, centerErrors[i]) / maxErr;
      out[i] = age + error;
    }
    return out;
  }

  /**
   * The cells in order of refinement preference. With {@code tol > 0} ({@link TieRule#TOLERANCE}):
   * repeatedly the first remaining cell (leaf order) whose indicator is {@code >= (1 - tol)} times
   * the largest remaining one, so that cells whose indicators differ only by round-off (mirror
   * images) are taken in leaf order. With {@code tol = 0} ({@link TieRule#FIRST_MAXIMUM}): pyMOR's
   * {@code argsort(indicators)[::-1]}, i.e. descending values and, among exactly equal values, the
   * last cell first (numpy's sort is stable for the cell counts that occur with {@code theta = 0}).
   */
  static int[] refinementOrder(double[] indicators, double tol) {
    int n = indicators.length;
    for (double v : indicators) {
      if (Double.isNaN(v)) {
        throw new ArithmeticException(
            "refinement indicator is NaN: " + Arrays.toString(indicators));
      }
    }
    int[] order = new int[n];
    if (tol == 0.0) {
      Integer[] boxed = new Integer[n];
      for (int i = 0; i < n; i++) {
        boxed[i] = i;
      }
      // ascending stable sort, reversed
      Arrays.sort(boxed, (a, c) -> Double.compare(indicators[a], indicators[c]));
      for (int i = 0; i < n; i++) {
        order[i] = boxed[n - 1 - i];
      }
      return order;
    }
    boolean[] taken = new boolean[n];
    for (int k = 0; k < n; k++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        if (!taken[i]) {
          max = Math.max(max, indicators[i]);
        }
      }
      double threshold = (1 - tol) * max;
      for (int i = 0; i < n; i++) {
        if (!taken[i] && indicators[i] >= threshold) {
          order[k] = i;
          taken[i] = true;
          break;
        }
      }
    }
    return order;
  }

  static String format(double[] mu) {
    StringBuilder sb = new StringBuilder("{diffusion: [");
    for (int i = 0; i < mu.length; i++) {
      sb.append(i > 0 ? ", " : "").append(repr(mu[i]));
    }
    return sb.append("]}").toString();
  }

  /**
   * Python's {@code repr(float)}, as pyMOR's log lines print numbers: the digits of {@link
   * Double#toString(double)}, positional for decimal exponents {@code -4 <= e < 16} ({@code 0.55},
   * {@code 0.0001}, {@code 123.0}), otherwise {@code 1.2967887448236146e-13} or {@code 1e+16}.
   */
  static String repr(double x) {
    if (Double.isNaN(x)) {
      return "nan";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "inf" : "-inf";
    }
    if (x == 0) {
      return (1 / x < 0) ? "-0.0" : "0.0";
    }
    java.math.BigDecimal d = new java.math.BigDecimal(Double.toString(x)).stripTrailingZeros();
    int exp = d.precision() - d.scale() - 1;
    if (exp >= -4 && exp < 16) {
      String plain = d.toPlainString();
      return plain.contains(".") ? plain : plain + ".0";
    }
    String digits = d.unscaledValue().abs().toString();
    StringBuilder sb = new StringBuilder(x < 0 ? "-" : "");
    sb.append(digits.charAt(0));
    if (digits.length() > 1) {
      sb.append('.').append(digits, 1, digits.length());
    }
    sb.append('e').append(exp < 0 ? '-' : '+');
    int a = Math.abs(exp);
    return sb.append(a < 10 ? "0" : "").append(a).toString();
  }

  /**
   * numpy's {@code str()} of an integer array, as pyMOR's log prints the refined cells: elements
   * right-aligned to a common width, separated by a space, lines wrapped at 75 characters with a
   * one-space hanging indent, and arrays of more than 1000 elements summarised by their first and
   * last three ({@code [9521 9522 9523 ... 4972 4973 4978]}).
   */
  static String numpyFormat(int[] a) {
    int n = a.length;
    boolean summary = n > 1000;
    int[] shown = summary ? new int[] {a[0], a[1], a[2], a[n - 3], a[n - 2], a[n - 1]} : a;
    int width = 0;
    for (int v : shown) {
      width = Math.max(width, Integer.toString(v).length());
    }
    int lineWidth = 74; // 75 minus the closing bracket
    StringBuilder s = new StringBuilder();
    StringBuilder line = new StringBuilder(" ");
    List<String> words = new ArrayList<>();
    for (int i = 0; i < shown.length; i++) {
      if (summary && i == 3) {
        words.add("...");
      }
      words.add(String.format(Locale.ROOT, "%" + width + "d", shown[i]));
    }
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      if (line.length() + word.length() > lineWidth && line.length() > 1) {
        s.append(line.toString().stripTrailing()).append('\n');
        line = new StringBuilder(" ");
      }
      line.append(word);
      if (i < words.size() - 1) {
        line.append(' ');
      }
    }
    s.append(line);
    return "[" + s.substring(1) + "]";
  }

  // ------------------------------------------------------------------ estimates

  /** Per-point surrogate: the error estimate, or the true error in the given norm. */
  static double error(
      ReducedModel rom,
      ReducedModel.Workspace ws,
      @Nullable StationaryModel fom,
      @Nullable ReducedBasis basis,
      Product norm,
      double[] mu) {
    double e;
    if (fom == null || basis == null) {
      e = rom.solveAndEstimate(mu, ws);
    } else {
      double[] u = fom.solve(mu);
      double[] urb = basis.reconstruct(rom.solve(mu));
      for (int k = 0; k < u.length; k++) {
        u[k] -= urb[k];
      }
      e = fom.norm(u, norm);
    }
    if (Double.isNaN(e)) {
      throw new ArithmeticException("error estimate is NaN at parameter " + Arrays.toString(mu));
    }
    return e;
  }

  /** Where the estimates run: the training set (growing), the validation set, one-off sets. */
  private interface Estimator extends AutoCloseable {
    void appendTraining(List<double[]> mus);

    void setValidation(List<double[]> mus);

    double[] training(ReducedModel rom, ReducedBasis basis);

    double[] validation(ReducedModel rom, ReducedBasis basis);

    double[] once(List<double[]> mus, ReducedModel rom, ReducedBasis basis);

    @Override
    void close();
  }

  private static final class SerialEstimator implements Estimator {
    private final @Nullable StationaryModel fom;
    private final Product norm;
    private final List<double[]> training = new ArrayList<>();
    private List<double[]> validation = List.of();

    SerialEstimator(StationaryModel fom, Builder b) {
      this.fom = b.useErrorEstimator ? null : fom;
      this.norm = b.errorNorm;
    }

    @Override
    public void appendTraining(List<double[]> mus) {
      training.addAll(mus);
    }

    @Override
    public void setValidation(List<double[]> mus) {
      validation = List.copyOf(mus);
    }

    @Override
    public double[] training(ReducedModel rom, ReducedBasis basis) {
      return once(training, rom, basis);
    }

    @Override
    public double[] validation(ReducedModel rom, ReducedBasis basis) {
      return once(validation, rom, basis);
    }

    @Override
    public double[] once(List<double[]> mus, ReducedModel rom, ReducedBasis basis) {
      ReducedModel.Workspace ws = rom.newWorkspace();
      double[] out = new double[mus.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = error(rom, ws, fom, basis, norm, mus.get(i));
      }
      return out;
    }

    @Override
    public void close() {}
  }

  /**
   * The sets live on the workers as scattered chunks of indexed points; an estimate is one apply
   * over all chunks of a set, returning every (index, value) pair of the worker's slices.
   */
  private static final class PoolEstimator implements Estimator {
    private final WorkerPool pool;
    private final boolean trueErrors;
    private final Product norm;
    private final @Nullable RemoteObject<StationaryModel> remoteFom;
    private final List<RemoteObject<List<TrainingPoint>>> training = new ArrayList<>();
    private int trainingSize;
    private @Nullable RemoteObject<List<TrainingPoint>> validation;
    private int validationSize;

    PoolEstimator(WorkerPool pool, StationaryModel fom, Builder b) {
      this.pool = pool;
      this.trueErrors = !b.useErrorEstimator;
      this.norm = b.errorNorm;
      // for true errors, and for the reductor's work when it runs on this pool
      this.remoteFom = trueErrors || b.reducePool() != null ? pool.push(fom) : null;
    }

    private static List<TrainingPoint> indexed(List<double[]> mus, int first) {
      List<TrainingPoint> out = new ArrayList<>(mus.size());
      for (int i = 0; i < mus.size(); i++) {
        out.add(new TrainingPoint(first + i, mus.get(i)));
      }
      return out;
    }

    @Override
    public void appendTraining(List<double[]> mus) {
      if (mus.isEmpty()) {
        return;
      }
      training.add(pool.scatterList(indexed(mus, trainingSize), Scatter.RECOVERABLE));
      trainingSize += mus.size();
    }

    @Override
    public void setValidation(List<double[]> mus) {
      if (validation != null) {
        validation.remove();
        validation = null;
      }
      validationSize = mus.size();
      if (!mus.isEmpty()) {
        validation = pool.scatterList(indexed(mus, 0), Scatter.RECOVERABLE);
      }
    }

    private double[] estimate(
        List<RemoteObject<List<TrainingPoint>>> chunks,
        int size,
        ReducedModel rom,
        ReducedBasis basis) {
      double[] out = new double[size];
      if (size == 0) {
        return out;
      }
      Object[] args = new Object[4 + chunks.size()];
      args[0] = rom;
      args[1] = trueErrors ? remoteFom : null;
      args[2] = trueErrors ? basis : null;
      args[3] = norm;
      for (int c = 0; c < chunks.size(); c++) {
        args[4 + c] = chunks.get(c);
      }
      boolean[] seen = new boolean[size];
      List<IndexedValues> parts;
      int workers;
      do {
        // a worker lost during the apply (a shrinking pool) takes its part with it; its slices
        // are on a survivor again afterwards, so the sweep runs once more (same values)
        workers = pool.size();
        parts = pool.apply(new EstimateChunks(), args);
      } while (pool.size() != workers);
      for (IndexedValues part : parts) {
        for (int k = 0; k < part.indices().length; k++) {
          out[part.indices()[k]] = part.values()[k];
          seen[part.indices()[k]] = true;
        }
      }
      for (int i = 0; i < size; i++) {
        if (!seen[i]) {
          throw new IllegalStateException("no estimate returned for parameter " + i);
        }
      }
      return out;
    }

    @Override
    public double[] training(ReducedModel rom, ReducedBasis basis) {
      return estimate(training, trainingSize, rom, basis);
    }

    @Override
    public double[] validation(ReducedModel rom, ReducedBasis basis) {
      return validation == null
          ? new double[0]
          : estimate(List.of(validation), validationSize, rom, basis);
    }

    @Override
    public double[] once(List<double[]> mus, ReducedModel rom, ReducedBasis basis) {
      if (mus.isEmpty()) {
        return new double[0];
      }
      try (RemoteObject<List<TrainingPoint>> chunk =
          pool.scatterList(indexed(mus, 0), Scatter.RECOVERABLE)) {
        return estimate(List.of(chunk), mus.size(), rom, basis);
      }
    }

    @Override
    public void close() {
      for (RemoteObject<List<TrainingPoint>> r : training) {
        r.remove();
      }
      if (validation != null) {
        validation.remove();
      }
      if (remoteFom != null) {
        remoteFom.remove();
      }
    }
  }

  /**
   * The estimates of one worker's slices.
   *
   * @param indices the points' indices in their set
   * @param values their estimates
   */
  record IndexedValues(int[] indices, double[] values) implements java.io.Serializable {}

  /**
   * Worker task: estimates every point of this worker's slices. Arguments: the reduced model, the
   * full-order model (null for the error estimator), the basis (null for the error estimator), the
   * error norm, then the chunks of the set (scattered lists of indexed points).
   */
  static final class EstimateChunks implements Task<IndexedValues> {
    private static final long serialVersionUID = 1L;

    @Override
    public IndexedValues run(WorkerContext context, Args args) {
      ReducedModel rom = args.get(0, ReducedModel.class);
      StationaryModel fom = args.get(1);
      ReducedBasis basis = args.get(2);
      Product norm = args.get(3, Product.class);
      int n = 0;
      for (int c = 4; c < args.size(); c++) {
        n += args.<List<TrainingPoint>>get(c).size();
      }
      int[] idx = new int[n];
      double[] val = new double[n];
      ReducedModel.Workspace ws = rom.newWorkspace();
      int k = 0;
      for (int c = 4; c < args.size(); c++) {
        for (TrainingPoint p : args.<List<TrainingPoint>>get(c)) {
          idx[k] = p.index();
          val[k] = error(rom, ws, fom, basis, norm, p.mu());
          k++;
        }
      }
      return new IndexedValues(idx, val);
    }
  }
}
