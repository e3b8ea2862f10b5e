package org.jmor.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.jmor.parallel.spi.ConfigKeys;
import org.jmor.parallel.spi.PoolProvider;
import org.jspecify.annotations.Nullable;

/**
 * Unknown keys {@code jmor.…} and variables {@code JMOR_…} in the configuration: probable typos,
 * reported as one warning line each, with the closest known name. The known names come from where
 * they are declared: {@link PoolConfig}'s constants, each provider's {@link PoolProvider#keys()},
 * and every {@link ConfigKeys} on the class path. The keys of a backend that declares none are not
 * checked.
 */
final class KeyCheck {
  private KeyCheck() {}

  /** The warnings for {@code c}; empty when every key is known. */
  static List<String> warnings(ResolvedConfig c, List<PoolProvider> providers) {
    Set<String> known = new TreeSet<>(ConfigKeys.declaredIn(PoolConfig.class));
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
    // keys the core declares for a backend (jmor.cluster.workers, jmor.mpi.allow): known, but
    // ignored when that backend's module is not on the class path
    Set<String> absentBackends = new TreeSet<>();
    for (String k : ConfigKeys.declaredIn(PoolConfig.class)) {
      String ns = namespace(k, '.');
      if (ns != null && !ns.equals("pool") && !backends.contains(ns)) {
        absentBackends.add(ns);
      }
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : c.configuredKeys().entrySet()) {
      String key = e.getKey();
      if (keys.contains(key)) {
        String ns = namespace(key, '.');
        if (ns != null && absentBackends.contains(ns)) {
          out.add(
              unclaimed(
                  "configuration key " + Shown.cut(key) + " (from " + e.getValue() + ")", ns));
        }
        continue;
      }
      String ns = namespace(key, '.');
      if (ns != null && undeclared.contains(ns)) {
        continue;
      }
      String shown = "configuration key " + Shown.cut(key) + " (from " + e.getValue() + ")";
      out.add(message(shown, key, keys, ns, backends));
    }
    for (String var : c.environmentNames()) {
      if (variables.contains(var)) {
        String ns = namespace(var, '_');
        if (ns != null && absentBackends.contains(ns.toLowerCase(Locale.ROOT))) {
          out.add(unclaimed("environment variable " + Shown.cut(var), ns.toLowerCase(Locale.ROOT)));
        }
        continue;
      }
      String ns = namespace(var, '_');
      if (ns != null && undeclared.contains(ns.toLowerCase(Locale.ROOT))) {
        continue;
      }
      String shown = "environment variable " + Shown.cut(var);
      out.add(
          message(
              shown, var, variables, ns == null ? null : ns.toLowerCase(Locale.ROOT), backends));
    }
    return out;
  }

  /** {@code cluster} for {@code jmor.cluster.workers}; null for {@code jmor.pol}. */
  private static @Nullable String namespace(String name, char separator) {
    int first = name.indexOf(separator);
    int second = name.indexOf(separator, first + 1);
    return second < 0 ? null : name.substring(first + 1, second);
  }

  private static String message(
      String shown, String name, Set<String> known, @Nullable String ns, Set<String> backends) {
    String closest = closest(name, known);
    if (closest != null) {
      return "unknown " + shown + " is ignored; did you mean " + closest + "?";
    }
    if (ns == null) {
      return "unknown " + shown + " is ignored";
    }
    boolean claimed =
        backends.contains(ns)
            || known.stream()
                .anyMatch(
                    k -> ns.equalsIgnoreCase(namespace(k, k.startsWith("JMOR_") ? '_' : '.')));
    if (!claimed) {
      return unclaimed(shown, ns);
    }
    return "unknown " + shown + " is ignored";
  }

  private static String unclaimed(String shown, String ns) {
    return shown
        + " is ignored: no '"
        + Shown.cut(ns)
        + "' pool is on the class path (module "
        + "org.jmor:jmor-parallel-"
        + Shown.cut(ns)
        + ")";
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
