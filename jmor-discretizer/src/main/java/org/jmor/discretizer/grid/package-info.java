/**
 * Structured triangular grids of the unit square.
 *
 * <p>{@link org.jmor.discretizer.grid.TriaGrid} is pyMOR's {@code TriaGrid}: {@code N x N} square
 * cells, each split into four right isosceles triangles by its two diagonals. Coordinates are exact
 * multiples of {@code h/2} (rounded once to the nearest double), not computed through pyMOR's
 * rotated embedding.
 */
@NullMarked
package org.jmor.discretizer.grid;

import org.jspecify.annotations.NullMarked;
