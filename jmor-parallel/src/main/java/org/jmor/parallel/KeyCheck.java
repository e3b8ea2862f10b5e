package org.jmor.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.jmor.parallel.internal.FrameCodec;
import org.jmor.parallel.spi.ConfigKeys;
import org.jmor.parallel.spi.PoolProvider;
import org.jspecify.annotations.Nullable;

/**
 * The keys {@code jmor.…} and variables {@code JMOR_…} of the configuration that nobody reads.
 *
 * <ul>
 *   <li>{@link #errors}: a key {@code jmor.<name>.…} or variable {@code JMOR_<NAME>_…} of a backend
 *       whose provider is not on the class path (no provider named {@code <name>}, and no known key
 *       in that namespace): the configuration asks for something this class path cannot do, so
 *       opening a pool fails, naming the missing backend. The core knows no backend names: a
 *       namespace is a backend's when nobody else declares it.
 *   <li>{@link #warnings}: probable typos, one line each, with the closest known name.
 * </ul>
 *
 * The known names come from where they are declared: {@link PoolConfig}'s constants, the frame
 * filter property, each provider's {@link PoolProvider#keys()}, and every {@link ConfigKeys} on the
 * class path. The keys of a backend that declares none are not checked.
 */
final class KeyCheck {
  private KeyCheck() {}

  /** What is known: keys, variables, provider names, providers that declare no keys. */
  private record Known(
      Set<String> keys, Set<String> variables, Set<String> backends, Set<String> undeclared) {}

  /** What is wrong with one configured name; null when nothing. */
  private record Finding(boolean error, String message) {}

  private static Known known(List<PoolProvider> providers) {
    Set<String> known = new TreeSet<>(ConfigKeys.declaredIn(PoolConfig.class));
    known.add(FrameCodec.FILTER_PROPERTY);
    Set<String> undeclared = new TreeSet<>(); // backends that do not declare their keys
    Set<String> backends = new TreeSet<>();
    for (PoolProvider p : providers) {
      String name = p.name().toLowerCase(Locale.ROOT);
      backends.add(name);
      Set<String> keys = p.keys();
      if (keys.isEmpty()) {
        undeclared.add(name);
      }
      known.addAll(keys);
    }
    for (ConfigKeys k : ServiceLoader.load(ConfigKeys.class)) {
      known.addAll(k.keys());
    }
    Set<String> keys = new TreeSet<>();
    Set<String> variables = new TreeSet<>(ResolvedConfig.LAUNCHER_VARIABLES);
    for (String k : known) {
      if (k.startsWith("JMOR_")) {
        variables.add(k);
      } else {
        keys.add(k);
        variables.add(PoolConfig.envName(k));
      }
    }
    return new Known(keys, variables, backends, undeclared);
  }

  private static List<Finding> findings(ResolvedConfig c, List<PoolProvider> providers) {
    Known k = known(providers);
    List<Finding> out = new ArrayList<>();
    for (Map.Entry<String, String> e : c.configuredKeys().entrySet()) {
      String key = e.getKey();
      Finding f =
          check(
              "configuration key " + Shown.cut(key) + " (from " + e.getValue() + ")",
              key,
              namespace(key, '.'),
              k.keys(),
              k);
      if (f != null) {
        out.add(f);
      }
    }
    for (String var : c.environmentNames()) {
      String ns = namespace(var, '_');
      Finding f =
          check(
              "environment variable " + Shown.cut(var),
              var,
              ns == null ? null : ns.toLowerCase(Locale.ROOT),
              k.variables(),
              k);
      if (f != null) {
        out.add(f);
      }
    }
    return out;
  }

  private static @Nullable Finding check(
      String shown, String name, @Nullable String ns, Set<String> names, Known k) {
    if (names.contains(name) || (ns != null && k.undeclared().contains(ns))) {
      return null;
    }
    String closest = closest(name, names);
    if (closest != null) {
      return new Finding(false, "unknown " + shown + " is ignored; did you mean " + closest + "?");
    }
    if (ns == null || ns.equals("pool") || claimed(ns, k)) {
      return new Finding(false, "unknown " + shown + " is ignored");
    }
    return new Finding(
        true,
        shown
            + ": no provider named '"
            + Shown.cut(ns)
            + "' is on the class path (jmor backends come in modules named"
            + " org.jmor:jmor-parallel-<name>: add org.jmor:jmor-parallel-"
            + Shown.cut(ns)
            + ", or remove the setting)");
  }

  /** Whether a provider is named {@code ns} or a known key lives in that namespace. */
  private static boolean claimed(String ns, Known k) {
    if (k.backends().contains(ns)) {
      return true;
    }
    for (String key : k.keys()) {
      if (ns.equals(namespace(key, '.'))) {
        return true;
      }
    }
    for (String var : k.variables()) {
      if (ns.equalsIgnoreCase(namespace(var, '_'))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The configured keys and variables of backends that are not on the class path: one line each.
   *
   * @return the errors; empty when there are none
   */
  static List<String> errors(ResolvedConfig c, List<PoolProvider> providers) {
    return findings(c, providers).stream().filter(Finding::error).map(Finding::message).toList();
  }

  /**
   * Throws when {@link #errors} finds any.
   *
   * @throws IllegalArgumentException naming every missing backend, one finding after another
   */
  static void requireProviders(ResolvedConfig c, List<PoolProvider> providers) {
    List<String> errors = errors(c, providers);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
  }

  /** The warnings for {@code c} (probable typos); empty when every key is known. */
  static List<String> warnings(ResolvedConfig c, List<PoolProvider> providers) {
    return findings(c, providers).stream().filter(f -> !f.error()).map(Finding::message).toList();
  }

  /** {@code cluster} for {@code jmor.cluster.workers}; null for {@code jmor.pol}. */
  private static @Nullable String namespace(String name, char separator) {
    int first = name.indexOf(separator);
    int second = name.indexOf(separator, first + 1);
    return second < 0 ? null : name.substring(first + 1, second);
  }

  /** The known name closest to {@code name}, if it is close enough to be a probable typo. */
  static @Nullable String closest(String name, Set<String> known) {
    if (name.length() > 200) {
      return null;
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(name.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    int allowed = Math.max(1, Math.min(3, name.length() / 6));
    return bestDistance <= allowed ? best : null;
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
