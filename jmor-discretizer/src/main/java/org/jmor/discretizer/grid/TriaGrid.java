package org.jmor.discretizer.grid;

import java.io.Serializable;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * pyMOR's {@code TriaGrid} on the unit square {@code [0,1]^2} with {@code N x N} cells of size
 * {@code h = 1/N}, each cell split into four triangles by connecting its corners with an extra
 * vertex at the cell center.
 *
 * <h2>Numbering</h2>
 *
 * <ul>
 *   <li><b>Vertices</b>: first the {@code (N+1)^2} cell corners row by row, {@code x} fastest:
 *       corner {@code (i, j)} at {@code (i h, j h)} has index {@code j (N+1) + i}; then the {@code
 *       N^2} cell centers: the center of cell {@code (i, j)} at {@code ((i + 1/2) h, (j + 1/2) h)}
 *       has index {@code (N+1)^2 + j N + i}.
 *   <li><b>Elements</b>: four blocks of {@code N^2} triangles, one per triangle type {@code t};
 *       inside a block the cells are row-major ({@code c = j N + i}); element index {@code t N^2 +
 *       c}. Local vertex order (vertex 0 is the right angle at the cell center): {@code t=0} bottom
 *       (center, LL, LR); {@code t=1} right (center, LR, UR); {@code t=2} top (center, UR, UL);
 *       {@code t=3} left (center, UL, LL).
 *   <li><b>Boundary</b>: the {@code 4N} corner vertices with {@code x} or {@code y} equal to 0 or
 *       1; cell centers are never on the boundary. They are listed in ascending vertex index.
 * </ul>
 *
 * Every triangle has legs {@code h/sqrt(2)} and area {@code h^2/4}; its centroid is the cell center
 * plus {@code (0,-h/3)}, {@code (h/3,0)}, {@code (0,h/3)}, {@code (-h/3,0)} for {@code t = 0..3}.
 *
 * <h2>Exactness</h2>
 *
 * Coordinates are computed as a single correctly rounded division of integers (e.g. {@code
 * (2i+1)/(2N)}), centroids as {@code (6i+3±2)/(6N)}; so they are the doubles nearest to the exact
 * values. pyMOR's values carry round-off of its rotated embedding (about 1e-17).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class TriaGrid implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Number of triangle types (bottom, right, top, left). */
  public static final int TYPES = 4;

  private final int n;

  private TriaGrid(int n) {
    this.n = n;
  }

  /**
   * Returns the grid of the unit square with {@code intervals x intervals} cells.
   *
   * @param intervals number of cells per direction {@code N}, {@code 1 <= N <= 20000}
   * @return the grid
   * @throws IllegalArgumentException if {@code intervals} is out of range
   */
  public static TriaGrid unitSquare(int intervals) {
    if (intervals < 1 || intervals > 20000) {
      throw new IllegalArgumentException("intervals must be in [1, 20000], got " + intervals);
    }
    return new TriaGrid(intervals);
  }

  /**
   * @return the number of cells per direction {@code N}
   */
  public int intervals() {
    return n;
  }

  /**
   * @return the cell width {@code h = 1/N}
   */
  public double h() {
    return 1.0 / n;
  }

  /**
   * @return the number of vertices {@code (N+1)^2 + N^2}
   */
  public int vertexCount() {
    return (n + 1) * (n + 1) + n * n;
  }

  /**
   * @return the number of triangles {@code 4 N^2}
   */
  public int elementCount() {
    return TYPES * n * n;
  }

  /**
   * @return the number of edges {@code 2N(N+1) + 4N^2}
   */
  public int edgeCount() {
    return 2 * n * (n + 1) + 4 * n * n;
  }

  /**
   * @return the area of every triangle, {@code h^2/4}
   */
  public double elementArea() {
    double h = h();
    return h * h / 4;
  }

  /**
   * Returns the index of the cell corner {@code (i h, j h)}.
   *
   * @param i x index, {@code 0 <= i <= N}
   * @param j y index, {@code 0 <= j <= N}
   * @return {@code j (N+1) + i}
   * @throws IndexOutOfBoundsException if an index is out of range
   */
  public int corner(int i, int j) {
    checkIndex(i, n + 1, "i");
    checkIndex(j, n + 1, "j");
    return j * (n + 1) + i;
  }

  /**
   * Returns the index of the center vertex of cell {@code (i, j)}.
   *
   * @param i x index of the cell, {@code 0 <= i < N}
   * @param j y index of the cell, {@code 0 <= j < N}
   * @return {@code (N+1)^2 + j N + i}
   * @throws IndexOutOfBoundsException if an index is out of range
   */
  public int center(int i, int j) {
    checkIndex(i, n, "i");
    checkIndex(j, n, "j");
    return (n + 1) * (n + 1) + j * n + i;
  }

  /**
   * Returns the x coordinate of a vertex.
   *
   * @param vertex vertex index
   * @return {@code i/N} for a corner, {@code (2i+1)/(2N)} for a cell center
   * @throws IndexOutOfBoundsException if the index is out of range
   */
  public double vertexX(int vertex) {
    checkIndex(vertex, vertexCount(), "vertex");
    int corners = (n + 1) * (n + 1);
    if (vertex < corners) {
      return (double) (vertex % (n + 1)) / n;
    }
    return (2.0 * ((vertex - corners) % n) + 1) / (2.0 * n);
  }

  /**
   * Returns the y coordinate of a vertex.
   *
   * @param vertex vertex index
   * @return {@code j/N} for a corner, {@code (2j+1)/(2N)} for a cell center
   * @throws IndexOutOfBoundsException if the index is out of range
   */
  public double vertexY(int vertex) {
    checkIndex(vertex, vertexCount(), "vertex");
    int corners = (n + 1) * (n + 1);
    if (vertex < corners) {
      int row = vertex / (n + 1);
      return (double) row / n;
    }
    int cellRow = (vertex - corners) / n;
    return (2.0 * cellRow + 1) / (2.0 * n);
  }

  /**
   * Returns a vertex of a triangle in local order (local vertex 0 is the right angle at the cell
   * center, see the class documentation).
   *
   * @param element element index, {@code 0 <= element < 4N^2}
   * @param local local vertex, 0, 1 or 2
   * @return the global vertex index
   * @throws IndexOutOfBoundsException if an index is out of range
   */
  public int vertex(int element, int local) {
    checkIndex(element, elementCount(), "element");
    checkIndex(local, 3, "local");
    int cells = n * n;
    int t = element / cells;
    int c = element % cells;
    int i = c % n;
    int j = c / n;
    if (local == 0) {
      return (n + 1) * (n + 1) + c;
    }
    // corners of the cell in counter-clockwise order LL, LR, UR, UL; type t uses corners t, t+1
    int k = (t + local - 1) % 4;
    int ci = (k == 1 || k == 2) ? i + 1 : i;
    int cj = (k >= 2) ? j + 1 : j;
    return cj * (n + 1) + ci;
  }

  /**
   * Returns the element-to-vertex table, {@code 3} entries per element in local order.
   *
   * @return a new array of length {@code 3 * elementCount()}; entry {@code 3e + a} is {@code
   *     vertex(e, a)}
   */
  public int[] elementVertices() {
    int ne = elementCount();
    int cells = n * n;
    int corners = (n + 1) * (n + 1);
    int[] tab = new int[3 * ne];
    for (int t = 0; t < TYPES; t++) {
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < n; i++) {
          int c = j * n + i;
          int e = t * cells + c;
          int[] ll = {
            j * (n + 1) + i, j * (n + 1) + i + 1, (j + 1) * (n + 1) + i + 1, (j + 1) * (n + 1) + i
          };
          tab[3 * e] = corners + c;
          tab[3 * e + 1] = ll[t];
          tab[3 * e + 2] = ll[(t + 1) % 4];
        }
      }
    }
    return tab;
  }

  /**
   * Returns the x coordinate of the centroid of a triangle.
   *
   * @param element element index
   * @return {@code (6i + 3 + dx)/(6N)} with {@code dx = 0, 2, 0, -2} for types 0..3
   * @throws IndexOutOfBoundsException if the index is out of range
   */
  public double centroidX(int element) {
    checkIndex(element, elementCount(), "element");
    int cells = n * n;
    int t = element / cells;
    int i = (element % cells) % n;
    int off = t == 1 ? 2 : t == 3 ? -2 : 0;
    return (6.0 * i + 3 + off) / (6.0 * n);
  }

  /**
   * Returns the y coordinate of the centroid of a triangle.
   *
   * @param element element index
   * @return {@code (6j + 3 + dy)/(6N)} with {@code dy = -2, 0, 2, 0} for types 0..3
   * @throws IndexOutOfBoundsException if the index is out of range
   */
  public double centroidY(int element) {
    checkIndex(element, elementCount(), "element");
    int cells = n * n;
    int t = element / cells;
    int j = (element % cells) / n;
    int off = t == 0 ? -2 : t == 2 ? 2 : 0;
    return (6.0 * j + 3 + off) / (6.0 * n);
  }

  /**
   * Tells whether a vertex lies on the boundary of the unit square.
   *
   * @param vertex vertex index
   * @return true for the corners with {@code i} or {@code j} in {@code {0, N}}
   * @throws IndexOutOfBoundsException if the index is out of range
   */
  public boolean isBoundaryVertex(int vertex) {
    checkIndex(vertex, vertexCount(), "vertex");
    if (vertex >= (n + 1) * (n + 1)) {
      return false;
    }
    int i = vertex % (n + 1);
    int j = vertex / (n + 1);
    return i == 0 || j == 0 || i == n || j == n;
  }

  /**
   * Returns the boundary vertices (Dirichlet DOFs of the thermal-block problem).
   *
   * @return a new array of the {@code 4N} boundary vertex indices, ascending
   */
  public int[] boundaryVertices() {
    int[] b = new int[4 * n];
    int k = 0;
    int corners = (n + 1) * (n + 1);
    for (int v = 0; v < corners; v++) {
      if (isBoundaryVertex(v)) {
        b[k++] = v;
      }
    }
    return k == b.length ? b : Arrays.copyOf(b, k);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TriaGrid g && g.n == n;
  }

  @Override
  public int hashCode() {
    return Integer.hashCode(n);
  }

  @Override
  public String toString() {
    return "TriaGrid("
        + n
        + "x"
        + n
        + " cells, "
        + elementCount()
        + " triangles, "
        + vertexCount()
        + " vertices)";
  }

  private static void checkIndex(int index, int size, String what) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(what + " must be in [0, " + size + "), got " + index);
    }
  }
}
