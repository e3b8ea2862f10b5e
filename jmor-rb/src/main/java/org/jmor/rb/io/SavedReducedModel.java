package org.jmor.rb.io;

import org.jmor.rb.algorithms.ParameterSpace;
import org.jmor.rb.reductors.ReducedModel;

/**
 * The content of a reduced-model file (pyMOR's {@code (rom, parameter_space)}).
 *
 * @param rom the reduced model
 * @param parameterSpace its parameter space
 * @param parameterName the name of the parameter ({@code diffusion} for the thermal block)
 */
public record SavedReducedModel(
    ReducedModel rom, ParameterSpace parameterSpace, String parameterName) {}
