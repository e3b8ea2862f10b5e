package org.jmor.rb.reductors;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jmor.base.Immutable;
import org.jmor.vectors.ProductOperator;
import org.jspecify.annotations.Nullable;

/**
 * A growing list of vectors together with their images {@code P v} under an inner-product operator
 * {@code P} (or the Euclidean product when {@code P} is null), and pyMOR's modified Gram–Schmidt
 * ({@code gram_schmidt(A, product, offset=len, copy=False)}) for appending new vectors.
 *
 * <p>Keeping {@code P v_j} for every kept vector lets the coefficient {@code p = v_j^T P a = (P
 * v_j)^T a} be a plain dot product, so one pass over {@code j} costs a single application of {@code
 * P} (for the new norm) instead of one per {@code j}; the result is pyMOR's up to round-off. Not
 * thread-safe.
 */
final class ProductBasis {

  static final double ATOL = 1e-13;
  static final double RTOL = 1e-13;
  static final double REITERATION_THRESHOLD = 0.9;
  static final double CHECK_TOL = 1e-3;

  private final int n;
  private final @Nullable ProductOperator product;
  private double[][] vectors = new double[8][];
  private double[][] images = new double[8][];
  private int len;

  /** Re-orthonormalization passes performed so far (for diagnostics and tests). */
  private int reiterations;

  ProductBasis(int n, @Nullable ProductOperator product) {
    if (product != null && product.dim() != n) {
      throw new IllegalArgumentException(
          "product has dimension " + product.dim() + ", vectors have " + n);
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

  /**
   * Appends {@code v} with its given image {@code P v} (the state saved by a checkpoint, so that a
   * later Gram–Schmidt pass uses exactly the saved image); takes ownership of both. For the
   * Euclidean product the image is {@code v} itself.
   */
  void appendWithImage(double[] v, double[] pv) {
    if (v.length != n || pv.length != n) {
      throw new IllegalArgumentException(
          "vector and image must have length " + n + ", got " + v.length + " and " + pv.length);
    }
    add(v, product == null ? v : pv);
  }

  /** Appends {@code v} as it is (no orthonormalization); takes ownership of {@code v}. */
  void appendRaw(double[] v) {
    add(v, apply(product, v));
  }

  /**
   * Appends the candidates in order and orthonormalizes them by modified Gram–Schmidt with pyMOR's
   * defaults: a candidate with initial norm {@code <= 1e-13} is dropped; otherwise it is
   * orthogonalized against every kept vector ({@code a -= (v_j^T P a) v_j}, {@code j} ascending),
   * dropped if its new norm is {@code <= 1e-13} times its initial norm, orthogonalized again if the
   * norm fell below {@code 0.9} times the norm before the pass, else scaled by {@code 1/norm}.
   * Takes ownership of (and modifies) the candidate arrays.
   *
   * @param candidates the new vectors
   * @param check whether to verify {@code |v_i^T P v_j - delta_ij| < 1e-3} for the new vectors
   * @return the number of vectors appended
   * @throws ArithmeticException if the check fails
   */
  int appendOrthonormalized(List<double[]> candidates, boolean check) {
    int offset = len;
    appendPrepared(prepare(candidates, product, snapshot()));
    if (check) {
      check(offset);
    }
    return len - offset;
  }

  /**
   * The part of {@link #appendOrthonormalized} that depends on each candidate and the vectors kept
   * before the batch only: the initial norm and, if the candidate is kept, its first pass of
   * Gram–Schmidt against the vectors of {@code basis} (all of which come before every candidate of
   * the batch). Independent for each candidate, so batches may be split over workers; the
   * arithmetic of each candidate is exactly that of the serial algorithm.
   *
   * @param as the candidates; modified (each is its candidate's vector afterwards)
   * @param product the inner product, null for the Euclidean one
   * @param basis the vectors kept before the batch
   * @return the prepared candidates, in order
   */
  static List<Candidate> prepare(
      List<double[]> as, @Nullable ProductOperator product, Snapshot basis) {
    List<Candidate> out = new ArrayList<>(as.size());
    List<double[]> passing = new ArrayList<>(as.size());
    for (double[] a : as) {
      if (a.length != basis.n) {
        throw new IllegalArgumentException(
            "vector length must be " + basis.n + ", got " + a.length);
      }
      double[] pa = apply(product, a);
      double initialNorm = Math.sqrt(dot(a, pa));
      if (initialNorm <= ATOL) {
        out.add(Candidate.DROPPED);
      } else if (basis.len == 0) {
        out.add(new Candidate(a, pa, initialNorm, 0));
      } else {
        out.add(new Candidate(a, null, initialNorm, basis.len));
        passing.add(a);
      }
    }
    for (double[] a : passing) {
      pass(a, basis.vectors, basis.images, 0, basis.len);
    }
    return out;
  }

  /**
   * Appends candidates prepared against the current vectors ({@link #prepare}), in order: the rest
   * of {@link #appendOrthonormalized}, without the check.
   *
   * @param candidates the prepared candidates, each prepared against exactly the current vectors
   * @return the number of vectors appended
   */
  int appendPrepared(List<Candidate> candidates) {
    int offset = len;
    for (Candidate c : candidates) {
      if (c.initialNorm <= ATOL) {
        continue;
      }
      if (c.done != (c.pa != null ? 0 : offset)) {
        throw new IllegalArgumentException(
            "candidate prepared against " + c.done + " vectors, the basis had " + offset);
      }
      double[] a = Objects.requireNonNull(c.a); // only DROPPED has none, and its norm is 0
      double initialNorm = c.initialNorm;
      if (len == 0) {
        // prepared against the empty basis (checked above), so P a is there
        double[] pa0 = Objects.requireNonNull(c.pa);
        scale(a, pa0, 1 / initialNorm);
        add(a, pa0);
        continue;
      }
      double norm = initialNorm;
      int from = c.pa != null ? 0 : c.done;
      while (true) {
        pass(a, vectors, images, from, len);
        double[] pa = apply(product, a);
        double oldNorm = norm;
        norm = Math.sqrt(dot(a, pa));
        if (norm <= RTOL * initialNorm) {
          break; // linearly dependent: dropped
        }
        if (norm < REITERATION_THRESHOLD * oldNorm) {
          reiterations++;
          from = 0;
          continue;
        }
        scale(a, pa, 1 / norm);
        add(a, pa);
        break;
      }
    }
    return len - offset;
  }

  /**
   * pyMOR's orthonormality check of the vectors from {@code offset} on.
   *
   * @param offset the first vector checked
   * @throws ArithmeticException if {@code |v_i^T P v_j - delta_ij| >= 1e-3} for some {@code i >=
   *     offset}
   */
  void check(int offset) {
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

  /**
   * @return an immutable view of the current vectors (later appends do not change it)
   */
  Snapshot snapshot() {
    return new Snapshot(n, len, Arrays.copyOf(vectors, len), Arrays.copyOf(images, len));
  }

  /**
   * One Gram–Schmidt pass of {@code a} against {@code v_j}, {@code from <= j < to}: {@code a -=
   * (w_j^T a) v_j} with {@code w_j = P v_j}.
   */
  static void pass(double[] a, double[][] v, double[][] w, int from, int to) {
    int n = a.length;
    for (int j = from; j < to; j++) {
      double p = dot(w[j], a);
      double[] vj = v[j];
      for (int k = 0; k < n; k++) {
        a[k] -= p * vj[k];
      }
    }
  }

  /**
   * The first {@code len} vectors of a {@link ProductBasis} and their images: immutable (the arrays
   * of kept vectors never change), so pools share it instead of copying it.
   */
  static final class Snapshot implements Immutable, Serializable {
    private static final long serialVersionUID = 1L;
    final int n;
    final int len;
    final double[][] vectors;
    final double[][] images;

    Snapshot(int n, int len, double[][] vectors, double[][] images) {
      this.n = n;
      this.len = len;
      this.vectors = vectors;
      this.images = images;
    }
  }

  /** A candidate after {@link #prepare}. */
  static final class Candidate implements Serializable {
    private static final long serialVersionUID = 1L;
    static final Candidate DROPPED = new Candidate(null, null, 0.0, 0);

    /** The vector after the first pass against the prepared-against vectors. */
    final double @Nullable [] a;

    /** {@code P a} when no pass was made (empty basis), else null. */
    final double @Nullable [] pa;

    final double initialNorm;

    /** Number of basis vectors the first pass went through. */
    final int done;

    Candidate(double @Nullable [] a, double @Nullable [] pa, double initialNorm, int done) {
      this.a = a;
      this.pa = pa;
      this.initialNorm = initialNorm;
      this.done = done;
    }
  }

  private static double[] apply(@Nullable ProductOperator product, double[] a) {
    if (product == null) {
      return a;
    }
    double[] pa = new double[a.length];
    product.apply(a, 0, pa, 0);
    return pa;
  }

  private static void scale(double[] a, double[] pa, double s) {
    int n = a.length;
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
