package org.jmor.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.jmor.parallel.spi.ConfigKeys;
import org.jmor.parallel.spi.PoolProvider;
import org.jmor.parallel.spi.PoolSpec;
import org.jmor.parallel.spi.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, kinds 7 and 8 in the core: unknown keys in every configuration source are reported one
 * line each with the closest known key, the known keys come from their declarations, an unreadable
 * configuration file is refused, and long values are cut in messages.
 */
class ConfigKeyCheckTest {

  @TempDir Path dir;

  /** A backend that declares its keys as constants, as the real ones do. */
  static final class Declaring implements PoolProvider {
    static final String COLOR = "jmor.paint.color";
    static final String SECRET = "JMOR_PAINT_SECRET";

    @Override
    public String name() {
      return "paint";
    }

    @Override
    public Set<String> keys() {
      return ConfigKeys.declaredIn(Declaring.class);
    }

    @Override
    public Transport open(PoolSpec spec) {
      throw new UnsupportedOperationException();
    }
  }

  /** A backend that declares nothing: its keys are not checked. */
  static final class Silent implements PoolProvider {
    @Override
    public String name() {
      return "quiet";
    }

    @Override
    public Transport open(PoolSpec spec) {
      throw new UnsupportedOperationException();
    }
  }

  private Path file(String... lines) throws IOException {
    Path f = dir.resolve("jmor.properties");
    Files.write(f, List.of(lines), StandardCharsets.ISO_8859_1);
    return f;
  }

  private static List<String> warnings(ParallelPoolOptions o) {
    return KeyCheck.warnings(new ResolvedConfig(o), List.of(new Declaring(), new Silent()));
  }

  private static List<String> errors(ParallelPoolOptions o) {
    return KeyCheck.errors(new ResolvedConfig(o), List.of(new Declaring(), new Silent()));
  }

  private ParallelPoolOptions options(
      Path file, Map<String, String> env, Properties sys, Map<String, String> explicit) {
    ParallelPoolOptions o =
        ParallelPoolOptions.defaults()
            .withEnvironment(env)
            .withSystemProperties(sys)
            .withConfigFile(file);
    for (Map.Entry<String, String> e : explicit.entrySet()) {
      o = o.with(e.getKey(), e.getValue());
    }
    return o;
  }

  @Test
  void declaredIn_readsTheConstantsOfAnyVisibility() {
    assertThat(ConfigKeys.declaredIn(Declaring.class))
        .containsExactly("JMOR_PAINT_SECRET", "jmor.paint.color");
    assertThat(ConfigKeys.declaredIn(PoolConfig.class))
        .contains(
            PoolConfig.POOL,
            PoolConfig.WORKERS,
            PoolConfig.SEED,
            PoolConfig.CLOSE_TIMEOUT,
            PoolConfig.CONFIG_FILE)
        .allMatch(k -> k.startsWith("jmor."))
        // the core names no backend: their keys are their providers'
        .noneMatch(k -> k.startsWith("jmor.cluster.") || k.startsWith("jmor.mpi."));
  }

  @Test
  void knownKeys_inEverySource_giveNoWarning() throws IOException {
    Properties sys = new Properties();
    sys.setProperty("jmor.pool.seed", "7");
    sys.setProperty("java.version.x", "not ours");
    assertThat(
            warnings(
                options(
                    file("jmor.pool = threads:2", "jmor.paint.color = red", "jmor.quiet.x = 1"),
                    Map.of(
                        "JMOR_POOL_WORKERS", "2", "JMOR_PAINT_SECRET", "s", "JMOR_JAVA_OPTS", ""),
                    sys,
                    Map.of("jmor.pool.close-timeout", "1s"))))
        .isEmpty();
  }

  @Test
  void typos_inEverySource_areOneLineEach_withTheClosestKey() throws IOException {
    Path f = file("# pools", "jmor.pol=threads:3", "jmor.pool.sed=5");
    Properties sys = new Properties();
    sys.setProperty("jmor.pool.worker", "2");
    List<String> w =
        warnings(
            options(
                f,
                Map.of("JMOR_POOL_SED", "3", "JMOR_PAINT_SECRT", "s"),
                sys,
                Map.of("jmor.paint.colour", "red")));
    assertThat(w)
        .containsExactlyInAnyOrder(
            "unknown configuration key jmor.pol (from "
                + f
                + " line 2) is ignored; did you mean jmor.pool?",
            "unknown configuration key jmor.pool.sed (from "
                + f
                + " line 3) is ignored; did you mean jmor.pool.seed?",
            "unknown configuration key jmor.pool.worker (from system property"
                + " -Djmor.pool.worker) is ignored; did you mean jmor.pool.workers?",
            "unknown configuration key jmor.paint.colour (from option) is ignored; did you mean"
                + " jmor.paint.color?",
            "unknown environment variable JMOR_POOL_SED is ignored; did you mean JMOR_POOL_SEED?",
            "unknown environment variable JMOR_PAINT_SECRT is ignored; did you mean"
                + " JMOR_PAINT_SECRET?");
  }

  @Test
  void keysOfAnAbsentBackend_areErrorsNamingIt_typosStayWarnings() throws IOException {
    Path f = file("jmor.paint.colr=red", "jmor.foo.bar=1", "jmor.zzzzzzzzzzzz=1");
    ParallelPoolOptions o =
        options(
            f,
            Map.of("JMOR_CLUSTER_WORKERS", "2"),
            new Properties(),
            Map.of("jmor.mpi.allow", "false"));
    assertThat(warnings(o))
        .containsExactlyInAnyOrder(
            "unknown configuration key jmor.paint.colr (from "
                + f
                + " line 1) is ignored; did you mean jmor.paint.color?",
            "unknown configuration key jmor.zzzzzzzzzzzz (from " + f + " line 3) is ignored");
    String modules =
        " is on the class path (jmor backends come in modules named"
            + " org.jmor:jmor-parallel-<name>: add org.jmor:jmor-parallel-";
    assertThat(errors(o))
        .containsExactlyInAnyOrder(
            "configuration key jmor.foo.bar (from "
                + f
                + " line 2): no provider named 'foo'"
                + modules
                + "foo, or remove the setting)",
            "configuration key jmor.mpi.allow (from option): no provider named 'mpi'"
                + modules
                + "mpi, or remove the setting)",
            "environment variable JMOR_CLUSTER_WORKERS: no provider named 'cluster'"
                + modules
                + "cluster, or remove the setting)");
    // opening a pool fails with them, before anything starts
    assertThatThrownBy(() -> KeyCheck.requireProviders(new ResolvedConfig(o), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no provider named 'cluster'")
        .hasMessageContaining("no provider named 'mpi'");
  }

  @Test
  void aHugeKey_isCut() throws IOException {
    String huge = "jmor.pool." + "x".repeat(5000);
    List<String> w = warnings(options(file(huge + "=1"), Map.of(), new Properties(), Map.of()));
    assertThat(w).hasSize(1);
    assertThat(w.get(0)).hasSizeLessThan(200).contains("… (5010 characters)");
  }

  @Test
  void aDirectoryInPlaceOfTheConfigurationFile_isRefused() throws IOException {
    Path d = Files.createDirectory(dir.resolve("jmor.properties"));
    assertThatThrownBy(
            () ->
                new ResolvedConfig(
                    ParallelPoolOptions.defaults()
                        .withEnvironment(Map.of())
                        .withSystemProperties(new Properties())
                        .withConfigFile(d)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot read the configuration file " + d + ": is a directory");
    Properties sys = new Properties();
    sys.setProperty(PoolConfig.CONFIG_FILE, d.toString());
    assertThatThrownBy(
            () ->
                new ResolvedConfig(
                    ParallelPoolOptions.defaults()
                        .withEnvironment(Map.of())
                        .withSystemProperties(sys)))
        .hasMessage("cannot read the configuration file " + d + ": is a directory");
  }

  @Test
  void hugeValues_areCut_andATooLargeNumberSaysSo() {
    String nines = "9".repeat(5000);
    assertThatThrownBy(() -> PoolName.parse("threads:" + nines))
        .hasMessage("the worker count is too large (at most 2147483647)");
    assertThatThrownBy(() -> PoolName.parse("threads:x" + nines))
        .hasMessage(
            "'x999999999999999999999999999999999999999… (5001 characters)' is not a worker count;"
                + " expected an integer >= 1 after the colon, as in threads:4");
    ParallelPoolOptions o =
        ParallelPoolOptions.defaults()
            .withEnvironment(Map.of("JMOR_POOL_SEED", nines, "JMOR_POOL", "threads:" + nines))
            .withSystemProperties(new Properties())
            .withConfigFile(dir.resolve("absent"));
    ResolvedConfig c = new ResolvedConfig(o);
    assertThatThrownBy(c::pool)
        .hasMessage(
            "jmor.pool: 'threads:99999999999999999999999999999999… (5008 characters)' (from"
                + " environment JMOR_POOL): the worker count is too large (at most 2147483647)");
    assertThatThrownBy(c::seed)
        .hasMessage(
            "jmor.pool.seed: '9999999999999999999999999999999999999999… (5000 characters)' (from"
                + " environment JMOR_POOL_SEED) is too large; expected an integer from 0 to"
                + " 9223372036854775807");
    ResolvedConfig t =
        new ResolvedConfig(
            ParallelPoolOptions.defaults()
                .withEnvironment(Map.of("JMOR_POOL_TIMEOUT", nines + "s"))
                .withSystemProperties(new Properties())
                .withConfigFile(dir.resolve("absent")));
    assertThatThrownBy(t::timeout).hasMessageContaining("is too large; expected a duration");
    assertThatThrownBy(
            () ->
                WorkerPools.select(
                    new ResolvedConfig(
                        ParallelPoolOptions.defaults()
                            .withPool(nines)
                            .withEnvironment(Map.of())
                            .withSystemProperties(new Properties())
                            .withConfigFile(dir.resolve("absent"))),
                    List.of()))
        .hasMessageStartingWith(
            "unknown pool '9999999999999999999999999999999999999999… (5000 characters)'; expected"
                + " one of: sequential, threads, threads:N")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
  }
}
