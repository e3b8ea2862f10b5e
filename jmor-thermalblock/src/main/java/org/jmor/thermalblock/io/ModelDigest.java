package org.jmor.thermalblock.io;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jmor.discretizer.models.Product;
import org.jmor.discretizer.operators.CscMatrix;
import org.jmor.thermalblock.ThermalBlockModel;
import org.jmor.thermalblock.ThermalBlockProblem;

/**
 * A stable fingerprint of a detailed (full-order) model: the SHA-256 digest, as 64 lower-case hex
 * digits, of everything that identifies it. Two models have the same digest exactly when they were
 * built from the same definition by a discretizer that gave bit-identical matrices; a file that
 * records the digest (a checkpoint, a reduced model bound to its detailed model) can thus refuse a
 * model other than its own.
 *
 * <h2>What is digested (format {@value #SCHEME})</h2>
 *
 * Big-endian, in this order:
 *
 * <pre>
 *   utf-8 bytes of "{@value #SCHEME}", then a 0 byte
 *   utf-8 bytes of "thermal_block", then a 0 byte
 *   int64 x blocks, int64 y blocks, int64 grid intervals N, int64 unknowns n
 *   float64 lowest and highest diffusion (the parameter space: every component in [low, high])
 *   int64 Q (number of parameter components)
 *   matrices B (boundary part), A_0 ... A_{Q-1}, then the products h1_0_semi, l2, h1_semi,
 *     each as: int64 (rows &lt;&lt; 32 | cols), int64 number of stored entries,
 *     every column pointer and row index as int64, the raw IEEE 754 bits of every value
 *   int64 n, then the raw bits of every entry of the load vector f
 * </pre>
 *
 * Raw bits ({@link Double#doubleToRawLongBits}) make the digest exact: a change of one ulp in one
 * entry changes it. The digest does not depend on the JVM, the platform or the order in which
 * models were built; it changes only if the discretizer's output or this scheme changes (then
 * {@value #SCHEME} is increased).
 *
 * <p>Stateless and thread-safe.
 */
public final class ModelDigest {

  /** The name of the digest scheme, part of the digested bytes. */
  public static final String SCHEME = "jmor-model-digest-v1";

  private ModelDigest() {}

  /**
   * The SHA-256 digest of a thermal-block model: its definition (blocks, grid, parameter range),
   * its operators ({@code B}, {@code A_q}), its load functional {@code f} and its products ({@code
   * h1_0_semi}, {@code l2}, {@code h1_semi}), as described in the class comment.
   *
   * <p>Not modified: {@code fom}. Reads every matrix once (linear in the number of non-zeros; about
   * 10 ms for {@code --grid 100}); does not block otherwise.
   *
   * @param fom the model
   * @return 64 lower-case hexadecimal digits
   * @throws NullPointerException if {@code fom} is null
   */
  public static String sha256Hex(ThermalBlockModel fom) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available on this JVM", e);
    }
    Feeder f = new Feeder(md);
    f.text(SCHEME);
    f.text("thermal_block");
    ThermalBlockProblem p = fom.problem();
    f.putLong(p.xBlocks());
    f.putLong(p.yBlocks());
    f.putLong(fom.gridIntervals());
    f.putLong(fom.dofs());
    f.putDouble(ThermalBlockProblem.MIN_DIFFUSION);
    f.putDouble(ThermalBlockProblem.MAX_DIFFUSION);
    f.putLong(fom.parameterDimension());
    f.matrix(fom.boundaryPart());
    for (CscMatrix a : fom.operators()) {
      f.matrix(a);
    }
    f.matrix(fom.product(Product.H1_0_SEMI));
    f.matrix(fom.product(Product.L2));
    f.matrix(fom.product(Product.H1_SEMI));
    double[] rhs = fom.rhs();
    f.putLong(rhs.length);
    for (double x : rhs) {
      f.putDouble(x);
    }
    return HexFormat.of().formatHex(f.finish());
  }

  /** Buffers big-endian values into a message digest. */
  private static final class Feeder {
    private final MessageDigest md;
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);

    Feeder(MessageDigest md) {
      this.md = md;
    }

    void text(String s) {
      flush();
      md.update(s.getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
    }

    void putLong(long x) {
      if (buf.remaining() < Long.BYTES) {
        flush();
      }
      buf.putLong(x);
    }

    void putDouble(double x) {
      putLong(Double.doubleToRawLongBits(x));
    }

    void matrix(CscMatrix a) {
      putLong(((long) a.rows() << 32) | a.cols());
      double[] values = a.values();
      putLong(values.length);
      for (int x : a.columnPointers()) {
        putLong(x);
      }
      for (int x : a.rowIndices()) {
        putLong(x);
      }
      for (double x : values) {
        putDouble(x);
      }
    }

    byte[] finish() {
      flush();
      return md.digest();
    }

    private void flush() {
      md.update(buf.array(), 0, buf.position());
      buf.clear();
    }
  }
}
