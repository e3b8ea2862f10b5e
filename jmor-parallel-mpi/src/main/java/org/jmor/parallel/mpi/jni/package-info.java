/**
 * Internal: the JNI binding to MPI ({@link org.jmor.parallel.mpi.jni.Mpi}) behind the MPI pool. Not
 * exported by the module descriptor; not API.
 */
@NullMarked
package org.jmor.parallel.mpi.jni;

import org.jspecify.annotations.NullMarked;
