/** The worker pool of child JVMs on this host. */
module org.jmor.parallel.processes {
  requires static org.jspecify;
  requires transitive org.jmor.parallel;

  exports org.jmor.parallel.processes;

  // ConfigKeys.declaredIn (org.jmor.parallel) reads the key constants of these classes reflectively
  opens org.jmor.parallel.processes to
      org.jmor.parallel;

  provides org.jmor.parallel.spi.PoolProvider with
      org.jmor.parallel.processes.ProcessesProvider;
}
