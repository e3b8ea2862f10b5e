package org.jmor.thermalblock.io;

import org.jmor.rb.algorithms.ParameterSpace;
import org.jmor.rb.reductors.ReducedModel;
import org.jspecify.annotations.Nullable;

/**
 * The content of a reduced-model file (pyMOR's {@code (rom, parameter_space)}).
 *
 * @param rom the reduced model
 * @param parameterSpace its parameter space
 * @param parameterName the name of the parameter ({@code diffusion} for the thermal block)
 * @param detailedModel the detailed model and reductor it was reduced from, or null for a file of
 *     format version 1, which does not record it
 */
public record SavedReducedModel(
    ReducedModel rom,
    ParameterSpace parameterSpace,
    String parameterName,
    @Nullable DetailedModelId detailedModel) {}
