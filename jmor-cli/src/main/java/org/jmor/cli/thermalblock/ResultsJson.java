package org.jmor.cli.thermalblock;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jmor.cache.CacheRegion;
import org.jmor.cache.CacheStatistics;
import org.jmor.rb.algorithms.AdaptiveGreedyResult;
import org.jmor.rb.algorithms.ErrorAnalysisResult;
import org.jmor.rb.algorithms.GreedyResult;
import org.jmor.rb.algorithms.TestResult;
import org.jspecify.annotations.Nullable;

/**
 * {@code thermalblock --json FILE}: every result of the run as one JSON object, written atomically
 * to FILE or, for {@code -}, to standard output.
 */
final class ResultsJson {
  private ResultsJson() {}

  /** The parts of the object, in their order. */
  record Results(
      int trainingSetSize,
      int basisSize,
      String reductor,
      @Nullable GreedyResult greedy,
      String algorithm,
      @Nullable Map<String, Object> algorithmJson,
      ErrorAnalysisResult analysis,
      int dofs,
      String poolKind,
      int poolSize,
      @Nullable Map<String, Object> cache,
      double totalSeconds) {}

  /** The {@code adaptive_greedy} object. */
  static Map<String, Object> adaptive(AdaptiveGreedyResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("extensions", r.extensions());
    m.put("max_errs", r.maxErrors());
    m.put("max_err_mus", r.maxErrorParameters());
    m.put("max_val_errs", r.maxValidationErrors());
    m.put("max_val_err_mus", r.maxValidationErrorParameters());
    m.put("refinements", r.refinements());
    m.put("training_set_sizes", r.trainingSetSizes());
    m.put("validation_set_sizes", r.validationSetSizes());
    m.put("time_s", r.seconds());
    return m;
  }

  /**
   * The {@code cache} object.
   *
   * @param kind the {@code --cache-region} value
   * @param directory the persistent cache's directory, or null for the other regions
   */
  static Map<String, Object> cache(CacheRegion region, String kind, @Nullable Object directory) {
    CacheStatistics st = region.statistics();
    Map<String, Object> cacheJson = new LinkedHashMap<>();
    cacheJson.put("region", kind);
    cacheJson.put("directory", directory);
    cacheJson.put("saved_solves", st.hits());
    cacheJson.put("computed_solves", st.computedCount());
    cacheJson.put("rejected_entries", st.rejectedCount());
    cacheJson.put("storage_errors", st.errorCount());
    return cacheJson;
  }

  /**
   * Writes the object: pretty-printed to {@code stdout} (then a line break, flushed) when {@code
   * file} is null, else atomically to {@code file}.
   *
   * @throws IOException if the file cannot be written
   */
  static void write(Results r, @Nullable Path file, PrintStream stdout) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("training_set_size", r.trainingSetSize());
    root.put("basis_size", r.basisSize());
    root.put("reductor", r.reductor());
    GreedyResult greedy = r.greedy();
    if (greedy != null) {
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("max_errs", greedy.maxErrors());
      g.put("max_err_mus", greedy.maxErrorParameters());
      g.put("max_err_indices", greedy.maxErrorIndices());
      g.put("time_s", greedy.seconds());
      g.put("sweep_time_s", greedy.estimationSeconds());
      root.put("greedy", g);
    } else {
      root.put("greedy", null);
    }
    if (!r.algorithm().equals("greedy")) {
      root.put(r.algorithm(), r.algorithmJson());
    }
    root.put("test", test(r.analysis()));
    root.put("dofs", r.dofs());
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("kind", r.poolKind());
    p.put("size", r.poolSize());
    root.put("pool", p);
    root.put("cache", r.cache());
    root.put("total_time_s", r.totalSeconds());
    ObjectMapper mapper = new ObjectMapper();
    mapper.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
    if (file == null) {
      mapper.writerWithDefaultPrettyPrinter().writeValue(stdout, root);
      stdout.println();
      stdout.flush();
    } else {
      Outputs.writeAtomically(
          file, o -> mapper.writerWithDefaultPrettyPrinter().writeValue(o, root));
    }
  }

  private static Map<String, Object> test(ErrorAnalysisResult a) {
    Map<String, Object> t = new LinkedHashMap<>();
    List<TestResult> r = a.results();
    t.put("mus", a.parameters());
    t.put("h1_0_semi_errs", column(r, TestResult::h1Error));
    t.put("l2_errs", column(r, TestResult::l2Error));
    t.put("estimates", column(r, TestResult::estimate));
    t.put("effectivities", column(r, TestResult::effectivity));
    t.put("conditions", column(r, TestResult::condition));
    t.put("h1_0_semi_norms", column(r, TestResult::h1Norm));
    t.put("l2_norms", column(r, TestResult::l2Norm));
    t.put("max_h1_0_semi_err", max(r, TestResult::h1Error));
    t.put("max_l2_err", max(r, TestResult::l2Error));
    t.put("max_estimate", max(r, TestResult::estimate));
    t.put(
        "min_effectivity",
        r.isEmpty() ? null : r.stream().mapToDouble(TestResult::effectivity).min().getAsDouble());
    t.put("max_effectivity", max(r, TestResult::effectivity));
    t.put("max_condition", max(r, TestResult::condition));
    t.put("time_s", a.seconds());
    return t;
  }

  private static double[] column(List<TestResult> r, ToDoubleFunction<TestResult> q) {
    return r.stream().mapToDouble(q).toArray();
  }

  private static @Nullable Double max(List<TestResult> r, ToDoubleFunction<TestResult> q) {
    return r.isEmpty() ? null : r.stream().mapToDouble(q).max().getAsDouble();
  }
}
