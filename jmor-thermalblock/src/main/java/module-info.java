/**
 * The thermal-block specifics of pyMOR's demo: the problem and its P1 model ({@code
 * org.jmor.thermalblock}), the file format of saved models ({@code org.jmor.thermalblock.io}) and
 * the cached model ({@code org.jmor.thermalblock.cache}). Applications (the CLI, the benchmarks)
 * depend on it; library modules do not.
 */
module org.jmor.thermalblock {
  requires static org.jspecify;
  requires transitive org.jmor.discretizer;
  requires transitive org.jmor.rb;
  requires transitive org.jmor.cache;

  exports org.jmor.thermalblock;
  exports org.jmor.thermalblock.cache;
  exports org.jmor.thermalblock.io;
}
