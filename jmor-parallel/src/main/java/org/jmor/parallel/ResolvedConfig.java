package org.jmor.parallel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jmor.parallel.spi.ConfigView;
import org.jspecify.annotations.Nullable;

/**
 * The configuration of one pool: explicit options, system properties, environment, file, default
 * (in that order of precedence), and the typed values of the keys the core reads.
 */
final class ResolvedConfig implements ConfigView {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

  private final Map<String, String> options;
  private final Properties sys;
  private final Map<String, String> env;
  private final Properties file = new Properties();
  private @Nullable Path filePath;
  private @Nullable List<String> fileLines;

  ResolvedConfig(ParallelPoolOptions o) {
    this.options = o.values();
    this.sys = o.systemProperties != null ? o.systemProperties : System.getProperties();
    this.env = o.environment != null ? o.environment : System.getenv();
    Path path = o.configFile;
    if (path == null) {
      String p = get(PoolConfig.CONFIG_FILE); // the file is empty yet
      path = p != null ? Paths.get(p) : Paths.get("jmor.properties");
      if (p != null && !Files.exists(path)) {
        throw new IllegalArgumentException(
            PoolConfig.CONFIG_FILE
                + " ("
                + source(PoolConfig.CONFIG_FILE)
                + "): file "
                + path
                + " does not exist");
      }
    }
    if (Files.exists(path) && !Files.isRegularFile(path)) {
      // a directory (or a device) where the configuration file is looked for: never ignored
      throw new IllegalArgumentException(
          "cannot read the configuration file "
              + path
              + ": "
              + (Files.isDirectory(path) ? "is a directory" : "not a regular file")
              + (o.configFile == null && get(PoolConfig.CONFIG_FILE) == null
                  ? " (jmor.properties in the working directory is read when it exists)"
                  : ""));
    }
    if (Files.isRegularFile(path)) {
      try (InputStream in = Files.newInputStream(path)) {
        file.load(in);
        filePath = path;
      } catch (IOException e) {
        String why =
            e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage();
        throw new IllegalArgumentException("cannot read " + path + ": " + why, e);
      } catch (IllegalArgumentException e) {
        // Properties.load rejects a malformed unicode escape; its message does not name the file
        throw new IllegalArgumentException(
            path + " is not a valid properties file: " + e.getMessage(), e);
      }
    }
  }

  // ------------------------------------------------------------------ ConfigView

  private static @Nullable String value(@Nullable String v) {
    return v == null || v.isBlank() ? null : v.trim();
  }

  /** 0 option, 1 system property, 2 environment, 3 file, -1 unset. */
  private int level(String key) {
    if (value(options.get(key)) != null) {
      return 0;
    }
    if (value(sys.getProperty(key)) != null) {
      return 1;
    }
    if (value(env.get(PoolConfig.envName(key))) != null) {
      return 2;
    }
    if (value(file.getProperty(key)) != null) {
      return 3;
    }
    return -1;
  }

  @Override
  public @Nullable String get(String key) {
    switch (level(key)) {
      case 0:
        return value(options.get(key));
      case 1:
        return value(sys.getProperty(key));
      case 2:
        return value(env.get(PoolConfig.envName(key)));
      case 3:
        return value(file.getProperty(key));
      default:
        return null;
    }
  }

  @Override
  public String source(String key) {
    switch (level(key)) {
      case 0:
        return "option";
      case 1:
        return "system property -D" + key;
      case 2:
        return "environment " + PoolConfig.envName(key);
      case 3:
        int line = fileLine(key);
        return line > 0 ? filePath + " line " + line : "file " + filePath;
      default:
        return "default";
    }
  }

  /**
   * The first line that assigns the key, or 0 (continuation lines and escapes are not followed).
   */
  private int fileLine(String key) {
    List<String> lines = fileLines;
    try {
      if (lines == null) {
        // only asked for keys that the file sets, so the file was read
        lines = Files.readAllLines(Objects.requireNonNull(filePath), StandardCharsets.ISO_8859_1);
        fileLines = lines;
      }
    } catch (IOException e) {
      return 0;
    }
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).stripLeading();
      if (l.startsWith(key)) {
        String rest = l.substring(key.length());
        if (rest.isEmpty() || "=: \t\f".indexOf(rest.charAt(0)) >= 0) {
          return i + 1;
        }
      }
    }
    return 0;
  }

  @Override
  public @Nullable String env(String variable) {
    return env.get(variable);
  }

  /** Variables of the {@code ./jmor} launcher that look like keys but configure no pool. */
  static final Set<String> LAUNCHER_VARIABLES = Set.of("JMOR_JAVA_OPTS", "JMOR_NO_BUILD");

  @Override
  public Map<String, String> withPrefix(String prefix) {
    Set<String> keys = new HashSet<>();
    for (String k : options.keySet()) {
      if (k.startsWith(prefix)) {
        keys.add(k);
      }
    }
    for (String k : sys.stringPropertyNames()) {
      if (k.startsWith(prefix)) {
        keys.add(k);
      }
    }
    for (String k : file.stringPropertyNames()) {
      if (k.startsWith(prefix)) {
        keys.add(k);
      }
    }
    Set<String> envNames = new HashSet<>();
    for (String k : keys) {
      envNames.add(PoolConfig.envName(k));
    }
    String envPrefix = PoolConfig.envName(prefix);
    for (String var : env.keySet()) {
      if (var.startsWith(envPrefix)
          && !envNames.contains(var)
          && !LAUNCHER_VARIABLES.contains(var)) {
        keys.add(var.toLowerCase(Locale.ROOT).replace('_', '.'));
      }
    }
    Map<String, String> m = new TreeMap<>();
    for (String k : keys) {
      String v = get(k);
      if (v != null) {
        m.put(k, v);
      }
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * Every key {@code jmor.…} set in the options, the system properties or the file, with the source
   * of its value ({@link #source}).
   */
  Map<String, String> configuredKeys() {
    Set<String> keys = new java.util.TreeSet<>();
    for (String k : options.keySet()) {
      keys.add(k);
    }
    keys.addAll(sys.stringPropertyNames());
    keys.addAll(file.stringPropertyNames());
    Map<String, String> m = new TreeMap<>();
    for (String k : keys) {
      if (!k.startsWith("jmor.")) {
        continue;
      }
      // where it is set (the environment is reported by its variables' names)
      if (options.containsKey(k)) {
        m.put(k, "option");
      } else if (sys.getProperty(k) != null) {
        m.put(k, "system property -D" + k);
      } else {
        int line = fileLine(k);
        m.put(k, line > 0 ? filePath + " line " + line : "file " + filePath);
      }
    }
    return m;
  }

  /** Every environment variable {@code JMOR_…} that is set. */
  Set<String> environmentNames() {
    Set<String> names = new java.util.TreeSet<>();
    for (String var : env.keySet()) {
      if (var.startsWith("JMOR_")) {
        names.add(var);
      }
    }
    return names;
  }

  // ------------------------------------------------------------------ the core's keys

  private IllegalArgumentException bad(
      String key, String v, String expected, @Nullable Throwable cause) {
    return new IllegalArgumentException(
        key
            + ": '"
            + Shown.cut(v)
            + "' (from "
            + source(key)
            + ") is not valid; expected "
            + expected,
        cause);
  }

  private @Nullable Duration failTooLarge(
      String key, String v, String expected, IllegalArgumentException cause) {
    throw new IllegalArgumentException(
        key
            + ": '"
            + Shown.cut(v)
            + "' (from "
            + source(key)
            + ") is too large; expected "
            + expected,
        cause);
  }

  /** A value that is no integer, or one too large (digits only): say which. */
  private IllegalArgumentException notAnInteger(
      String key, String v, long max, NumberFormatException cause) {
    if (v.matches("\\+?[0-9]+")) {
      return new IllegalArgumentException(
          key
              + ": '"
              + Shown.cut(v)
              + "' (from "
              + source(key)
              + ") is too large; expected an integer from 0 to "
              + max,
          cause);
    }
    return bad(key, v, "an integer >= 0", cause);
  }

  /** The pool name; {@code auto} when unset. */
  PoolName pool() {
    String v = get(PoolConfig.POOL);
    if (v == null) {
      return new PoolName(PoolName.AUTO, 0);
    }
    try {
      return PoolName.parse(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          PoolConfig.POOL
              + ": '"
              + Shown.cut(v)
              + "' (from "
              + source(PoolConfig.POOL)
              + "): "
              + e.getMessage(),
          e);
    }
  }

  int workers() {
    String v = get(PoolConfig.WORKERS);
    if (v == null) {
      return 0;
    }
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw notAnInteger(PoolConfig.WORKERS, v, Integer.MAX_VALUE, e);
    }
    if (n < 0) {
      throw bad(PoolConfig.WORKERS, v, "an integer >= 0 (workers must be >= 0)", null);
    }
    return n;
  }

  long seed() {
    String v = get(PoolConfig.SEED);
    if (v == null) {
      return PoolConfig.DEFAULT_SEED;
    }
    long s;
    try {
      s = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw notAnInteger(PoolConfig.SEED, v, Long.MAX_VALUE, e);
    }
    if (s < 0) {
      throw bad(PoolConfig.SEED, v, "an integer >= 0 (the seed must be >= 0)", null);
    }
    return s;
  }

  SplitRule splitRule() {
    String v = get(PoolConfig.SPLIT);
    if (v == null) {
      return SplitRule.BALANCED;
    }
    try {
      return SplitRule.valueOf(v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw bad(PoolConfig.SPLIT, v, "balanced or ceiling", e);
    }
  }

  boolean strict() {
    String v = get(PoolConfig.STRICT);
    return v != null && parseBoolean(PoolConfig.STRICT, v);
  }

  /** The worker-loss policy; {@code fail} when unset. */
  OnWorkerLoss onWorkerLoss() {
    String v = get(PoolConfig.ON_WORKER_LOSS);
    if (v == null) {
      return OnWorkerLoss.FAIL;
    }
    switch (v.toLowerCase(Locale.ROOT)) {
      case "fail":
        return OnWorkerLoss.FAIL;
      case "shrink":
        return OnWorkerLoss.SHRINK;
      default:
        throw bad(PoolConfig.ON_WORKER_LOSS, v, "fail or shrink", null);
    }
  }

  /** The per-call deadline, or null for none. */
  @Nullable Duration timeout() {
    return duration(PoolConfig.TIMEOUT, null);
  }

  /** The close bound, or null for none. */
  @Nullable Duration closeTimeout() {
    return duration(PoolConfig.CLOSE_TIMEOUT, PoolConfig.DEFAULT_CLOSE_TIMEOUT);
  }

  private boolean parseBoolean(String key, String v) {
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw bad(key, v, "true or false", null);
  }

  private @Nullable Duration duration(String key, @Nullable Duration dflt) {
    String v = get(key);
    if (v == null) {
      return dflt;
    }
    Duration d;
    try {
      d = parseDuration(v);
    } catch (IllegalArgumentException e) {
      String expected = "a duration such as 30s, 500ms, 2m, 1h, PT30S, or none or 0";
      if (String.valueOf(e.getMessage()).startsWith("too large")) {
        return failTooLarge(key, v, expected, e);
      }
      throw bad(key, v, expected, e);
    }
    return d;
  }

  /**
   * Parses {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, ISO-8601 {@code PT30S}; {@code none}
   * and zero give null (no deadline).
   */
  static @Nullable Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("none") || t.equals("0")) {
      return null;
    }
    Duration d;
    Matcher m = SHORT_DURATION.matcher(t);
    if (m.matches()) {
      long n;
      try {
        n = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("too large: " + Shown.cut(text), e);
      }
      try {
        d = unit(m.group(2), n);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("too large: " + Shown.cut(text), e);
      }
    } else {
      try {
        d = Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not a duration: " + Shown.cut(text), e);
      }
    }
    if (d.isNegative()) {
      throw new IllegalArgumentException("negative: " + Shown.cut(text));
    }
    return d.isZero() ? null : d;
  }

  private static Duration unit(String unit, long n) {
    switch (unit) {
      case "ms":
        return Duration.ofMillis(n);
      case "s":
        return Duration.ofSeconds(n);
      case "m":
        return Duration.ofMinutes(n);
      default:
        return Duration.ofHours(n);
    }
  }
}
