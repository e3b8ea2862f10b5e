package org.jmor.vectors;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.ejml.data.DMatrixRMaj;
import org.jspecify.annotations.Nullable;

/**
 * A dense array of {@link #len()} real vectors, each of dimension {@link #dim()}; the JVM
 * counterpart of pyMOR's {@code NumpyVectorArray}.
 *
 * <p><b>Storage.</b> The vectors are stored in one contiguous row-major {@code double[]}: entry
 * {@code j} of vector {@code i} is at position {@code i*dim + j}. Only the first {@code len*dim}
 * entries are used; the rest is spare capacity so that {@link #append(VectorArray)} runs in
 * amortized constant time per vector. All operations are plain loops over this array.
 *
 * <p><b>Views.</b> {@link #view(int...)} returns an array that selects vectors of this array by
 * index and <em>shares</em> its storage: {@link #get}, {@link #set}, {@link #scal}, {@link #axpy}
 * etc. on the view read and modify the base array. Structural changes ({@link #append}, {@link
 * #remove}, {@link #clear}) are not allowed on a view ({@link UnsupportedOperationException}). Any
 * structural change of the base array <em>invalidates</em> all of its views: every later use of
 * such a view throws {@link IllegalStateException}. A view of a view selects from the same base
 * array (indices are composed). In-place arithmetic ({@code scal}, {@code axpy}) on a view with
 * repeated indices is rejected, since it would be ambiguous.
 *
 * <p><b>Equality.</b> {@link #equals(Object)} and {@link #hashCode()} compare by value (dim, len
 * and all entries with {@link Double#compare} semantics, like {@link
 * java.util.Arrays#equals(double[], double[])}); a view equals a plain array with the same content.
 * Since arrays are mutable, do not modify an array while it is used as a key in a hash-based
 * collection.
 *
 * <p><b>Serialization.</b> An array is serialized as {@code len}, {@code dim} and one {@code
 * double[]} of exactly {@code len*dim} entries (no spare capacity, no per-element objects). A view
 * serializes as a compact plain copy of its selected vectors.
 *
 * <p><b>Thread safety.</b> This class is <em>not</em> thread-safe. Concurrent reads are safe only
 * if no thread modifies the array (or its base) at the same time; otherwise synchronize externally.
 *
 * <p>Example:
 *
 * <pre>{@code
 * VectorArray u = VectorArray.zeros(3, 10);        // 3 vectors of dimension 10
 * u.set(0, 0, 1.0);
 * VectorArray v = u.copy();
 * v.axpy(2.0, u);                                  // v[i] += 2 * u[i]
 * double[][] g = v.inner(u);                       // 3 x 3 inner products
 * VectorArray first = v.view(0);                   // shares storage with v
 * first.scal(0.5);                                 // halves v[0]
 * v.append(VectorArray.ofRows(new double[10]));    // structural change: 'first' is now invalid
 * }</pre>
 */
public final class VectorArray implements Serializable {

  private static final long serialVersionUID = 1L;

  private static final double[] EMPTY = new double[0];

  /** Absolute tolerance below which negative squared norms are treated as round-off. */
  private static final double NORM2_TOL = 1e-10;

  private static final String INVALIDATED =
      "view invalidated by a structural change of its base array";

  /** Dimension of every vector; immutable. */
  private final int dim;

  /** The array that owns the storage; {@code this} for non-views. */
  private final VectorArray root;

  /** For views: indices into {@code root}; {@code null} for non-views. */
  private final int @Nullable [] idx;

  /** For views: value of {@code root.modCount} at creation. */
  private final int expectedMod;

  /**
   * Row-major storage (owned arrays only; views hold {@link #EMPTY} and read {@code root.data}).
   */
  private double[] data;

  /** Number of vectors. For views {@code idx.length}. */
  private int len;

  /** Counts structural changes (owned arrays only). */
  private int modCount;

  /** For views: lazily computed "indices are pairwise distinct" flag (0 unknown, 1 yes, 2 no). */
  private byte uniqueState;

  // ------------------------------------------------------------------ construction

  private VectorArray(int len, int dim, double[] data) {
    this.dim = dim;
    this.len = len;
    this.data = data;
    this.root = this;
    this.idx = null;
    this.expectedMod = 0;
  }

  private VectorArray(VectorArray root, int[] idx) {
    this.dim = root.dim;
    this.root = root;
    this.idx = idx;
    this.len = idx.length;
    this.expectedMod = root.modCount;
    this.data = EMPTY;
  }

  private static void checkNonNegative(int value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }
  }

  private static int size(int len, int dim) {
    long n = (long) len * dim;
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "len*dim too large: "
              + len
              + " * "
              + dim
              + " = "
              + n
              + " exceeds the maximal array size "
              + (Integer.MAX_VALUE - 8));
    }
    return (int) n;
  }

  /**
   * Creates an array of {@code len} zero vectors of dimension {@code dim}.
   *
   * @param len number of vectors, {@code >= 0}
   * @param dim dimension, {@code >= 0}
   * @return a new array
   * @throws IllegalArgumentException if {@code len < 0}, {@code dim < 0} or {@code len*dim} exceeds
   *     the maximal Java array size
   */
  public static VectorArray zeros(int len, int dim) {
    checkNonNegative(len, "len");
    checkNonNegative(dim, "dim");
    int n = size(len, dim);
    return new VectorArray(len, dim, n == 0 ? EMPTY : new double[n]);
  }

  /**
   * Creates an empty array ({@code len == 0}) of vectors of dimension {@code dim}.
   *
   * @param dim dimension, {@code >= 0}
   * @return a new empty array
   * @throws IllegalArgumentException if {@code dim < 0}
   */
  public static VectorArray empty(int dim) {
    return zeros(0, dim);
  }

  /**
   * Creates an array whose vectors are copies of the given rows.
   *
   * <p>Not modified: {@code rows}.
   *
   * @param rows the vectors; at least one, all of the same length
   * @return a new array with {@code len == rows.length} and {@code dim == rows[0].length}
   * @throws IllegalArgumentException if no rows are given (the dimension would be unknown) or the
   *     rows have different lengths
   * @throws NullPointerException if {@code rows} or one of its rows is null
   */
  public static VectorArray ofRows(double[]... rows) {
    Objects.requireNonNull(rows, "rows");
    if (rows.length == 0) {
      throw new IllegalArgumentException(
          "ofRows() needs at least one row to determine dim; use empty(dim) instead");
    }
    int dim = Objects.requireNonNull(rows[0], "rows[0]").length;
    for (int i = 1; i < rows.length; i++) {
      Objects.requireNonNull(rows[i], "rows[" + i + "]");
      if (rows[i].length != dim) {
        throw new IllegalArgumentException(
            "row length mismatch: rows[0] has length "
                + dim
                + ", rows["
                + i
                + "] has length "
                + rows[i].length
                + " (all rows must have the same length)");
      }
    }
    VectorArray a = zeros(rows.length, dim);
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, a.data, i * dim, dim);
    }
    return a;
  }

  /**
   * Creates an array from row-major data: vector {@code i} is {@code data[i*dim .. (i+1)*dim)}. The
   * first {@code len*dim} values are copied; further entries of {@code data} are ignored.
   *
   * <p>Not modified: {@code data}.
   *
   * @param len number of vectors, {@code >= 0}
   * @param dim dimension, {@code >= 0}
   * @param data the values, {@code data.length >= len*dim}
   * @return a new array
   * @throws IllegalArgumentException if {@code len < 0}, {@code dim < 0} or {@code data.length <
   *     len*dim}
   * @throws NullPointerException if {@code data} is null
   */
  public static VectorArray fromRowMajor(int len, int dim, double[] data) {
    Objects.requireNonNull(data, "data");
    checkNonNegative(len, "len");
    checkNonNegative(dim, "dim");
    int n = size(len, dim);
    if (data.length < n) {
      throw new IllegalArgumentException(
          "data too short: len*dim = "
              + len
              + "*"
              + dim
              + " = "
              + n
              + " values needed, data has length "
              + data.length);
    }
    VectorArray a = zeros(len, dim);
    System.arraycopy(data, 0, a.data, 0, n);
    return a;
  }

  /**
   * Creates a new array containing copies of the vectors of all parts, in order.
   *
   * <p>Not modified: {@code parts} and their vectors. Parts may be views.
   *
   * @param parts at least one array, all of the same dimension
   * @return a new array with {@code len} equal to the sum of the parts' lengths
   * @throws IllegalArgumentException if {@code parts} is empty or the dimensions differ
   * @throws NullPointerException if {@code parts} or one of its elements is null
   * @throws IllegalStateException if a part is an invalidated view
   */
  public static VectorArray concat(List<VectorArray> parts) {
    Objects.requireNonNull(parts, "parts");
    if (parts.isEmpty()) {
      throw new IllegalArgumentException(
          "concat needs at least one part to determine dim; got an empty list");
    }
    VectorArray first = Objects.requireNonNull(parts.get(0), "parts[0]");
    int dim = first.dim;
    long total = 0;
    for (int p = 0; p < parts.size(); p++) {
      VectorArray part = Objects.requireNonNull(parts.get(p), "parts[" + p + "]");
      if (part.dim != dim) {
        throw new IllegalArgumentException(
            "dim mismatch: parts[0] has dim "
                + dim
                + ", parts["
                + p
                + "] has dim "
                + part.dim
                + " (all parts must have the same dim)");
      }
      total += part.len();
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("total len too large: " + total);
    }
    VectorArray result = zeros((int) total, dim);
    int pos = 0;
    for (VectorArray part : parts) {
      part.copyRowsInto(result.data, pos);
      pos += part.len * dim;
    }
    return result;
  }

  // ------------------------------------------------------------------ internals

  private void checkValid() {
    if (idx != null && root.modCount != expectedMod) {
      throw new IllegalStateException(INVALIDATED);
    }
  }

  /** Offset of vector {@code i} in {@code root.data}; no checks. */
  private int off(int i) {
    return (idx == null ? i : idx[i]) * dim;
  }

  private void checkNotView(String op) {
    if (idx != null) {
      throw new UnsupportedOperationException(
          op
              + " is not supported on a view "
              + "(views have a fixed set of vectors; apply it to the base array or to a copy)");
    }
  }

  private static void checkVectorIndex(int i, int len) {
    if (i < 0 || i >= len) {
      throw new IndexOutOfBoundsException(
          "vector index "
              + i
              + " out of range for len "
              + len
              + " (allowed: 0 <= index < "
              + len
              + ")");
    }
  }

  private void checkEntryIndex(int i, int j) {
    checkVectorIndex(i, len);
    if (j < 0 || j >= dim) {
      throw new IndexOutOfBoundsException(
          "entry index "
              + j
              + " out of range for dim "
              + dim
              + " (allowed: 0 <= index < "
              + dim
              + ")");
    }
  }

  private void checkSameDim(VectorArray other, String name) {
    Objects.requireNonNull(other, name);
    if (other.dim != dim) {
      throw new IllegalArgumentException(
          "dim mismatch: this has dim " + dim + ", " + name + " has dim " + other.dim);
    }
  }

  private void checkProduct(ProductOperator product) {
    Objects.requireNonNull(product, "product");
    if (product.dim() != dim) {
      throw new IllegalArgumentException(
          "dim mismatch: this has dim " + dim + ", product has dim " + product.dim());
    }
  }

  private void checkLength(double[] values, String name) {
    Objects.requireNonNull(values, name);
    if (values.length != len) {
      throw new IllegalArgumentException(
          name
              + " length mismatch: "
              + name
              + " has length "
              + values.length
              + ", this has len "
              + len
              + " (one value per vector required)");
    }
  }

  /** Rejects in-place arithmetic on views with repeated indices. */
  private void checkUniqueForInPlace(String op) {
    if (idx == null) {
      return;
    }
    if (uniqueState == 0) {
      boolean[] seen = new boolean[root.len];
      uniqueState = 1;
      for (int k : idx) {
        if (seen[k]) {
          uniqueState = 2;
          break;
        }
        seen[k] = true;
      }
    }
    if (uniqueState == 2) {
      throw new IllegalArgumentException(
          op
              + " on a view with repeated indices is not "
              + "allowed (the result would depend on the order of updates); use distinct indices");
    }
  }

  /** Copies the selected vectors contiguously into {@code dest} starting at {@code pos}. */
  private void copyRowsInto(double[] dest, int pos) {
    checkValid();
    double[] src = root.data;
    if (idx == null) {
      System.arraycopy(src, 0, dest, pos, len * dim);
    } else {
      for (int i = 0; i < len; i++) {
        System.arraycopy(src, off(i), dest, pos + i * dim, dim);
      }
    }
  }

  private void ensureCapacity(int newLen) {
    int needed = size(newLen, dim);
    if (needed <= data.length) {
      return;
    }
    long grown = (long) data.length + (data.length >> 1);
    int newCap = (int) Math.min(Math.max(grown, needed), Integer.MAX_VALUE - 8);
    double[] nd = new double[newCap];
    System.arraycopy(data, 0, nd, 0, len * dim);
    data = nd;
  }

  private static double dot(double[] a, int ao, double[] b, int bo, int n) {
    double s = 0.0;
    for (int k = 0; k < n; k++) {
      s += a[ao + k] * b[bo + k];
    }
    return s;
  }

  // ------------------------------------------------------------------ accessors

  /**
   * Returns the number of vectors.
   *
   * @return {@code len >= 0}
   * @throws IllegalStateException if this is an invalidated view
   */
  public int len() {
    checkValid();
    return len;
  }

  /**
   * Returns the dimension of the vectors.
   *
   * @return {@code dim >= 0}
   */
  public int dim() {
    return dim;
  }

  /**
   * Returns {@code true} if this array is a view sharing storage with a base array.
   *
   * @return whether this is a view
   */
  public boolean isView() {
    return idx != null;
  }

  /**
   * Returns entry {@code j} of vector {@code i}.
   *
   * @param i vector index, {@code 0 <= i < len}
   * @param j entry index, {@code 0 <= j < dim}
   * @return the value
   * @throws IndexOutOfBoundsException if an index is out of range
   * @throws IllegalStateException if this is an invalidated view
   */
  public double get(int i, int j) {
    checkValid();
    checkEntryIndex(i, j);
    return root.data[off(i) + j];
  }

  /**
   * Sets entry {@code j} of vector {@code i}: {@code this[i][j] = v}.
   *
   * <p>Modified: this (and the base array if this is a view).
   *
   * @param i vector index, {@code 0 <= i < len}
   * @param j entry index, {@code 0 <= j < dim}
   * @param v the new value
   * @throws IndexOutOfBoundsException if an index is out of range
   * @throws IllegalStateException if this is an invalidated view
   */
  public void set(int i, int j, double v) {
    checkValid();
    checkEntryIndex(i, j);
    root.data[off(i) + j] = v;
  }

  /**
   * Returns a copy of vector {@code i}.
   *
   * <p>Not modified: this.
   *
   * @param i vector index, {@code 0 <= i < len}
   * @return a new array of length {@code dim}
   * @throws IndexOutOfBoundsException if {@code i} is out of range
   * @throws IllegalStateException if this is an invalidated view
   */
  public double[] row(int i) {
    checkValid();
    checkVectorIndex(i, len);
    double[] r = new double[dim];
    System.arraycopy(root.data, off(i), r, 0, dim);
    return r;
  }

  /**
   * Returns a row-major copy of all vectors: vector {@code i} is at {@code [i*dim, (i+1)*dim)}.
   *
   * <p>Not modified: this.
   *
   * @return a new array of length exactly {@code len*dim}
   * @throws IllegalStateException if this is an invalidated view
   */
  public double[] toRowMajor() {
    checkValid();
    double[] r = new double[len * dim];
    copyRowsInto(r, 0);
    return r;
  }

  /**
   * Returns a copy as an EJML matrix with one row per vector ({@code len x dim}).
   *
   * <p>Not modified: this.
   *
   * @return a new {@code len x dim} matrix
   * @throws IllegalStateException if this is an invalidated view
   */
  public DMatrixRMaj toMatrix() {
    checkValid();
    DMatrixRMaj m = new DMatrixRMaj(len, dim);
    copyRowsInto(m.data, 0);
    return m;
  }

  // ------------------------------------------------------------------ copies and views

  /**
   * Returns a deep copy (never a view) with exactly {@code len*dim} storage.
   *
   * <p>Not modified: this.
   *
   * @return a new independent array equal to this
   * @throws IllegalStateException if this is an invalidated view
   */
  public VectorArray copy() {
    checkValid();
    return new VectorArray(len, dim, len * dim == 0 ? EMPTY : toRowMajor());
  }

  /**
   * Returns a deep copy of the selected vectors: {@code result[k] = this[indices[k]]}. Repeated
   * indices are allowed; order is kept.
   *
   * <p>Not modified: this.
   *
   * @param indices vector indices, each {@code 0 <= index < len}
   * @return a new independent array with {@code len == indices.length}
   * @throws IndexOutOfBoundsException if an index is out of range
   * @throws IllegalStateException if this is an invalidated view
   */
  public VectorArray copy(int... indices) {
    return view(indices).copy();
  }

  /**
   * Returns a deep copy of the vectors {@code from, ..., to-1}.
   *
   * <p>Not modified: this.
   *
   * @param from first index (inclusive), {@code 0 <= from <= to}
   * @param to last index (exclusive), {@code to <= len}
   * @return a new independent array with {@code len == to - from}
   * @throws IndexOutOfBoundsException if the range is not within {@code [0, len]} or {@code from >
   *     to}
   * @throws IllegalStateException if this is an invalidated view
   */
  public VectorArray copyRange(int from, int to) {
    checkValid();
    if (from < 0 || to > len || from > to) {
      throw new IndexOutOfBoundsException(
          "range ["
              + from
              + ", "
              + to
              + ") invalid for len "
              + len
              + " (allowed: 0 <= from <= to <= "
              + len
              + ")");
    }
    VectorArray r = zeros(to - from, dim);
    if (idx == null) {
      System.arraycopy(data, from * dim, r.data, 0, (to - from) * dim);
    } else {
      for (int i = from; i < to; i++) {
        System.arraycopy(root.data, off(i), r.data, (i - from) * dim, dim);
      }
    }
    return r;
  }

  /**
   * Returns a view of the selected vectors that shares storage with this array: {@code view[k]} is
   * {@code this[indices[k]]}. Repeated indices are allowed for reading; in-place arithmetic ({@code
   * scal}, {@code axpy}) requires distinct indices.
   *
   * <p>Reads and non-structural writes ({@link #set}, {@link #scal}, {@link #axpy}) on the view act
   * on the base array; {@link #append}, {@link #remove} and {@link #clear} on the view throw {@link
   * UnsupportedOperationException}. A structural change of the base array invalidates the view
   * (later use throws {@link IllegalStateException}). If this is itself a view, the returned view
   * selects directly from the same base array.
   *
   * <p>Not modified: this. {@code indices} is copied.
   *
   * @param indices vector indices, each {@code 0 <= index < len}
   * @return a view with {@code len == indices.length}
   * @throws IndexOutOfBoundsException if an index is out of range
   * @throws IllegalStateException if this is an invalidated view
   */
  public VectorArray view(int... indices) {
    Objects.requireNonNull(indices, "indices");
    checkValid();
    int[] composed = new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      int i = indices[k];
      checkVectorIndex(i, len);
      composed[k] = idx == null ? i : idx[i];
    }
    return new VectorArray(root, composed);
  }

  // ------------------------------------------------------------------ structural changes

  /**
   * Appends copies of the vectors of {@code other}: {@code this = [this, other]}. Same as {@code
   * append(other, false)}.
   *
   * <p>Modified: this (structural change; invalidates views of this). Not modified: other.
   *
   * @param other the vectors to append (may be this or a view), same dim
   * @throws IllegalArgumentException if the dims differ
   * @throws UnsupportedOperationException if this is a view
   * @throws IllegalStateException if other is an invalidated view
   */
  public void append(VectorArray other) {
    append(other, false);
  }

  /**
   * Appends the vectors of {@code other}: {@code this = [this, other]}. With {@code removeFromOther
   * == true} the vectors are moved: {@code other} is empty afterwards (if this is empty, the
   * storage of {@code other} is taken over without copying).
   *
   * <p>Modified: this (structural change; invalidates views of this); with {@code removeFromOther},
   * also other (cleared; invalidates views of other). Otherwise not modified: other.
   *
   * @param other the vectors to append, same dim
   * @param removeFromOther whether to remove the vectors from {@code other}
   * @throws IllegalArgumentException if the dims differ, or {@code removeFromOther} is true and
   *     {@code other} is this or a view
   * @throws UnsupportedOperationException if this is a view
   * @throws IllegalStateException if other is an invalidated view
   */
  @SuppressWarnings("ReferenceEquality") // identity is meant: appending an array to itself
  public void append(VectorArray other, boolean removeFromOther) {
    checkSameDim(other, "other");
    checkNotView("append");
    other.checkValid();
    if (removeFromOther) {
      if (other == this) {
        throw new IllegalArgumentException(
            "cannot append an array to itself with removeFromOther=true");
      }
      if (other.idx != null) {
        throw new IllegalArgumentException(
            "cannot move vectors out of a view "
                + "(removeFromOther=true requires other to be a plain array)");
      }
      if (len == 0) {
        // take over the storage
        data = other.data;
        len = other.len;
        other.data = EMPTY;
        other.len = 0;
        modCount++;
        other.modCount++;
        return;
      }
    }
    int n = other.len;
    if (n > Integer.MAX_VALUE - len) {
      throw new IllegalArgumentException("resulting len too large: " + len + " + " + n);
    }
    int oldLen = len;
    ensureCapacity(len + n);
    // other may share storage with this (other == this or a view of this); its rows are in the
    // unchanged prefix [0, oldLen*dim) of the (possibly reallocated) data array
    double[] src = other.root.data;
    if (other.idx == null) {
      System.arraycopy(src, 0, data, oldLen * dim, n * dim);
    } else {
      for (int i = 0; i < n; i++) {
        System.arraycopy(src, other.off(i), data, (oldLen + i) * dim, dim);
      }
    }
    len = oldLen + n;
    modCount++;
    if (removeFromOther) {
      other.clear();
    }
  }

  /**
   * Removes the selected vectors; the remaining vectors keep their order. Duplicate indices and any
   * order are allowed. Capacity is kept.
   *
   * <p>Modified: this (structural change; invalidates views of this).
   *
   * @param indices vector indices, each {@code 0 <= index < len}
   * @throws IndexOutOfBoundsException if an index is out of range (nothing is removed then)
   * @throws UnsupportedOperationException if this is a view
   */
  public void remove(int... indices) {
    Objects.requireNonNull(indices, "indices");
    checkNotView("remove");
    boolean[] drop = new boolean[len];
    for (int i : indices) {
      checkVectorIndex(i, len);
      drop[i] = true;
    }
    int w = 0;
    for (int i = 0; i < len; i++) {
      if (!drop[i]) {
        if (w != i) {
          System.arraycopy(data, i * dim, data, w * dim, dim);
        }
        w++;
      }
    }
    len = w;
    modCount++;
  }

  /**
   * Removes all vectors and releases the storage.
   *
   * <p>Modified: this (structural change; invalidates views of this).
   *
   * @throws UnsupportedOperationException if this is a view
   */
  public void clear() {
    checkNotView("clear");
    len = 0;
    data = EMPTY;
    modCount++;
  }

  // ------------------------------------------------------------------ arithmetic

  /**
   * Scales all vectors: {@code this[i] = alpha * this[i]}.
   *
   * <p>Modified: this (and the base array if this is a view).
   *
   * @param alpha the factor
   * @throws IllegalArgumentException if this is a view with repeated indices
   * @throws IllegalStateException if this is an invalidated view
   */
  public void scal(double alpha) {
    checkValid();
    checkUniqueForInPlace("scal");
    double[] d = root.data;
    if (idx == null) {
      int n = len * dim;
      for (int k = 0; k < n; k++) {
        d[k] *= alpha;
      }
    } else {
      for (int i = 0; i < len; i++) {
        int o = off(i);
        for (int k = 0; k < dim; k++) {
          d[o + k] *= alpha;
        }
      }
    }
  }

  /**
   * Scales each vector by its own factor: {@code this[i] = alphas[i] * this[i]}.
   *
   * <p>Modified: this (and the base array if this is a view). Not modified: alphas.
   *
   * @param alphas one factor per vector, {@code alphas.length == len}
   * @throws IllegalArgumentException if {@code alphas.length != len} or this is a view with
   *     repeated indices
   * @throws IllegalStateException if this is an invalidated view
   */
  public void scal(double[] alphas) {
    checkValid();
    checkLength(alphas, "alphas");
    checkUniqueForInPlace("scal");
    double[] d = root.data;
    for (int i = 0; i < len; i++) {
      int o = off(i);
      double a = alphas[i];
      for (int k = 0; k < dim; k++) {
        d[o + k] *= a;
      }
    }
  }

  /**
   * BLAS-style update {@code this[i] = this[i] + alpha * x[i]} for all {@code i}; if {@code x.len()
   * == 1}, {@code x[0]} is used for every {@code i} (broadcast).
   *
   * <p>Modified: this (and the base array if this is a view). Not modified: x (unless x shares
   * storage with this). If x shares storage with this, the old values of x are used.
   *
   * @param alpha the factor
   * @param x vectors of the same dim with {@code x.len() == len} or {@code x.len() == 1}
   * @throws IllegalArgumentException if dims or lengths do not match, or this is a view with
   *     repeated indices
   * @throws IllegalStateException if this or x is an invalidated view
   */
  public void axpy(double alpha, VectorArray x) {
    axpyImpl(alpha, null, x);
  }

  /**
   * BLAS-style update with one factor per vector: {@code this[i] = this[i] + alphas[i] * x[i]}; if
   * {@code x.len() == 1}, {@code x[0]} is used for every {@code i} (broadcast).
   *
   * <p>Modified: this (and the base array if this is a view). Not modified: alphas, x (unless x
   * shares storage with this). If x shares storage with this, the old values of x are used.
   *
   * @param alphas one factor per vector of this, {@code alphas.length == len}
   * @param x vectors of the same dim with {@code x.len() == len} or {@code x.len() == 1}
   * @throws IllegalArgumentException if dims or lengths do not match, or this is a view with
   *     repeated indices
   * @throws IllegalStateException if this or x is an invalidated view
   */
  public void axpy(double[] alphas, VectorArray x) {
    Objects.requireNonNull(alphas, "alphas");
    axpyImpl(0.0, alphas, x);
  }

  @SuppressWarnings("ReferenceEquality") // identity is meant: does x share storage with this?
  private void axpyImpl(double alpha, double @Nullable [] alphas, VectorArray x) {
    checkValid();
    checkSameDim(x, "x");
    x.checkValid();
    if (alphas != null) {
      checkLength(alphas, "alphas");
    }
    if (x.len != len && x.len != 1) {
      throw new IllegalArgumentException(
          "len mismatch: this has len "
              + len
              + ", x has len "
              + x.len
              + " (allowed: x.len() == "
              + len
              + " or x.len() == 1 for broadcast)");
    }
    checkUniqueForInPlace("axpy");
    if (x != this && x.root == root) {
      x = x.copy(); // x aliases this: use the old values
    }
    double[] d = root.data;
    double[] xd = x.root.data;
    boolean broadcast = x.len == 1 && len != 1;
    int xo0 = x.len == 0 ? 0 : x.off(0);
    for (int i = 0; i < len; i++) {
      int o = off(i);
      int xo = broadcast ? xo0 : x.off(i);
      double a = alphas == null ? alpha : alphas[i];
      for (int k = 0; k < dim; k++) {
        d[o + k] += a * xd[xo + k];
      }
    }
  }

  /**
   * Linear combination of the vectors: {@code result = sum_i coefficients[i] * this[i]}.
   *
   * <p>Not modified: this, coefficients.
   *
   * @param coefficients one coefficient per vector, {@code coefficients.length == len}
   * @return a new array with one vector (the zero vector if {@code len == 0})
   * @throws IllegalArgumentException if {@code coefficients.length != len}
   * @throws IllegalStateException if this is an invalidated view
   */
  public VectorArray lincomb(double[] coefficients) {
    Objects.requireNonNull(coefficients, "coefficients");
    return lincomb(new double[][] {coefficients});
  }

  /**
   * Several linear combinations: {@code result[r] = sum_i coefficients[r][i] * this[i]}.
   *
   * <p>Not modified: this, coefficients.
   *
   * @param coefficients one row of {@code len} coefficients per result vector
   * @return a new array with {@code coefficients.length} vectors
   * @throws IllegalArgumentException if a row does not have length {@code len}
   * @throws NullPointerException if coefficients or one of its rows is null
   * @throws IllegalStateException if this is an invalidated view
   */
  public VectorArray lincomb(double[][] coefficients) {
    Objects.requireNonNull(coefficients, "coefficients");
    checkValid();
    for (int r = 0; r < coefficients.length; r++) {
      double[] c = Objects.requireNonNull(coefficients[r], "coefficients[" + r + "]");
      if (c.length != len) {
        throw new IllegalArgumentException(
            "coefficients length mismatch: coefficients["
                + r
                + "] has length "
                + c.length
                + ", this has len "
                + len
                + " (one coefficient per vector required)");
      }
    }
    VectorArray result = zeros(coefficients.length, dim);
    double[] d = root.data;
    double[] rd = result.data;
    for (int r = 0; r < coefficients.length; r++) {
      double[] c = coefficients[r];
      int ro = r * dim;
      for (int i = 0; i < len; i++) {
        int o = off(i);
        double a = c[i];
        for (int k = 0; k < dim; k++) {
          rd[ro + k] += a * d[o + k];
        }
      }
    }
    return result;
  }

  // ------------------------------------------------------------------ inner products and norms

  /**
   * Euclidean inner products of all pairs: {@code result[i][j] = this[i] . other[j]}.
   *
   * <p>Not modified: this, other.
   *
   * @param other vectors of the same dim
   * @return a new {@code len x other.len()} matrix
   * @throws IllegalArgumentException if the dims differ
   * @throws IllegalStateException if this or other is an invalidated view
   */
  public double[][] inner(VectorArray other) {
    checkValid();
    checkSameDim(other, "other");
    other.checkValid();
    double[][] r = new double[len][other.len];
    double[] a = root.data;
    double[] b = other.root.data;
    for (int i = 0; i < len; i++) {
      int ao = off(i);
      double[] ri = r[i];
      for (int j = 0; j < other.len; j++) {
        ri[j] = dot(a, ao, b, other.off(j), dim);
      }
    }
    return r;
  }

  /**
   * Inner products with respect to {@code product}: {@code result[i][j] = this[i]^T P other[j]}.
   * {@code P} is applied once to each vector of {@code other}.
   *
   * <p>Not modified: this, other, product.
   *
   * @param other vectors of the same dim
   * @param product the operator {@code P}, {@code product.dim() == dim}
   * @return a new {@code len x other.len()} matrix
   * @throws IllegalArgumentException if the dims of other or product differ from dim
   * @throws IllegalStateException if this or other is an invalidated view
   */
  public double[][] inner(VectorArray other, ProductOperator product) {
    checkValid();
    checkSameDim(other, "other");
    checkProduct(product);
    other.checkValid();
    double[][] r = new double[len][other.len];
    if (len == 0) {
      return r;
    }
    double[] a = root.data;
    double[] b = other.root.data;
    double[] pb = new double[dim];
    for (int j = 0; j < other.len; j++) {
      product.apply(b, other.off(j), pb, 0);
      for (int i = 0; i < len; i++) {
        r[i][j] = dot(a, off(i), pb, 0, dim);
      }
    }
    return r;
  }

  /**
   * Pairwise Euclidean inner products: {@code result[i] = this[i] . other[i]}.
   *
   * <p>Not modified: this, other.
   *
   * @param other vectors of the same dim and the same len
   * @return a new array of length {@code len}
   * @throws IllegalArgumentException if dims or lengths differ
   * @throws IllegalStateException if this or other is an invalidated view
   */
  public double[] pairwiseInner(VectorArray other) {
    checkPairwise(other);
    double[] r = new double[len];
    double[] a = root.data;
    double[] b = other.root.data;
    for (int i = 0; i < len; i++) {
      r[i] = dot(a, off(i), b, other.off(i), dim);
    }
    return r;
  }

  /**
   * Pairwise inner products with respect to {@code product}: {@code result[i] = this[i]^T P
   * other[i]}.
   *
   * <p>Not modified: this, other, product.
   *
   * @param other vectors of the same dim and the same len
   * @param product the operator {@code P}, {@code product.dim() == dim}
   * @return a new array of length {@code len}
   * @throws IllegalArgumentException if dims or lengths differ
   * @throws IllegalStateException if this or other is an invalidated view
   */
  public double[] pairwiseInner(VectorArray other, ProductOperator product) {
    checkPairwise(other);
    checkProduct(product);
    double[] r = new double[len];
    double[] a = root.data;
    double[] b = other.root.data;
    double[] pb = new double[dim];
    for (int i = 0; i < len; i++) {
      product.apply(b, other.off(i), pb, 0);
      r[i] = dot(a, off(i), pb, 0, dim);
    }
    return r;
  }

  private void checkPairwise(VectorArray other) {
    checkValid();
    checkSameDim(other, "other");
    other.checkValid();
    if (other.len != len) {
      throw new IllegalArgumentException(
          "len mismatch: this has len "
              + len
              + ", other has len "
              + other.len
              + " (pairwise operations need equal len)");
    }
  }

  /**
   * Squared Euclidean norms: {@code result[i] = this[i] . this[i]}.
   *
   * <p>Not modified: this.
   *
   * @return a new array of length {@code len}
   * @throws IllegalStateException if this is an invalidated view
   */
  public double[] norm2() {
    return pairwiseInner(this);
  }

  /**
   * Squared norms with respect to {@code product}: {@code result[i] = this[i]^T P this[i]}. As in
   * pyMOR, negative values in {@code [-1e-10, 0)} are treated as round-off and set to 0.
   *
   * <p>Not modified: this, product.
   *
   * @param product the operator {@code P}, {@code product.dim() == dim}
   * @return a new array of length {@code len}, all entries {@code >= 0}
   * @throws IllegalArgumentException if {@code product.dim() != dim}, or a squared norm is below
   *     {@code -1e-10} (P is not positive semi-definite)
   * @throws IllegalStateException if this is an invalidated view
   */
  public double[] norm2(ProductOperator product) {
    double[] r = pairwiseInner(this, product);
    for (int i = 0; i < r.length; i++) {
      if (r[i] < 0) {
        if (r[i] < -NORM2_TOL) {
          throw new IllegalArgumentException(
              "negative squared norm "
                  + r[i]
                  + " of vector "
                  + i
                  + " (below the round-off tolerance -"
                  + NORM2_TOL
                  + "): product is not positive semi-definite");
        }
        r[i] = 0.0;
      }
    }
    return r;
  }

  /**
   * Euclidean norms: {@code result[i] = sqrt(this[i] . this[i])}.
   *
   * <p>Not modified: this.
   *
   * @return a new array of length {@code len}
   * @throws IllegalStateException if this is an invalidated view
   */
  public double[] norm() {
    double[] r = norm2();
    for (int i = 0; i < r.length; i++) {
      r[i] = Math.sqrt(r[i]);
    }
    return r;
  }

  /**
   * Norms with respect to {@code product}: {@code result[i] = sqrt(this[i]^T P this[i])}; tiny
   * negative round-off is clamped to 0 (see {@link #norm2(ProductOperator)}).
   *
   * <p>Not modified: this, product.
   *
   * @param product the operator {@code P}, {@code product.dim() == dim}
   * @return a new array of length {@code len}
   * @throws IllegalArgumentException if {@code product.dim() != dim} or P is not positive
   *     semi-definite on a vector (see {@link #norm2(ProductOperator)})
   * @throws IllegalStateException if this is an invalidated view
   */
  public double[] norm(ProductOperator product) {
    double[] r = norm2(product);
    for (int i = 0; i < r.length; i++) {
      r[i] = Math.sqrt(r[i]);
    }
    return r;
  }

  /**
   * Maximum norms: {@code result[i] = max_j |this[i][j]|} (0 if {@code dim == 0}).
   *
   * <p>Not modified: this.
   *
   * @return a new array of length {@code len}
   * @throws IllegalStateException if this is an invalidated view
   */
  public double[] supNorm() {
    checkValid();
    double[] r = new double[len];
    double[] d = root.data;
    for (int i = 0; i < len; i++) {
      int o = off(i);
      double m = 0.0;
      for (int k = 0; k < dim; k++) {
        double v = Math.abs(d[o + k]);
        if (v > m || Double.isNaN(v)) {
          m = v;
          if (Double.isNaN(v)) {
            break;
          }
        }
      }
      r[i] = m;
    }
    return r;
  }

  /**
   * Euclidean Gram matrix: {@code result[i][j] = this[i] . this[j]}; equal to {@code inner(this)}
   * but computes only one triangle. The result is exactly symmetric.
   *
   * <p>Not modified: this.
   *
   * @return a new symmetric {@code len x len} matrix
   * @throws IllegalStateException if this is an invalidated view
   */
  public double[][] gramian() {
    checkValid();
    double[][] g = new double[len][len];
    double[] d = root.data;
    for (int i = 0; i < len; i++) {
      int oi = off(i);
      for (int j = i; j < len; j++) {
        double s = dot(d, oi, d, off(j), dim);
        g[i][j] = s;
        g[j][i] = s;
      }
    }
    return g;
  }

  /**
   * Gram matrix with respect to {@code product}: {@code result[i][j] = this[i]^T P this[j]}. {@code
   * P} is applied once per vector; only one triangle is computed and mirrored, so the result is
   * exactly symmetric.
   *
   * <p>Not modified: this, product.
   *
   * @param product the operator {@code P}, {@code product.dim() == dim}
   * @return a new symmetric {@code len x len} matrix
   * @throws IllegalArgumentException if {@code product.dim() != dim}
   * @throws IllegalStateException if this is an invalidated view
   */
  public double[][] gramian(ProductOperator product) {
    checkValid();
    checkProduct(product);
    double[][] g = new double[len][len];
    double[] d = root.data;
    double[] pj = new double[dim];
    for (int j = 0; j < len; j++) {
      product.apply(d, off(j), pj, 0);
      for (int i = 0; i <= j; i++) {
        double s = dot(d, off(i), pj, 0, dim);
        g[i][j] = s;
        g[j][i] = s;
      }
    }
    return g;
  }

  // ------------------------------------------------------------------ Object methods

  /**
   * Compares by value: true if {@code obj} is a {@code VectorArray} with the same dim, len and
   * entries (compared with {@link Double#compare}, so {@code NaN} equals {@code NaN} and {@code
   * 0.0} differs from {@code -0.0}). Views compare by their selected vectors.
   *
   * @param obj the object to compare with
   * @return whether the arrays are equal
   * @throws IllegalStateException if this or obj is an invalidated view
   */
  @Override
  public boolean equals(@Nullable Object obj) {
    if (obj == this) {
      return true;
    }
    if (!(obj instanceof VectorArray o)) {
      return false;
    }
    checkValid();
    o.checkValid();
    if (o.dim != dim || o.len != len) {
      return false;
    }
    double[] a = root.data;
    double[] b = o.root.data;
    for (int i = 0; i < len; i++) {
      int ao = off(i);
      int bo = o.off(i);
      for (int k = 0; k < dim; k++) {
        if (Double.compare(a[ao + k], b[bo + k]) != 0) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Hash code consistent with {@link #equals(Object)}, computed from dim, len and entries.
   *
   * @return the hash code
   * @throws IllegalStateException if this is an invalidated view
   */
  @Override
  public int hashCode() {
    checkValid();
    int h = 31 * dim + len;
    double[] a = root.data;
    for (int i = 0; i < len; i++) {
      int o = off(i);
      for (int k = 0; k < dim; k++) {
        h = 31 * h + Double.hashCode(a[o + k]);
      }
    }
    return h;
  }

  /**
   * Returns a short description, e.g. {@code VectorArray[len=3, dim=10]}; views add {@code ",
   * view"} (and {@code ", invalidated"} when invalid). Never throws.
   *
   * @return the description
   */
  @Override
  public String toString() {
    if (idx == null) {
      return "VectorArray[len=" + len + ", dim=" + dim + "]";
    }
    boolean invalid = root.modCount != expectedMod;
    return "VectorArray[len="
        + len
        + ", dim="
        + dim
        + ", view"
        + (invalid ? ", invalidated" : "")
        + "]";
  }

  // ------------------------------------------------------------------ serialization

  /**
   * Replaces this array by a compact serial form (len, dim and one {@code double[]} of exactly
   * {@code len*dim} entries).
   *
   * @return the serial proxy
   * @throws IllegalStateException if this is an invalidated view
   */
  private Object writeReplace() {
    return new SerialForm(len(), dim, toRowMajor());
  }

  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("VectorArray must be deserialized via its serial form");
  }

  /** Compact serial form of a {@link VectorArray}. */
  private static final class SerialForm implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Number of vectors. */
    private final int len;

    /** Dimension. */
    private final int dim;

    /** Row-major values, exactly {@code len*dim}. */
    private final double[] data;

    SerialForm(int len, int dim, double[] data) {
      this.len = len;
      this.dim = dim;
      this.data = data;
    }

    private Object readResolve() throws InvalidObjectException {
      if (len < 0 || dim < 0 || data == null || (long) len * dim != data.length) {
        throw new InvalidObjectException(
            "corrupt VectorArray serial form: len="
                + len
                + ", dim="
                + dim
                + ", data length="
                + (data == null ? "null" : String.valueOf(data.length)));
      }
      return new VectorArray(len, dim, data.length == 0 ? EMPTY : data);
    }
  }
}
