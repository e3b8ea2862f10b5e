/**
 * Sparse matrices and sparse direct solvers.
 *
 * <ul>
 *   <li>{@link org.jmor.discretizer.operators.CscMatrix}: immutable compressed-sparse-column matrix
 *       stored in an EJML {@code DMatrixSparseCSC}; matrix-vector products, linear combinations
 *       with pattern union, submatrices, and a view as an inner-product {@link
 *       org.jmor.vectors.ProductOperator}.
 *   <li>{@link org.jmor.discretizer.operators.SparseCholesky}: sparse Cholesky factorization {@code
 *       P A P^T = L L^T} with the approximate minimum degree (AMD) ordering of CSparse (CSparseJ),
 *       split into a symbolic analysis that is done once per sparsity pattern and a numeric
 *       factorization per matrix.
 *   <li>{@link org.jmor.discretizer.operators.LinearSolver}: {@code x = A^{-1} b}.
 * </ul>
 */
@NullMarked
package org.jmor.discretizer.operators;

import org.jspecify.annotations.NullMarked;
