/**
 * Worker pools over MPI.
 *
 * <p>The pool runs over a small JNI shim ({@code libjmormpi.so}) that is compiled with {@code
 * mpicc} when the module is built on a machine with MPI (Open MPI 4.1: {@code apt-get install
 * openmpi-bin libopenmpi-dev}) and carried inside the jar; its binding is the internal package
 * {@code org.jmor.parallel.mpi.jni} (not exported, not API). Without the shim the provider reports
 * the MPI pool unavailable and says why.
 */
@NullMarked
package org.jmor.parallel.mpi;

import org.jspecify.annotations.NullMarked;
