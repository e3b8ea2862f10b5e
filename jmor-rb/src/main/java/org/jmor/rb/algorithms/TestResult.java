package org.jmor.rb.algorithms;

import java.io.Serializable;

/**
 * The error analysis of one test parameter (pyMOR's {@code _compute_errors} with the demo's error
 * norms {@code h1_0_semi} and {@code l2}).
 *
 * @param h1Norm {@code ||U||_{h1_0_semi}} of the full-order solution {@code U}
 * @param l2Norm {@code ||U||_{l2}}
 * @param h1Error {@code ||U - V u_N||_{h1_0_semi}}
 * @param l2Error {@code ||U - V u_N||_{l2}}
 * @param estimate the error estimate {@code Delta(mu)}
 * @param effectivity {@code h1Error / estimate} (pyMOR's convention; at most 1 for a valid bound)
 * @param condition 2-norm condition number of {@code A_N(mu)}, 0 for an empty basis
 */
public record TestResult(
    double h1Norm,
    double l2Norm,
    double h1Error,
    double l2Error,
    double estimate,
    double effectivity,
    double condition)
    implements Serializable {}
