/**
 * Dense arrays of real vectors for model order reduction, the JVM counterpart of pyMOR's {@code
 * NumpyVectorArray}.
 *
 * <p>The central class is {@link org.jmor.vectors.VectorArray}: an ordered collection of {@code
 * len} real vectors of a common dimension {@code dim}, stored in one contiguous row-major {@code
 * double[]}. It supports the usual vector-array algebra of reduced basis methods ({@code scal},
 * {@code axpy}, {@code lincomb}, inner products, norms, Gramians), index views that share storage
 * with their base array, and compact bulk serialization so arrays can be shipped cheaply to worker
 * processes.
 *
 * <p>Inner products other than the Euclidean one are given by a {@link
 * org.jmor.vectors.ProductOperator}, a symmetric linear operator that is applied to vectors in
 * place inside their backing arrays (offset API), so no rows are copied.
 *
 * <pre>{@code
 * VectorArray basis = VectorArray.ofRows(new double[] {1, 0, 0}, new double[] {1, 1, 0});
 * double[][] g = basis.gramian();          // {{1, 1}, {1, 2}}
 * VectorArray u = basis.lincomb(new double[] {2, -1});   // one vector: {1, -1, 0}
 * }</pre>
 *
 * <p>Nothing in this package is thread-safe; confine each array to one thread or synchronize
 * externally.
 */
@NullMarked
package org.jmor.vectors;

import org.jspecify.annotations.NullMarked;
