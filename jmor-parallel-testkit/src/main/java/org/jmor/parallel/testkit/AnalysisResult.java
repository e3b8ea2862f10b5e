package org.jmor.parallel.testkit;

import java.io.Serializable;

/**
 * One row of an error analysis (pyMOR's {@code reduction_error_analysis}): the parameter, the full
 * and reduced outputs, and the error between them. Equality compares the doubles bit for bit
 * (record semantics), so two results are equal only when computed identically.
 *
 * @param mu the parameter
 * @param output the full model's output
 * @param reducedOutput the reduced model's output
 * @param error {@code |output - reducedOutput|}
 */
public record AnalysisResult(double mu, double output, double reducedOutput, double error)
    implements Serializable {}
