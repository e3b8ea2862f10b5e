/**
 * Types shared by every jmor module, with no dependencies of their own, so that model code (for
 * example {@code jmor-discretizer}) can use them without depending on the worker pools: {@link
 * org.jmor.base.Immutable}, the marker for objects that worker pools ship once and share.
 */
@NullMarked
package org.jmor.base;

import org.jspecify.annotations.NullMarked;
