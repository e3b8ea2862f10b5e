/**
 * Bit-exact pure-Java ports of numpy's (&gt;= 1.19) random streams, so that Java code reproduces
 * pyMOR's random parameters bit for bit.
 *
 * <ul>
 *   <li>{@link org.jmor.random.SeedSequence}: {@code numpy.random.SeedSequence} (integer entropy,
 *       spawn keys, {@code generate_state}, {@code spawn}).
 *   <li>{@link org.jmor.random.Pcg64}: {@code numpy.random.PCG64} plus {@code Generator.random()}
 *       and {@code Generator.uniform(low, high, size)}; {@link
 *       org.jmor.random.Pcg64#defaultRng(long)} is {@code numpy.random.default_rng(seed)}.
 * </ul>
 *
 * <p>Example: {@code np.random.default_rng(42).uniform(0.1, 1.0, 40)} is {@code
 * Pcg64.defaultRng(42).uniform(0.1, 1.0, 40)}, and {@code
 * np.random.Generator(np.random.PCG64(np.random.SeedSequence(42).spawn(3)[i]))} is {@code
 * Pcg64.of(SeedSequence.of(42).child(i))}.
 *
 * <p>Note on numpy versions: numpy 1.17/1.18 assembled spawned sequences' entropy without
 * zero-padding (gh-16539, fixed in 1.19), so spawned children of small seeds differ from those
 * versions; root sequences and {@code default_rng(seed)} are identical for all numpy &gt;= 1.17.
 */
@NullMarked
package org.jmor.random;

import org.jspecify.annotations.NullMarked;
