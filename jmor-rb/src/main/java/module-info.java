/** Reduced-basis methods: reductors, greedy algorithms, error analysis, parameter spaces. */
module org.jmor.rb {
  requires static org.jspecify;
  requires transitive org.jmor.parallel;
  requires transitive org.jmor.discretizer;
  requires ejml.ddense;
  requires org.slf4j;

  exports org.jmor.rb.algorithms;
  exports org.jmor.rb.reductors;
}
