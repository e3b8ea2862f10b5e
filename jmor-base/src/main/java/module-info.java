/** Types shared by every jmor module, without dependencies: the Immutable marker, file helpers. */
module org.jmor.base {
  requires static org.jspecify;

  exports org.jmor.base;
}
