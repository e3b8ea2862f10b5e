package org.jmor.thermalblock.io;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jmor.rb.reductors.ParameterFunctional;
import org.jmor.rb.reductors.ReducedBasis;
import org.jmor.rb.reductors.StationaryRBReductor;
import org.jmor.thermalblock.ThermalBlockModel;

/**
 * What identifies a detailed model with its reductor, pyMOR's {@code (fom, reductor)}: the {@link
 * ModelDigest} of the full-order model and the digest of the reductor's basis, with the model's
 * definition and the basis size for messages. Both files of one {@code --pickle PREFIX} record it
 * (saved-model format 2), so that a reduced model and a detailed model of different runs are told
 * apart before any work ({@link ModelFiles#checkPair}).
 *
 * <p>The basis digest is the SHA-256, as 64 lower-case hex digits, of (big-endian): the UTF-8 bytes
 * of {@value #BASIS_SCHEME}, the reductor's kind, RB product and coercivity bound (each followed by
 * a 0 byte), {@code int64} basis size {@code k}, {@code int64} vector length {@code n}, then the
 * raw IEEE 754 bits of the {@code k} vectors in order.
 *
 * @param modelDigest {@link ModelDigest#sha256Hex} of the full-order model
 * @param basisDigest the digest of the reductor and its basis (see above)
 * @param xBlocks the model's blocks in x direction
 * @param yBlocks the model's blocks in y direction
 * @param gridIntervals the model's grid intervals ({@code --grid})
 * @param basisSize the number of basis vectors
 */
public record DetailedModelId(
    String modelDigest,
    String basisDigest,
    int xBlocks,
    int yBlocks,
    int gridIntervals,
    int basisSize) {

  /** The name of the basis digest scheme, part of the digested bytes. */
  public static final String BASIS_SCHEME = "jmor-basis-digest-v1";

  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  /**
   * Checks the components.
   *
   * @throws IllegalArgumentException if a digest is not 64 lower-case hex digits or a number is
   *     negative
   */
  public DetailedModelId {
    Objects.requireNonNull(modelDigest, "modelDigest");
    Objects.requireNonNull(basisDigest, "basisDigest");
    if (!HEX64.matcher(modelDigest).matches() || !HEX64.matcher(basisDigest).matches()) {
      throw new IllegalArgumentException("a digest is not 64 lower-case hex digits");
    }
    if (xBlocks < 0 || yBlocks < 0 || gridIntervals < 0 || basisSize < 0) {
      throw new IllegalArgumentException("negative block count, grid or basis size");
    }
  }

  /**
   * The identity of a model and a reductor of it. Reads every matrix and the basis once.
   *
   * <p>Not modified: {@code fom}, {@code reductor}.
   *
   * @param fom the full-order model
   * @param reductor a reductor of {@code fom} (possibly of a model that wraps it, such as a cached
   *     one)
   * @return its identity
   * @throws IllegalArgumentException if the reductor's model has another number of unknowns
   */
  public static DetailedModelId of(ThermalBlockModel fom, StationaryRBReductor reductor) {
    if (reductor.fom().dofs() != fom.dofs()) {
      throw new IllegalArgumentException("the reductor belongs to another model: " + reductor);
    }
    ReducedBasis basis = reductor.reducedBasis();
    return new DetailedModelId(
        ModelDigest.sha256Hex(fom),
        basisDigest(
            reductor.kind().pymorName(),
            reductor.product().pymorName(),
            String.valueOf(ParameterFunctional.nameOf(reductor.coercivityBound())),
            basis),
        fom.problem().xBlocks(),
        fom.problem().yBlocks(),
        fom.gridIntervals(),
        basis.len());
  }

  static String basisDigest(String kind, String product, String bound, ReducedBasis basis) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available on this JVM", e);
    }
    for (String s : new String[] {BASIS_SCHEME, kind, product, bound}) {
      md.update(s.getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
    }
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    buf.putLong(basis.len()).putLong(basis.dim());
    for (int j = 0; j < basis.len(); j++) {
      for (double x : basis.vector(j)) {
        if (buf.remaining() < Long.BYTES) {
          md.update(buf.array(), 0, buf.position());
          buf.clear();
        }
        buf.putLong(Double.doubleToRawLongBits(x));
      }
    }
    md.update(buf.array(), 0, buf.position());
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * The model in words, for messages: {@code 2x2 blocks, grid 10 (model 3f2a9c1e0b7d)}.
   *
   * @return one line
   */
  public String describeModel() {
    return xBlocks
        + "x"
        + yBlocks
        + " blocks, grid "
        + gridIntervals
        + " (model digest "
        + modelDigest.substring(0, 12)
        + ")";
  }

  /**
   * The basis in words, for messages: {@code 5 basis vectors, basis digest 3f2a9c1e0b7d}.
   *
   * @return one line
   */
  public String describeBasis() {
    return basisSize
        + (basisSize == 1 ? " basis vector" : " basis vectors")
        + ", basis digest "
        + basisDigest.substring(0, 12);
  }
}
