package org.jmor.thermalblock.reductors;

import java.util.Arrays;
import java.util.List;

import org.jmor.vectors.ProductOperator;

/**
 * A growing list of vectors together with their images {@code P v} under an inner-product
 * operator {@code P} (or the Euclidean product when {@code P} is null), and pyMOR's modified
 * Gram–Schmidt ({@code gram_schmidt(A, product, offset=len, copy=False)}) for appending new
 * vectors.
 *
 * <p>Keeping {@code P v_j} for every kept vector lets the coefficient
 * {@code p = v_j^T P a = (P v_j)^T a} be a plain dot product, so one pass over {@code j} costs a
 * single application of {@code P} (for the new norm) instead of one per {@code j}; the result is
 * pyMOR's up to round-off. Not thread-safe.</p>
 */
final class ProductBasis {

    static final double ATOL = 1e-13;
    static final double RTOL = 1e-13;
    static final double REITERATION_THRESHOLD = 0.9;
    static final double CHECK_TOL = 1e-3;

    private final int n;
    private final ProductOperator product;
    private double[][] vectors = new double[8][];
    private double[][] images = new double[8][];
    private int len;
    /** Re-orthonormalization passes performed so far (for diagnostics and tests). */
    private int reiterations;

    ProductBasis(int n, ProductOperator product) {
        if (product != null && product.dim() != n) {
            throw new IllegalArgumentException("product has dimension " + product.dim()
                    + ", vectors have " + n);
        }
        this.n = n;
        this.product = product;
    }

    int dim() {
        return n;
    }

    int len() {
        return len;
    }

    int reiterations() {
        return reiterations;
    }

    /** Vector {@code i} (internal storage, do not modify). */
    double[] vector(int i) {
        return vectors[i];
    }

    /** {@code P v_i} (internal storage, do not modify). */
    double[] image(int i) {
        return images[i];
    }

    /** Appends {@code v} as it is (no orthonormalization); takes ownership of {@code v}. */
    void appendRaw(double[] v) {
        add(v, apply(v));
    }

    /**
     * Appends the candidates in order and orthonormalizes them by modified Gram–Schmidt with
     * pyMOR's defaults: a candidate with initial norm {@code <= 1e-13} is dropped; otherwise it is
     * orthogonalized against every kept vector ({@code a -= (v_j^T P a) v_j}, {@code j} ascending),
     * dropped if its new norm is {@code <= 1e-13} times its initial norm, orthogonalized again if
     * the norm fell below {@code 0.9} times the norm before the pass, else scaled by
     * {@code 1/norm}. Takes ownership of (and modifies) the candidate arrays.
     *
     * @param candidates the new vectors
     * @param check whether to verify {@code |v_i^T P v_j - delta_ij| < 1e-3} for the new vectors
     * @return the number of vectors appended
     * @throws ArithmeticException if the check fails
     */
    int appendOrthonormalized(List<double[]> candidates, boolean check) {
        int offset = len;
        for (double[] a : candidates) {
            if (a.length != n) {
                throw new IllegalArgumentException("vector length must be " + n + ", got "
                        + a.length);
            }
            double[] pa = apply(a);
            double initialNorm = Math.sqrt(dot(a, pa));
            if (initialNorm <= ATOL) {
                continue;
            }
            if (len == 0) {
                scale(a, pa, 1 / initialNorm);
                add(a, pa);
                continue;
            }
            double norm = initialNorm;
            boolean first = true;
            while (true) {
                if (!first) {
                    reiterations++;
                }
                first = false;
                for (int j = 0; j < len; j++) {
                    double p = dot(images[j], a);
                    double[] v = vectors[j];
                    for (int k = 0; k < n; k++) {
                        a[k] -= p * v[k];
                    }
                }
                pa = apply(a);
                double oldNorm = norm;
                norm = Math.sqrt(dot(a, pa));
                if (norm <= RTOL * initialNorm) {
                    break; // linearly dependent: dropped
                }
                if (norm < REITERATION_THRESHOLD * oldNorm) {
                    continue;
                }
                scale(a, pa, 1 / norm);
                add(a, pa);
                break;
            }
        }
        if (check) {
            double err = 0.0;
            for (int i = offset; i < len; i++) {
                for (int j = 0; j < len; j++) {
                    err = Math.max(err, Math.abs(dot(vectors[i], images[j]) - (i == j ? 1 : 0)));
                }
            }
            if (err >= CHECK_TOL) {
                throw new ArithmeticException("result not orthogonal (max err=" + err + ")");
            }
        }
        return len - offset;
    }

    private double[] apply(double[] a) {
        if (product == null) {
            return a;
        }
        double[] pa = new double[n];
        product.apply(a, 0, pa, 0);
        return pa;
    }

    private void scale(double[] a, double[] pa, double s) {
        for (int k = 0; k < n; k++) {
            a[k] *= s;
        }
        if (pa != a) {
            for (int k = 0; k < n; k++) {
                pa[k] *= s;
            }
        }
    }

    private void add(double[] v, double[] pv) {
        if (len == vectors.length) {
            vectors = Arrays.copyOf(vectors, 2 * len);
            images = Arrays.copyOf(images, 2 * len);
        }
        vectors[len] = v;
        images[len] = pv;
        len++;
    }

    /**
     * {@code x^T y} with four interleaved partial sums (like an unrolled BLAS {@code ddot}); the
     * rounding differs from a left-to-right sum only at the level of round-off.
     */
    static double dot(double[] x, double[] y) {
        int n = x.length;
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            s0 += x[k] * y[k];
            s1 += x[k + 1] * y[k + 1];
            s2 += x[k + 2] * y[k + 2];
            s3 += x[k + 3] * y[k + 3];
        }
        for (; k < n; k++) {
            s0 += x[k] * y[k];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
