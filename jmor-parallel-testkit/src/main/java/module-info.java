/** The contract test kit that every worker-pool backend runs (JUnit 5 + AssertJ). */
module org.jmor.parallel.testkit {
  requires transitive org.jmor.parallel;
  requires transitive org.junit.jupiter.api;
  requires org.junit.jupiter.params;
  requires org.assertj.core;

  exports org.jmor.parallel.testkit;
}
