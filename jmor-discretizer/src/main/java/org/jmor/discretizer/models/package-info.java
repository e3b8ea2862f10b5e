/**
 * Full-order models: the {@link org.jmor.discretizer.models.StationaryModel} interface (a linear
 * stationary model with an affine parameter dependence) and the inner {@link
 * org.jmor.discretizer.models.Product products} of its solutions. The thermal-block model of
 * pyMOR's demo, built from this module's grids, P1 assembly and operators, is in the application
 * module {@code jmor-thermalblock}.
 */
@NullMarked
package org.jmor.discretizer.models;

import org.jspecify.annotations.NullMarked;
