package org.jmor.rb.algorithms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * pyMOR's {@code AdaptiveSampleSet} ({@code pymor.algorithms.adaptivegreedy}): a tree of
 * axis-parallel cells of the unit cube {@code [0, 1]^Q}, mapped affinely onto the {@link
 * ParameterSpace}. The training set is the set of cell vertices (in order of creation, never
 * reordered, so that refinement only appends); each leaf cell has a centre, a level, a volume and a
 * creation time (the refinement count when it was created).
 *
 * <h2>Exact arithmetic</h2>
 *
 * pyMOR keeps cell centres and vertices as {@code fractions.Fraction}; here they are {@link Dyadic}
 * numbers {@code n / 2^e} (every coordinate that refinement can create is one), exact, compared and
 * hashed exactly, so that vertices shared by neighbouring cells are recognised as one, as in pyMOR.
 * A coordinate becomes a parameter component only in {@link #toParameter}: {@code low + (high -
 * low) * x} in double arithmetic with {@code x} the (exact) double value of the fraction, pyMOR's
 * {@code ranges[:, 0] + dimensions * float(x)}. Volumes are pyMOR's floating-point {@code
 * total_volume / (2^Q)^level} (a division by an exact power of two).
 *
 * <h2>Order</h2>
 *
 * Leaves are listed depth first, children in creation order; child {@code x} of a cell (and vertex
 * {@code x} of a cell) lies on the upper side in dimension {@code d} iff bit {@code d} of {@code x}
 * is set, exactly pyMOR's loops. {@link #refine(int[])} refines the selected leaves in leaf order
 * (whatever the order of the indices), which fixes the numbering of the new vertices.
 *
 * <p>Not thread-safe; used by the driver of {@link AdaptiveGreedy} only.
 */
public final class AdaptiveSampleSet {

  /**
   * An exact dyadic rational {@code num / 2^exp}, normalized ({@code num} odd, or {@code num = 0}
   * and {@code exp = 0}), so that equal numbers are equal records.
   *
   * @param num the numerator
   * @param exp the binary exponent of the denominator, {@code >= 0}
   */
  record Dyadic(long num, int exp) {

    static final Dyadic HALF = of(1, 1);

    /** Returns {@code num / 2^exp}, normalized. */
    static Dyadic of(long num, int exp) {
      if (num == 0) {
        return new Dyadic(0, 0);
      }
      while (exp > 0 && (num & 1) == 0) {
        num >>= 1;
        exp--;
      }
      return new Dyadic(num, exp);
    }

    /** Returns {@code this + sign / 2^e} exactly. */
    Dyadic plusPowerOfHalf(int sign, int e) {
      int common = Math.max(exp, e);
      if (common > 62) {
        throw new ArithmeticException("adaptive sample set refined beyond level 60");
      }
      long a = Math.multiplyExact(num, 1L << (common - exp));
      long b = (long) sign << (common - e);
      return of(Math.addExact(a, b), common);
    }

    /** The value, exact as a double (a dyadic with a small exponent is representable). */
    double toDouble() {
      return num / Math.scalb(1.0, exp);
    }

    @Override
    public String toString() {
      return exp == 0 ? Long.toString(num) : num + "/" + (1L << exp);
    }
  }

  /** A vertex of the cube: its exact coordinates (compared and hashed by value). */
  private record Vertex(Dyadic[] coords) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Vertex v && Arrays.equals(coords, v.coords);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(coords);
    }

    @Override
    public String toString() {
      return Arrays.toString(coords);
    }
  }

  private final class Element {
    final int level;
    final Dyadic[] center;
    final int[] vertexIds;
    final int creationTime;
    final List<Element> children = new ArrayList<>();

    Element(int level, Dyadic[] center) {
      this.level = level;
      this.center = center;
      this.creationTime = refinementCount;
      int n = 1 << dim;
      vertexIds = new int[n];
      for (int x = 0; x < n; x++) {
        Dyadic[] v = new Dyadic[dim];
        for (int d = 0; d < dim; d++) {
          // lower corner center - 1/2^(level+1), plus 1/2^level on the upper side
          v[d] = center[d].plusPowerOfHalf(-1, level + 1);
          if (((x >> d) & 1) == 1) {
            v[d] = v[d].plusPowerOfHalf(1, level);
          }
        }
        vertexIds[x] = addVertex(new Vertex(v));
      }
    }

    void refine() {
      int n = 1 << dim;
      for (int x = 0; x < n; x++) {
        Dyadic[] c = new Dyadic[dim];
        for (int d = 0; d < dim; d++) {
          c[d] = center[d].plusPowerOfHalf(((x >> d) & 1) == 1 ? 1 : -1, level + 2);
        }
        children.add(new Element(level + 1, c));
      }
    }
  }

  private final ParameterSpace space;
  private final int dim;
  private final double totalVolume;
  private final Map<Vertex, Integer> vertexIds = new HashMap<>();
  private final List<Vertex> vertices = new ArrayList<>();
  private final List<double[]> vertexParameters = new ArrayList<>();
  private int refinementCount;
  private final Element root;
  private List<Element> leaves = List.of();

  /**
   * The initial set: one cell, the whole space, with its {@code 2^Q} corners as training set.
   *
   * @param space the parameter space
   * @throws IllegalArgumentException if the dimension is above 20 (a cell has {@code 2^Q} corners)
   */
  public AdaptiveSampleSet(ParameterSpace space) {
    this.space = Objects.requireNonNull(space, "space");
    this.dim = space.dimension();
    if (dim > 20) {
      throw new IllegalArgumentException(
          "an adaptive sample set of dimension " + dim + " would have 2^" + dim + " corners");
    }
    double width = space.high() - space.low();
    double volume = width;
    for (int d = 1; d < dim; d++) {
      volume *= width; // numpy.prod: left to right
    }
    this.totalVolume = volume;
    Dyadic[] center = new Dyadic[dim];
    Arrays.fill(center, Dyadic.HALF);
    this.root = new Element(0, center);
    update();
  }

  private int addVertex(Vertex v) {
    Integer id = vertexIds.get(v);
    if (id == null) {
      id = vertices.size();
      vertices.add(v);
      vertexParameters.add(toParameter(v.coords()));
      vertexIds.put(v, id);
    }
    return id;
  }

  private double[] toParameter(Dyadic[] x) {
    double low = space.low();
    double width = space.high() - space.low();
    double[] mu = new double[dim];
    for (int d = 0; d < dim; d++) {
      mu[d] = low + width * x[d].toDouble();
    }
    return mu;
  }

  private void update() {
    List<Element> out = new ArrayList<>();
    collectLeaves(root, out);
    leaves = out;
  }

  private static void collectLeaves(Element e, List<Element> out) {
    if (e.children.isEmpty()) {
      out.add(e);
    } else {
      for (Element c : e.children) {
        collectLeaves(c, out);
      }
    }
  }

  /**
   * Refines the given leaves (indices into the current leaf list; duplicates and order do not
   * matter: the leaves are refined in leaf order) and increments the refinement count.
   *
   * @param ids leaf indices
   * @return the number of new vertices (appended to the training set)
   * @throws IndexOutOfBoundsException if an index is not a leaf index
   */
  public int refine(int[] ids) {
    boolean[] selected = new boolean[leaves.size()];
    for (int i : ids) {
      Objects.checkIndex(i, leaves.size());
      selected[i] = true;
    }
    int before = vertices.size();
    refinementCount++;
    List<Element> current = leaves;
    for (int i = 0; i < current.size(); i++) {
      if (selected[i]) {
        current.get(i).refine();
      }
    }
    update();
    return vertices.size() - before;
  }

  /**
   * @return the parameter dimension {@code Q}
   */
  public int dimension() {
    return dim;
  }

  /**
   * @return the training set: one parameter per vertex, in order of creation (copies)
   */
  public List<double[]> vertexParameters() {
    List<double[]> out = new ArrayList<>(vertexParameters.size());
    for (double[] mu : vertexParameters) {
      out.add(mu.clone());
    }
    return out;
  }

  /**
   * @return the number of vertices (training parameters)
   */
  public int vertexCount() {
    return vertices.size();
  }

  /**
   * @param i a vertex index
   * @return the parameter of vertex {@code i} (a copy)
   */
  public double[] vertexParameter(int i) {
    return vertexParameters.get(i).clone();
  }

  /**
   * @return the number of leaf cells
   */
  public int leafCount() {
    return leaves.size();
  }

  /**
   * @return the parameters of the leaf centres, in leaf order (new arrays)
   */
  public List<double[]> centerParameters() {
    List<double[]> out = new ArrayList<>(leaves.size());
    for (Element e : leaves) {
      out.add(toParameter(e.center));
    }
    return out;
  }

  /**
   * @param leaf a leaf index
   * @return the vertex ids of the leaf's {@code 2^Q} corners (a copy)
   */
  public int[] leafVertexIds(int leaf) {
    return leaves.get(leaf).vertexIds.clone();
  }

  /**
   * @param leaf a leaf index
   * @return the refinement level of the leaf (0 for the whole space)
   */
  public int leafLevel(int leaf) {
    return leaves.get(leaf).level;
  }

  /**
   * @param leaf a leaf index
   * @return the exact centre of the leaf in the unit cube, e.g. {@code [1/4, 3/4]}
   */
  public String leafCenter(int leaf) {
    return Arrays.toString(leaves.get(leaf).center);
  }

  /**
   * @return pyMOR's {@code volumes}: {@code total_volume / (2^Q)^level} for every leaf
   */
  public double[] volumes() {
    double[] v = new double[leaves.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = totalVolume / Math.scalb(1.0, dim * leaves.get(i).level);
    }
    return v;
  }

  /**
   * @return pyMOR's {@code creation_times}: the refinement count at which each leaf was created
   */
  public int[] creationTimes() {
    int[] t = new int[leaves.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = leaves.get(i).creationTime;
    }
    return t;
  }

  /**
   * @return the volume of the whole space, {@code (high - low)^Q} multiplied left to right
   */
  public double totalVolume() {
    return totalVolume;
  }

  /**
   * @return the number of refinements so far
   */
  public int refinementCount() {
    return refinementCount;
  }
}
