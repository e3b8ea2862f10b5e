/**
 * The caching wrapper around a full-order model's solve ({@link
 * org.jmor.cache.models.CachedStationaryModel}, pyMOR's {@code fom.enable_caching(region,
 * cache_id)}).
 */
@NullMarked
package org.jmor.cache.models;

import org.jspecify.annotations.NullMarked;
