package org.jmor.cli;

import java.util.Set;
import org.jmor.cache.CacheRegions;
import org.jmor.cli.thermalblock.MemoryEstimate;
import org.jmor.parallel.spi.ConfigKeys;

/**
 * The keys and environment variables that the command line reads besides the pools' ({@code
 * JMOR_DEBUG}, {@code jmor.skipMemoryCheck}, the cache's {@code jmor.cache.*}), taken from their
 * declarations, so that the pool factory does not warn about them as unknown.
 */
public final class CliConfigKeys implements ConfigKeys {
  /** Creates the declaration (for {@link java.util.ServiceLoader}). */
  public CliConfigKeys() {}

  @Override
  public Set<String> keys() {
    return ConfigKeys.declaredIn(Main.class, MemoryEstimate.class, CacheRegions.class);
  }
}
