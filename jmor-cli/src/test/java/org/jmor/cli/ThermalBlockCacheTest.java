package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmor.cli.CliInputTest.assertBadInput;
import static org.jmor.cli.CliInputTest.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jmor.cli.CliInputTest.Run;
import org.jmor.parallel.WorkerPools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 11 item 3: {@code --cache-region none|memory|disk|persistent}. The expected numbers were
 * printed by pyMOR 2022.2.0 itself with the same flags: {@code cd /tmp/pymor && PYTHONPATH=src
 * python3 src/pymordemos/thermalblock.py --grid 30 --cache-region R
 * --no-greedy-with-error-estimator 2 2 3 5} (the results block, the same for R = none, memory, disk
 * and persistent, and for a second run with the persistent region), and {@code
 * bench/pymor/thermalblock_reference.py --tie-rule} with the same arguments (full precision; the
 * greedy patched to the tolerance tie rule, as for the other greedy references).
 */
class ThermalBlockCacheTest {

  @TempDir Path tmp;

  @AfterEach
  void reset() {
    WorkerPools.resetParallelPool();
  }

  private static final String MU4 =
      "0.5991263083142513, 0.1574355304937578, 0.8448680547933238, 0.6684979592098583";
  private static final String MU6 =
      "0.8005451473663857, 0.2751748370667708, 0.5200489033543307, 0.13942338920850592";

  /**
   * pyMOR's results block of {@code --grid 30 --cache-region R --no-greedy-with-error-estimator 2 2
   * 3 5}.
   */
  private static final List<String> BLOCK =
      List.of(
          "Stochastic error estimation:",
          "    number of samples:                    10",
          "    maximum h1_0_semi-norm:               5.8172474e-01 (mu = {diffusion: ["
              + MU4
              + "]})",
          "    maximum h1_0_semi-error:              1.4727587e-01 (mu = {diffusion: ["
              + MU4
              + "]})",
          "    maximum l2-norm:                      1.1650223e-01 (mu = {diffusion: ["
              + MU6
              + "]})",
          "    maximum l2-error:                     1.4135890e-02 (mu = {diffusion: ["
              + MU6
              + "]})",
          "    maximum estimated error:              2.8871225e-01 (mu = {diffusion: ["
              + MU6
              + "]})",
          "    minimum error estimator effectivity:  5.0997020e-01 (mu = {diffusion: ["
              + MU6
              + "]})",
          "    maximum error estimator effectivity:  7.9648960e-01 (mu = {diffusion: [0.3932428223243367, 0.43341373543138206, 0.5226002301482271, 0.2705242231758571]})",
          "    maximum system matrix condition:      2.6479360e+00 (mu = {diffusion: ["
              + MU6
              + "]})");

  /** pyMOR's greedy (true errors, tolerance tie rule): maxima and selected parameters. */
  private static final double[] MAX_ERRS = {
    1.8734948409138938,
    0.8097001716052938,
    0.8134090119110898,
    0.6897134935292639,
    0.6760229524967496
  };

  private static final double[][] MAX_ERR_MUS = {
    {0.1, 0.1, 0.1, 0.1},
    {0.1, 0.1, 0.1, 1.0},
    {0.1, 0.1, 1.0, 0.1},
    {0.1, 1.0, 0.1, 0.1},
    {1.0, 0.1, 0.1, 0.1}
  };

  /** pyMOR's h1_0_semi errors per test parameter. */
  private static final double[] H1_ERRS = {
    0.01622867335810414, 0.1273099977915304, 0.07309917536574242, 0.04192840152677985,
    0.14727587141696447, 0.02876069175254916, 0.14723464281502155, 0.08077732285962158,
    0.02498985424822881, 0.06778017665974329
  };

  /** Solves of one run: 81 training parameters and 10 test parameters, each solved once. */
  private static final int DISTINCT_SOLVES = 91;

  /** pyMOR without the cache solves the training set once per extension, and the test set. */
  private static final int SOLVE_CALLS = 5 * 81 + 5 + 10;

  private static List<String> resultsBlock(String out) {
    List<String> lines = out.lines().toList();
    int from = lines.indexOf("Stochastic error estimation:");
    assertThat(from).as(out).isNotNegative();
    List<String> block = new ArrayList<>();
    for (int i = from; i < lines.size() && !lines.get(i).contains("elapsed time"); i++) {
      block.add(lines.get(i));
    }
    return block;
  }

  private JsonNode runDemo(String name, String pool, String... cacheOptions) throws Exception {
    Path json = tmp.resolve(name + ".json");
    List<String> a =
        new ArrayList<>(List.of("thermalblock", "--grid", "30", "--no-plots", "--pool", pool));
    a.addAll(List.of(cacheOptions));
    a.addAll(
        List.of("--no-greedy-with-error-estimator", "--json", json.toString(), "2", "2", "3", "5"));
    Run r = run(a.toArray(new String[0]));
    assertThat(r.code).as(r.err).isZero();
    assertThat(resultsBlock(r.out)).containsExactlyElementsOf(BLOCK);
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    JsonNode g = root.get("greedy");
    for (int k = 0; k < MAX_ERRS.length; k++) {
      double e = g.get("max_errs").get(k).asDouble();
      assertThat(Math.abs(e - MAX_ERRS[k]) / MAX_ERRS[k]).isLessThan(1e-12);
      for (int q = 0; q < 4; q++) {
        assertThat(g.get("max_err_mus").get(k).get(q).asDouble()).isEqualTo(MAX_ERR_MUS[k][q]);
      }
    }
    JsonNode t = root.get("test").get("h1_0_semi_errs");
    for (int i = 0; i < H1_ERRS.length; i++) {
      assertThat(Math.abs(t.get(i).asDouble() - H1_ERRS[i]) / H1_ERRS[i]).isLessThan(1e-11);
    }
    JsonNode cache = root.get("cache");
    if (cacheOptions.length == 0) {
      assertThat(cache.isNull()).isTrue();
      assertThat(r.out).doesNotContain("cache (");
    } else {
      long saved = cache.get("saved_solves").asLong();
      long computed = cache.get("computed_solves").asLong();
      assertThat(saved + computed).isEqualTo(SOLVE_CALLS);
      assertThat(r.out)
          .contains(
              "cache ("
                  + cache.get("region").asText()
                  + (cache.get("directory").isNull() ? "" : ", " + cache.get("directory").asText())
                  + "): "
                  + saved
                  + " full-order solves saved, "
                  + computed
                  + " computed");
    }
    return root;
  }

  /** The numbers of two runs, bit for bit (the JSON prints doubles exactly). */
  private static void assertSameNumbers(JsonNode a, JsonNode b) {
    assertThat(b.get("greedy").get("max_errs")).isEqualTo(a.get("greedy").get("max_errs"));
    assertThat(b.get("greedy").get("max_err_mus")).isEqualTo(a.get("greedy").get("max_err_mus"));
    for (String k :
        List.of("h1_0_semi_errs", "l2_errs", "estimates", "effectivities", "conditions")) {
      assertThat(b.get("test").get(k)).as(k).isEqualTo(a.get("test").get(k));
    }
  }

  @ParameterizedTest
  @CsvSource({"memory,sequential", "memory,threads:2", "disk,sequential", "disk,threads:2"})
  void memoryAndDisk_givePymorsResults_solvingEachParameterOnce(String region, String pool)
      throws Exception {
    JsonNode root = runDemo(region + pool.replace(':', '-'), pool, "--cache-region", region);
    JsonNode c = root.get("cache");
    assertThat(c.get("region").asText()).isEqualTo(region);
    assertThat(c.get("computed_solves").asInt()).isEqualTo(DISTINCT_SOLVES);
    assertThat(c.get("saved_solves").asInt()).isEqualTo(SOLVE_CALLS - DISTINCT_SOLVES);
    assertThat(c.get("rejected_entries").asInt()).isZero();
  }

  /**
   * A second run with the persistent cache solves nothing; a third, after entries were corrupted
   * and a foreign entry written, recomputes exactly those; every run gives the numbers of a run
   * without cache, bit for bit, and pyMOR's.
   */
  @Test
  void persistent_secondRunSolvesNothing_andBadEntriesAreRecomputed() throws Exception {
    Path dir = tmp.resolve("cache home");
    JsonNode plain = runDemo("plain", "sequential");

    JsonNode first =
        runDemo(
            "first", "threads:2", "--cache-region", "persistent", "--cache-dir", dir.toString());
    assertThat(first.get("cache").get("computed_solves").asInt()).isEqualTo(DISTINCT_SOLVES);
    assertThat(first.get("cache").get("directory").asText())
        .isEqualTo(dir.toAbsolutePath().toString());
    assertSameNumbers(plain, first);

    JsonNode second =
        runDemo(
            "second", "sequential", "--cache-region", "persistent", "--cache-dir", dir.toString());
    assertThat(second.get("cache").get("computed_solves").asInt()).isZero();
    assertThat(second.get("cache").get("saved_solves").asInt()).isEqualTo(SOLVE_CALLS);
    assertSameNumbers(plain, second);

    // flip a byte in 10 entries' values; store one entry's value under another key
    Path file = dir.resolve("snapshots.sqlite");
    assertThat(file).exists();
    int corrupted = 0;
    try (Connection c =
        org.sqlite.JDBC.createConnection("jdbc:sqlite:" + file, new java.util.Properties())) {
      List<byte[]> keys = new ArrayList<>();
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT key FROM jmor_snapshots ORDER BY rowid")) {
        while (rs.next()) {
          keys.add(rs.getBytes(1));
        }
      }
      assertThat(keys).hasSize(DISTINCT_SOLVES);
      for (int i = 0; i < 10; i++) {
        byte[] v = value(c, keys.get(i));
        v[v.length / 2] ^= 0x40;
        store(c, keys.get(i), v);
        corrupted++;
      }
      store(c, keys.get(20), value(c, keys.get(21)));
      corrupted++;
    }

    JsonNode third =
        runDemo(
            "third", "threads:2", "--cache-region", "persistent", "--cache-dir", dir.toString());
    assertThat(third.get("cache").get("rejected_entries").asInt()).isEqualTo(corrupted);
    assertThat(third.get("cache").get("computed_solves").asInt()).isEqualTo(corrupted);
    assertSameNumbers(plain, third);
  }

  private static byte[] value(Connection c, byte[] key) throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT value FROM jmor_snapshots WHERE key = ?")) {
      ps.setBytes(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getBytes(1);
      }
    }
  }

  private static void store(Connection c, byte[] key, byte[] value) throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE jmor_snapshots SET value = ? WHERE key = ?")) {
      ps.setBytes(1, value);
      ps.setBytes(2, key);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  @Test
  void cacheDir_withoutPersistent_isOneLine() {
    assertBadInput(
        run(
            "thermalblock",
            "--grid",
            "6",
            "--test",
            "3",
            "--no-plots",
            "--cache-region",
            "memory",
            "--cache-dir",
            tmp.toString(),
            "2",
            "2",
            "2",
            "2"),
        "--cache-dir is the directory of the persistent cache: give it with --cache-region"
            + " persistent");
  }

  @Test
  void cacheDir_thatCannotBeCreated_isOneLine() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    assertBadInput(
        run(
            "thermalblock",
            "--grid",
            "6",
            "--test",
            "3",
            "--no-plots",
            "--cache-region",
            "persistent",
            "--cache-dir",
            file.resolve("sub").toString(),
            "2",
            "2",
            "2",
            "2"),
        // checked before any work, as every output place (issue 21)
        "--cache-dir " + file.resolve("sub") + ": " + file + " is a file, not a directory");
  }

  @Test
  void cacheRegion_badValue_isOneLine() {
    Run r =
        run(
            "thermalblock",
            "--grid",
            "6",
            "--test",
            "3",
            "--no-plots",
            "--cache-region",
            "bogus",
            "2",
            "2",
            "2",
            "2");
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).contains("--cache-region").contains("persistent").doesNotContain("Exception");
  }
}
