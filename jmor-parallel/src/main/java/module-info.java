/**
 * pyMOR's worker pools: the API ({@code org.jmor.parallel}), the run events ({@code
 * org.jmor.parallel.events}: recording, trace files, JFR events) and the SPI for backends ({@code
 * org.jmor.parallel.spi}). The wire format ({@code org.jmor.parallel.internal}) is visible only to
 * the test kit. Backends are found with {@link java.util.ServiceLoader}.
 */
module org.jmor.parallel {
  requires static org.jspecify;
  requires transitive org.jmor.base;
  requires transitive org.jmor.random;
  requires transitive org.jmor.vectors;
  requires org.slf4j;
  requires java.management;
  requires jdk.jfr;

  exports org.jmor.parallel;
  exports org.jmor.parallel.spi;
  exports org.jmor.parallel.events;
  exports org.jmor.parallel.internal to
      org.jmor.parallel.testkit;

  uses org.jmor.parallel.spi.PoolProvider;
  uses org.jmor.parallel.spi.ConfigKeys;
}
