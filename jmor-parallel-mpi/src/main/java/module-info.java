/**
 * The MPI worker pool. Its JNI binding ({@code org.jmor.parallel.mpi.jni}) is internal and not
 * exported.
 */
module org.jmor.parallel.mpi {
  requires static org.jspecify;
  requires transitive org.jmor.parallel;
  requires org.slf4j;

  exports org.jmor.parallel.mpi;

  // ConfigKeys.declaredIn (org.jmor.parallel) reads the key constants of these classes reflectively
  opens org.jmor.parallel.mpi to
      org.jmor.parallel;
  opens org.jmor.parallel.mpi.jni to
      org.jmor.parallel;

  provides org.jmor.parallel.spi.PoolProvider with
      org.jmor.parallel.mpi.MpiProvider;
}
