/** P1 finite elements on structured triangle grids, sparse operators and stationary models. */
module org.jmor.discretizer {
  requires static org.jspecify;
  requires transitive org.jmor.base;
  requires transitive org.jmor.vectors;
  requires ejml.dsparse;
  requires csparsej;

  exports org.jmor.discretizer.fem;
  exports org.jmor.discretizer.grid;
  exports org.jmor.discretizer.models;
  exports org.jmor.discretizer.operators;
}
