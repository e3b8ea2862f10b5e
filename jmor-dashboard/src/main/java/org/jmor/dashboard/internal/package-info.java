/** The dashboard's implementation: not API, may change without notice. */
@NullMarked
package org.jmor.dashboard.internal;

import org.jspecify.annotations.NullMarked;
