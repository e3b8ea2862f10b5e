/**
 * The caching wrapper around a full-order model's solve ({@link
 * org.jmor.thermalblock.cache.CachedStationaryModel}, pyMOR's {@code fom.enable_caching(region,
 * cache_id)}).
 */
@NullMarked
package org.jmor.thermalblock.cache;

import org.jspecify.annotations.NullMarked;
