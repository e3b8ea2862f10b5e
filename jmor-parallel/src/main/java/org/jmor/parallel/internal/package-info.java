/**
 * Internal: the commands, the worker protocol ({@link org.jmor.parallel.internal.Protocol}) and the
 * out-of-band codec ({@link org.jmor.parallel.internal.FrameCodec}). Not an API: these classes are
 * public only so that the core's other packages and the test kit can reach them, and they change
 * without notice. Backends use {@link org.jmor.parallel.spi} instead.
 */
@NullMarked
package org.jmor.parallel.internal;

import org.jspecify.annotations.NullMarked;
