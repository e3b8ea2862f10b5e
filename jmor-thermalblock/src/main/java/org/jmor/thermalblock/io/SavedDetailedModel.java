package org.jmor.thermalblock.io;

import org.jmor.rb.reductors.StationaryRBReductor;
import org.jmor.thermalblock.ThermalBlockModel;

/**
 * The content of a detailed-model file (pyMOR's {@code (fom, reductor)}): the full-order model,
 * rebuilt from its definition, and a reductor holding the saved basis. {@code
 * reductor().reduce(dim)} gives the reduced model of the first {@code dim} basis vectors.
 *
 * @param fom the full-order model
 * @param reductor the reductor, with the saved basis (its offline data are recomputed by the first
 *     {@code reduce})
 */
public record SavedDetailedModel(ThermalBlockModel fom, StationaryRBReductor reductor) {}
