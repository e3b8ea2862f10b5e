/**
 * Worker pools over MPI.
 *
 * <p>{@link org.jmor.parallel.mpi.Mpi} is the low-level binding: static methods over a small JNI
 * shim ({@code libjmormpi.so}) that is compiled with {@code mpicc} when the module is built on a
 * machine with MPI (Open MPI 4.1: {@code apt-get install openmpi-bin libopenmpi-dev}) and carried
 * inside the jar. Without it {@link org.jmor.parallel.mpi.Mpi#isAvailable()} is false and {@link
 * org.jmor.parallel.mpi.Mpi#unavailableReason()} says why.
 */
@NullMarked
package org.jmor.parallel.mpi;

import org.jspecify.annotations.NullMarked;
