/**
 * Saved models (pyMOR's {@code --pickle}): {@link org.jmor.thermalblock.io.ModelFiles} writes and
 * reads a reduced model with its parameter space, and a detailed model with its reductor, in a
 * documented, versioned binary format.
 */
@NullMarked
package org.jmor.thermalblock.io;

import org.jspecify.annotations.NullMarked;
