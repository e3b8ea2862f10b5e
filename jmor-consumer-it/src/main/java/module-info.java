/**
 * A consumer of the library from the module path: it needs only {@code requires org.jmor.parallel}.
 */
module org.jmor.consumer {
  requires org.jmor.parallel;

  exports org.jmor.consumer;
}
