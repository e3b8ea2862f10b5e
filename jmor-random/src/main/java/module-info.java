/** NumPy-compatible random generators (PCG64, SeedSequence). */
module org.jmor.random {
  requires static org.jspecify;

  exports org.jmor.random;
}
