/** Vector arrays and operators over EJML matrices. */
module org.jmor.vectors {
  requires static org.jspecify;
  requires transitive ejml.core;

  exports org.jmor.vectors;
}
