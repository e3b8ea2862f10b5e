package org.jmor.thermalblock.io;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32;
import org.jmor.base.AtomicFiles;
import org.jmor.discretizer.models.Product;
import org.jmor.discretizer.operators.CscMatrix;
import org.jmor.rb.algorithms.ParameterSpace;
import org.jmor.rb.reductors.BasisExtension;
import org.jmor.rb.reductors.ParameterFunctional;
import org.jmor.rb.reductors.ReducedBasis;
import org.jmor.rb.reductors.ReducedModel;
import org.jmor.rb.reductors.ReductorKind;
import org.jmor.rb.reductors.StationaryRBReductor;
import org.jmor.thermalblock.ThermalBlockModel;
import org.jmor.thermalblock.ThermalBlockProblem;
import org.jspecify.annotations.Nullable;

/**
 * Saved models, pyMOR's {@code --pickle PREFIX}: a reduced model with its parameter space ({@code
 * PREFIX_reduced}) and a detailed model with its reductor ({@code PREFIX_detailed}), in a
 * documented, versioned binary format (no Java serialization), so that a later release can still
 * read them, or refuse them with a clear message.
 *
 * <h2>Container (format version 2)</h2>
 *
 * Big-endian throughout ({@link DataOutputStream}); doubles are their raw IEEE 754 bits ({@link
 * Double#doubleToRawLongBits}), so values are saved exactly; strings are {@link
 * DataOutputStream#writeUTF} (2-byte length, modified UTF-8).
 *
 * <pre>
 *   offset 0   8 bytes   magic 89 4A 4D 4F 52 0D 0A 1A ("\x89JMOR\r\n\x1a")
 *   offset 8   int32     format version (2)
 *   offset 12  int64     length of the whole file in bytes, trailer included
 *   offset 20  utf       kind: "reduced" or "detailed"
 *              ...       the detailed model's identity (version 2 only, see below)
 *              ...       body of that kind
 *   last 4     int32     CRC32 of every byte before it
 * </pre>
 *
 * An array is an {@code int32} count followed by its values ({@code double[]}: {@code float64};
 * {@code int[]}: {@code int32}).
 *
 * <h2>The pair: the detailed model's identity (version 2)</h2>
 *
 * Both files of one {@code --pickle PREFIX} record, right after the kind, the {@link
 * DetailedModelId} of the detailed model and reductor: {@code utf} model digest ({@link
 * ModelDigest}, 64 hex digits), {@code utf} basis digest (64 hex digits), {@code int32} x blocks, y
 * blocks, grid intervals, basis size. A reduced file thus names the detailed model it was reduced
 * from, and {@link #checkPair} refuses a detailed file of another run by reading the two headers
 * only, before any work. Reading a detailed file checks its recorded identity against the model and
 * basis rebuilt from it.
 *
 * <p>Version 1 files (no identity) are still read; {@link #checkPair} refuses a pair in which
 * either file is of version 1, since it cannot tell whether they belong together.
 *
 * <h2>Body of a reduced file</h2>
 *
 * <pre>
 *   int32 number of parameters (1)
 *     utf name ("diffusion"), int[] shape ([Q]), float64 low, float64 high   (the range of every
 *                                                                            component)
 *   int32 k (reduced dimension), int32 Q (parameter dimension)
 *   utf coercivity bound ("min": min_q mu_q, or "one")
 *   utf estimator ("residual_basis" or "gram")
 *   double[] operators ((Q+1) k k: term 0 is B_N, term 1+q is A_{N,q}, row-major)
 *   double[] rhs (f_N, k)
 *   residual_basis: int32 r, double[] residual operators ((Q+1) r k), double[] r_f (r),
 *                   int[] residual_range_dims (k+1)
 *   gram:           double[] Gram matrix (D D, D = 1 + (Q+1) k, pyMOR's order)
 * </pre>
 *
 * These are the numbers of {@link ReducedModel#data()}; the model read back is bit-identical to the
 * one written.
 *
 * <h2>Body of a detailed file</h2>
 *
 * <pre>
 *   utf problem ("thermal_block"), int32 x blocks, int32 y blocks, int32 grid intervals,
 *     float64 lowest diffusion, float64 highest diffusion
 *   byte[] SHA-256 digest of the assembled system (int32 count 32, then the bytes)
 *   utf reductor ("residual_basis" or "traditional"), utf RB product ("h1_0_semi", "euclidean",
 *     ...), utf coercivity bound ("min" or "one")
 *   int32 k (basis size), int32 n (unknowns), then k vectors of n float64 (the basis, in order)
 * </pre>
 *
 * The full-order model is saved as its definition, not as matrices: reading discretizes the problem
 * again (deterministic), then compares the SHA-256 digest of the assembled system ({@link
 * #systemDigest}: B, the A_q, f and the h1_0_semi and l2 product matrices, every index and the raw
 * bits of every value) with the saved one, so a file written by a release whose discretizer gave
 * other matrices is refused. The reductor is saved as its kind, product, coercivity bound and
 * basis; reading extends a new reductor by the saved vectors ({@link BasisExtension#TRIVIAL},
 * unchanged), and its offline data (images, Riesz representatives, residual range or Gram matrix)
 * are recomputed by the first {@code reduce}, with exactly the arithmetic of the original reductor,
 * so {@code reduce()} and {@code reduce(dim)} give bit-identical reduced models. (A further
 * Gram–Schmidt extension of the reloaded basis may differ from one of the original reductor in
 * round-off: the products {@code P v_j} are recomputed rather than the rescaled originals.)
 *
 * <h2>Errors</h2>
 *
 * Reading reports, in a {@link SavedModelFormatException} naming the file: a file that does not
 * start with the magic bytes ("not a jmor saved model"), an unknown format version (naming the
 * version found and the versions supported), the other kind of file, a length that differs from the
 * header's ("truncated"), a CRC32 mismatch ("corrupted"), and inconsistent contents. Writing goes
 * to a temporary file beside the target, renamed when complete, so a failed write never leaves a
 * partial file.
 */
public final class ModelFiles {

  /** The format version this release writes. */
  public static final int FORMAT_VERSION = 2;

  /** The format versions this release reads. */
  private static final int[] SUPPORTED_VERSIONS = {1, 2};

  private static final byte[] MAGIC = {(byte) 0x89, 'J', 'M', 'O', 'R', '\r', '\n', 0x1A};

  private static final int HEADER_BYTES = MAGIC.length + 4 + 8;

  /** Kind tag of a reduced-model file. */
  public static final String KIND_REDUCED = "reduced";

  /** Kind tag of a detailed-model file. */
  public static final String KIND_DETAILED = "detailed";

  private static final String THERMAL_BLOCK = "thermal_block";

  private ModelFiles() {}

  // ------------------------------------------------------------------ reduced

  /**
   * Writes a reduced model and its parameter space (pyMOR's {@code dump((rom, parameter_space))}).
   *
   * <p>Not modified: {@code rom}, {@code space}. Replaces {@code file} if it exists.
   *
   * @param file the file
   * @param rom the reduced model
   * @param space its parameter space
   * @param parameterName the name of the parameter, e.g. {@code "diffusion"}
   * @param detailedModel the detailed model and reductor {@code rom} was reduced from ({@link
   *     DetailedModelId#of}), recorded so that {@link #checkPair} can refuse another one
   * @throws IOException if the file cannot be written
   * @throws IllegalArgumentException if the model's coercivity bound cannot be saved ({@link
   *     ReducedModel#data()}), or {@code rom}'s dimension is not the basis size of {@code
   *     detailedModel}
   */
  public static void writeReduced(
      Path file,
      ReducedModel rom,
      ParameterSpace space,
      String parameterName,
      DetailedModelId detailedModel)
      throws IOException {
    Objects.requireNonNull(parameterName, "parameterName");
    Objects.requireNonNull(detailedModel, "detailedModel");
    ReducedModel.Data d = rom.data();
    if (d.dim() != detailedModel.basisSize()) {
      throw new IllegalArgumentException(
          "the reduced model has dimension "
              + d.dim()
              + ", the detailed model's basis "
              + detailedModel.basisSize()
              + " vectors");
    }
    write(
        file,
        KIND_REDUCED,
        detailedModel,
        out -> {
          out.writeInt(1);
          out.writeUTF(parameterName);
          writeInts(out, new int[] {space.dimension()});
          out.writeDouble(space.low());
          out.writeDouble(space.high());
          out.writeInt(d.dim());
          out.writeInt(d.parameterDimension());
          out.writeUTF(d.coercivityBound());
          out.writeUTF(d.estimator());
          writeDoubles(out, d.operators());
          writeDoubles(out, d.rhs());
          if (d.estimator().equals(ReducedModel.Data.GRAM)) {
            writeDoubles(out, d.gram());
          } else {
            out.writeInt(d.residualRangeDim());
            writeDoubles(out, d.residualOperators());
            writeDoubles(out, d.residualRhs());
            writeInts(out, d.residualRangeDims());
          }
        });
  }

  /**
   * Reads a file written by {@link #writeReduced}.
   *
   * @param file the file
   * @return the reduced model (bit-identical to the one written) and its parameter space
   * @throws SavedModelFormatException if the file is not a jmor saved model, has an unsupported
   *     format version, is a detailed-model file, or is truncated, corrupted or inconsistent
   * @throws IOException if the file cannot be read
   */
  public static SavedReducedModel readReduced(Path file) throws IOException {
    return read(
        file,
        KIND_REDUCED,
        (in, id) -> {
          int count = in.readInt();
          if (count != 1) {
            throw in.bad("has " + count + " parameters; this release reads exactly one");
          }
          String name = in.readUTF();
          int[] shape = in.readInts();
          if (shape.length != 1 || shape[0] < 1) {
            throw in.bad("parameter shape " + Arrays.toString(shape) + " is not supported");
          }
          double low = in.readDouble();
          double high = in.readDouble();
          int k = in.readInt();
          int q = in.readInt();
          String bound = in.readUTF();
          String estimator = in.readUTF();
          double[] ops = in.readDoubles();
          double[] rhs = in.readDoubles();
          int r = 0;
          double[] resOps = new double[0];
          double[] rf = new double[0];
          int[] dims = new int[0];
          double[] gram = new double[0];
          if (estimator.equals(ReducedModel.Data.GRAM)) {
            gram = in.readDoubles();
          } else {
            r = in.readInt();
            resOps = in.readDoubles();
            rf = in.readDoubles();
            dims = in.readInts();
          }
          if (q != shape[0]) {
            throw in.bad("the model has " + q + " parameter components, the space " + shape[0]);
          }
          if (id != null && id.basisSize() != k) {
            throw in.bad(
                "the model has dimension " + k + ", its detailed model's basis " + id.basisSize());
          }
          try {
            ParameterSpace space = ParameterSpace.of(shape[0], low, high);
            ReducedModel rom =
                ReducedModel.fromData(
                    new ReducedModel.Data(
                        k, q, ops, rhs, bound, estimator, r, resOps, rf, dims, gram));
            return new SavedReducedModel(rom, space, name, id);
          } catch (IllegalArgumentException e) {
            throw in.bad("inconsistent reduced model: " + e.getMessage());
          }
        });
  }

  // ------------------------------------------------------------------ detailed

  /**
   * Writes a detailed model and its reductor (pyMOR's {@code dump((fom, reductor))}): the model's
   * definition and the digest of its assembled system, the reductor's kind, product, coercivity
   * bound and basis.
   *
   * <p>Not modified: {@code fom}, {@code reductor}. Replaces {@code file} if it exists.
   *
   * @param file the file
   * @param fom the full-order model
   * @param reductor a reductor of {@code fom}
   * @throws IOException if the file cannot be written
   * @throws IllegalArgumentException if the reductor belongs to another model or its coercivity
   *     bound cannot be saved
   */
  public static void writeDetailed(Path file, ThermalBlockModel fom, StationaryRBReductor reductor)
      throws IOException {
    // the reductor's model may wrap fom (a cached model): then it has fom's matrices
    if (reductor.fom() != fom && reductor.fom().boundaryPart() != fom.boundaryPart()) {
      throw new IllegalArgumentException("the reductor belongs to another model: " + reductor);
    }
    String bound = ParameterFunctional.nameOf(reductor.coercivityBound());
    if (bound == null) {
      throw new IllegalArgumentException(
          "cannot save a reductor whose coercivity bound is not a named functional: "
              + reductor.coercivityBound());
    }
    byte[] digest = systemDigest(fom);
    ReducedBasis basis = reductor.reducedBasis();
    write(
        file,
        KIND_DETAILED,
        DetailedModelId.of(fom, reductor),
        out -> {
          ThermalBlockProblem p = fom.problem();
          out.writeUTF(THERMAL_BLOCK);
          out.writeInt(p.xBlocks());
          out.writeInt(p.yBlocks());
          out.writeInt(fom.gridIntervals());
          out.writeDouble(ThermalBlockProblem.MIN_DIFFUSION);
          out.writeDouble(ThermalBlockProblem.MAX_DIFFUSION);
          out.writeInt(digest.length);
          out.write(digest);
          out.writeUTF(reductor.kind().pymorName());
          out.writeUTF(reductor.product().pymorName());
          out.writeUTF(bound);
          out.writeInt(basis.len());
          out.writeInt(basis.dim());
          for (int j = 0; j < basis.len(); j++) {
            for (double x : basis.vector(j)) {
              out.writeDouble(x);
            }
          }
        });
  }

  /**
   * Reads a file written by {@link #writeDetailed}: discretizes the saved problem again, checks the
   * digest of the assembled system, and builds a reductor of the saved kind with the saved basis.
   *
   * @param file the file
   * @return the model and the reductor
   * @throws SavedModelFormatException if the file is not a jmor saved model, has an unsupported
   *     format version, is a reduced-model file, is truncated, corrupted or inconsistent, or the
   *     rebuilt system differs from the saved digest
   * @throws IOException if the file cannot be read
   */
  public static SavedDetailedModel readDetailed(Path file) throws IOException {
    return read(
        file,
        KIND_DETAILED,
        (in, id) -> {
          String problem = in.readUTF();
          if (!problem.equals(THERMAL_BLOCK)) {
            throw in.bad("unknown problem '" + problem + "' (known: " + THERMAL_BLOCK + ")");
          }
          int xBlocks = in.readInt();
          int yBlocks = in.readInt();
          int grid = in.readInt();
          double low = in.readDouble();
          double high = in.readDouble();
          if (low != ThermalBlockProblem.MIN_DIFFUSION
              || high != ThermalBlockProblem.MAX_DIFFUSION) {
            throw in.bad(
                "diffusion range ["
                    + low
                    + ", "
                    + high
                    + "] cannot be rebuilt: this release discretizes ["
                    + ThermalBlockProblem.MIN_DIFFUSION
                    + ", "
                    + ThermalBlockProblem.MAX_DIFFUSION
                    + "] only");
          }
          int digestLength = in.readInt();
          if (digestLength != 32) {
            throw in.bad("digest of " + digestLength + " bytes; expected 32 (SHA-256)");
          }
          byte[] saved = new byte[32];
          in.readFully(saved);
          String kind = in.readUTF();
          String productName = in.readUTF();
          String boundName = in.readUTF();
          int k = in.readInt();
          int n = in.readInt();
          ThermalBlockModel fom;
          ReductorKind reductorKind;
          Product product;
          ParameterFunctional bound;
          try {
            fom = ThermalBlockProblem.of(xBlocks, yBlocks).discretize(grid);
            reductorKind = reductorKind(kind);
            product = product(productName);
            bound = ParameterFunctional.byName(boundName);
          } catch (IllegalArgumentException e) {
            throw in.bad("cannot rebuild the detailed model: " + e.getMessage());
          }
          byte[] rebuilt = systemDigest(fom);
          if (!MessageDigest.isEqual(saved, rebuilt)) {
            throw in.bad(
                "the model rebuilt from the saved definition ("
                    + xBlocks
                    + "x"
                    + yBlocks
                    + " blocks, grid "
                    + grid
                    + ") differs from the saved one (system digest "
                    + HexFormat.of().formatHex(rebuilt)
                    + ", saved "
                    + HexFormat.of().formatHex(saved)
                    + "): the discretizer changed since the file was written");
          }
          if (n != fom.dofs() || k < 0) {
            throw in.bad(
                "basis of "
                    + k
                    + " vectors of length "
                    + n
                    + " does not fit the rebuilt model ("
                    + fom.dofs()
                    + " unknowns)");
          }
          in.require((long) k * n * 8, "the basis");
          StationaryRBReductor reductor = reductorKind.create(fom, product, bound);
          for (int j = 0; j < k; j++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
              v[i] = in.readDouble();
            }
            reductor.extendBasis(v, BasisExtension.TRIVIAL);
          }
          if (id != null && !id.equals(DetailedModelId.of(fom, reductor))) {
            throw in.bad(
                "the recorded identity of the detailed model ("
                    + id.describeModel()
                    + ", "
                    + id.describeBasis()
                    + ") is not that of the model and basis it holds ("
                    + DetailedModelId.of(fom, reductor).describeModel()
                    + ", "
                    + DetailedModelId.of(fom, reductor).describeBasis()
                    + ")");
          }
          return new SavedDetailedModel(fom, reductor);
        });
  }

  private static ReductorKind reductorKind(String name) {
    for (ReductorKind k : ReductorKind.values()) {
      if (k.pymorName().equals(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown reductor '" + name + "' (known: residual_basis, traditional)");
  }

  private static Product product(String name) {
    for (Product p : Product.values()) {
      if (p.pymorName().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown product '" + name + "'");
  }

  /**
   * The SHA-256 digest of a model's assembled system: for {@code B}, {@code A_0 ... A_{Q-1}} and
   * the {@code h1_0_semi} and {@code l2} product matrices, their shape, column pointers, row
   * indices and the raw bits of their values, then the raw bits of {@code f} (big-endian).
   *
   * @param fom the model
   * @return 32 bytes
   */
  public static byte[] systemDigest(ThermalBlockModel fom) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    digest(md, buf, fom.boundaryPart());
    for (CscMatrix a : fom.operators()) {
      digest(md, buf, a);
    }
    digest(md, buf, fom.product(Product.H1_0_SEMI));
    digest(md, buf, fom.product(Product.L2));
    for (double x : fom.rhs()) {
      putLong(md, buf, Double.doubleToRawLongBits(x));
    }
    flush(md, buf);
    return md.digest();
  }

  private static void digest(MessageDigest md, ByteBuffer buf, CscMatrix a) {
    putLong(md, buf, ((long) a.rows() << 32) | a.cols());
    for (int x : a.columnPointers()) {
      putLong(md, buf, x);
    }
    for (int x : a.rowIndices()) {
      putLong(md, buf, x);
    }
    for (double x : a.values()) {
      putLong(md, buf, Double.doubleToRawLongBits(x));
    }
  }

  private static void putLong(MessageDigest md, ByteBuffer buf, long x) {
    if (buf.remaining() < 8) {
      flush(md, buf);
    }
    buf.putLong(x);
  }

  private static void flush(MessageDigest md, ByteBuffer buf) {
    md.update(buf.array(), 0, buf.position());
    buf.clear();
  }

  // ------------------------------------------------------------------ container

  @FunctionalInterface
  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  @FunctionalInterface
  private interface Parser<T> {
    T read(Reader in, @Nullable DetailedModelId id) throws IOException;
  }

  private static void write(Path file, String kind, DetailedModelId id, Body body)
      throws IOException {
    // no directory is created: the caller checked the place before any work
    AtomicFiles.write(
        file,
        tmp -> {
          try (DataOutputStream out =
              new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.write(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeLong(0L); // the length, set below
            out.writeUTF(kind);
            out.writeUTF(id.modelDigest());
            out.writeUTF(id.basisDigest());
            out.writeInt(id.xBlocks());
            out.writeInt(id.yBlocks());
            out.writeInt(id.gridIntervals());
            out.writeInt(id.basisSize());
            body.write(out);
          }
          try (RandomAccessFile raf = new RandomAccessFile(tmp.toFile(), "rw")) {
            long total = raf.length() + 4;
            raf.seek(MAGIC.length + 4);
            raf.writeLong(total);
            CRC32 crc = new CRC32();
            raf.seek(0);
            byte[] chunk = new byte[1 << 16];
            for (int r; (r = raf.read(chunk)) > 0; ) {
              crc.update(chunk, 0, r);
            }
            raf.seek(total - 4);
            raf.writeInt((int) crc.getValue());
          }
        },
        Set.of());
  }

  /**
   * Checks a file's header without reading the rest: the magic bytes, the format version, the
   * length, and the kind. Cheap: for a check of the arguments before any work; {@link #readReduced}
   * and {@link #readDetailed} check the same and more (the checksum, the contents).
   *
   * @param file the file
   * @param kind {@link #KIND_REDUCED} or {@link #KIND_DETAILED}
   * @throws SavedModelFormatException if the file is not a jmor saved model, has an unsupported
   *     format version, a length other than its header's, or is of the other kind
   * @throws IOException if the file cannot be read
   */
  public static void checkHeader(Path file, String kind) throws IOException {
    long size = checkLength(file);
    byte[] start = new byte[HEADER_BYTES + 2 + 64];
    int got;
    try (InputStream in = Files.newInputStream(file)) {
      got = in.readNBytes(start, 0, (int) Math.min(start.length, size));
    }
    String found;
    try (DataInputStream in =
        new DataInputStream(
            new java.io.ByteArrayInputStream(start, HEADER_BYTES, got - HEADER_BYTES))) {
      found = in.readUTF();
    } catch (IOException e) {
      throw new SavedModelFormatException(file, "corrupted: unreadable kind", e);
    }
    if (!found.equals(kind)) {
      throw new SavedModelFormatException(
          file,
          "is a "
              + found
              + "-model file, expected a "
              + kind
              + "-model file"
              + (kind.equals(KIND_REDUCED) ? " (PREFIX_reduced)" : " (PREFIX_detailed)"));
    }
  }

  /**
   * The identity of the detailed model that a file records ({@link DetailedModelId}): for a reduced
   * file, the detailed model it was reduced from; for a detailed file, its own. Reads the header
   * only.
   *
   * @param file the file
   * @param kind {@link #KIND_REDUCED} or {@link #KIND_DETAILED}
   * @return the identity, or null for a file of format version 1, which does not record it
   * @throws SavedModelFormatException as {@link #checkHeader}, or if the identity is unreadable
   * @throws IOException if the file cannot be read
   */
  public static @Nullable DetailedModelId detailedModelId(Path file, String kind)
      throws IOException {
    checkHeader(file, kind);
    int version = version(file);
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1024))) {
      in.skipNBytes(HEADER_BYTES);
      in.readUTF();
      return readId(in, file, version);
    } catch (EOFException e) {
      throw new SavedModelFormatException(file, "corrupted: the header ends early", e);
    }
  }

  /**
   * Checks that a reduced-model file and a detailed-model file belong together: that the reduced
   * model was reduced from the detailed model and basis the detailed file holds (both files of one
   * {@code thermalblock --pickle PREFIX}). Reads the two headers only: for a check of the arguments
   * before any work. The detailed file's identity is checked against its contents when it is read
   * ({@link #readDetailed}).
   *
   * @param reduced a reduced-model file
   * @param detailed a detailed-model file
   * @throws ModelFilesMismatchException if they do not belong together (another full-order model,
   *     or the same one with another basis), or either is of format version 1, which does not
   *     record the pair; the message names both files and the reason
   * @throws SavedModelFormatException as {@link #checkHeader}
   * @throws IOException if a file cannot be read
   */
  public static void checkPair(Path reduced, Path detailed) throws IOException {
    DetailedModelId r = detailedModelId(reduced, KIND_REDUCED);
    DetailedModelId d = detailedModelId(detailed, KIND_DETAILED);
    if (r == null || d == null) {
      throw new ModelFilesMismatchException(
          (r == null ? reduced : detailed)
              + " was written by an earlier release (saved-model format version 1), which does"
              + " not record which detailed model a reduced model belongs to, so "
              + detailed
              + " cannot be checked against "
              + reduced
              + "; write both again with 'thermalblock --pickle PREFIX'");
    }
    if (!r.modelDigest().equals(d.modelDigest())) {
      throw new ModelFilesMismatchException(
          detailed
              + " does not belong to "
              + reduced
              + ": the reduced model was reduced from "
              + r.describeModel()
              + ", the detailed file holds "
              + d.describeModel()
              + "; give the two files of one 'thermalblock --pickle PREFIX' run");
    }
    if (!r.basisDigest().equals(d.basisDigest())) {
      throw new ModelFilesMismatchException(
          detailed
              + " does not belong to "
              + reduced
              + ": both are of "
              + d.describeModel()
              + ", but the reduced model was reduced from another basis ("
              + r.describeBasis()
              + ") than the detailed file holds ("
              + d.describeBasis()
              + "); give the two files of one 'thermalblock --pickle PREFIX' run");
    }
  }

  /** The format version in a file's header (checked by {@link #checkLength}). */
  private static int version(Path file) throws IOException {
    byte[] head = new byte[HEADER_BYTES];
    try (InputStream in = Files.newInputStream(file)) {
      if (in.readNBytes(head, 0, head.length) < head.length) {
        throw new SavedModelFormatException(file, "truncated: shorter than the header");
      }
    }
    return ByteBuffer.wrap(head).getInt(MAGIC.length);
  }

  /** The identity section after the kind (version 2), or null (version 1). */
  private static @Nullable DetailedModelId readId(DataInputStream in, Path file, int version)
      throws IOException {
    if (version < 2) {
      return null;
    }
    String model = in.readUTF();
    String basis = in.readUTF();
    int x = in.readInt();
    int y = in.readInt();
    int grid = in.readInt();
    int k = in.readInt();
    try {
      return new DetailedModelId(model, basis, x, y, grid, k);
    } catch (IllegalArgumentException e) {
      throw new SavedModelFormatException(
          file, "corrupted or inconsistent: the detailed model's identity: " + e.getMessage(), e);
    }
  }

  /** Checks the magic bytes, the version and the length; returns the file's size. */
  private static long checkLength(Path file) throws IOException {
    long size = Files.size(file);
    byte[] head = new byte[HEADER_BYTES];
    int got;
    try (InputStream in = Files.newInputStream(file)) {
      got = in.readNBytes(head, 0, head.length);
    }
    int m = Math.min(got, MAGIC.length);
    if (!Arrays.equals(head, 0, m, MAGIC, 0, m) || got == 0) {
      throw new SavedModelFormatException(
          file, "not a jmor saved model (it does not start with jmor's magic bytes)");
    }
    if (got < HEADER_BYTES) {
      throw new SavedModelFormatException(
          file, "truncated: " + size + " bytes, shorter than the header");
    }
    ByteBuffer h = ByteBuffer.wrap(head);
    int version = h.getInt(MAGIC.length);
    if (Arrays.stream(SUPPORTED_VERSIONS).noneMatch(v -> v == version)) {
      throw new SavedModelFormatException(
          file,
          "saved-model format version "
              + Integer.toUnsignedString(version)
              + " is not supported (this release reads version"
              + (SUPPORTED_VERSIONS.length > 1 ? "s " : " ")
              + Arrays.toString(SUPPORTED_VERSIONS).replaceAll("[\\[\\]]", "")
              + "); it was written by "
              + (Integer.compareUnsigned(version, FORMAT_VERSION) > 0
                  ? "a later release"
                  : "another release"));
    }
    long length = h.getLong(MAGIC.length + 4);
    if (size < length) {
      throw new SavedModelFormatException(
          file, "truncated: " + size + " bytes, the header says " + length);
    }
    if (size != length) {
      throw new SavedModelFormatException(
          file, "corrupted: " + size + " bytes, the header says " + length);
    }
    return size;
  }

  private static <T> T read(Path file, String kind, Parser<T> parser) throws IOException {
    checkHeader(file, kind);
    long size = Files.size(file);
    long stored;
    CRC32 crc = new CRC32();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      byte[] chunk = new byte[1 << 16];
      long left = size - 4;
      while (left > 0) {
        int r = in.read(chunk, 0, (int) Math.min(chunk.length, left));
        if (r < 0) {
          throw new SavedModelFormatException(file, "truncated while reading");
        }
        crc.update(chunk, 0, r);
        left -= r;
      }
      stored = new DataInputStream(in).readInt() & 0xFFFFFFFFL;
    }
    if (stored != crc.getValue()) {
      throw new SavedModelFormatException(
          file,
          String.format(
              Locale.ROOT, "corrupted: CRC32 %08x, the file says %08x", crc.getValue(), stored));
    }
    try (Reader in = new Reader(file, size - 4)) {
      in.skipBytes(HEADER_BYTES);
      in.readUTF(); // the kind, checked above
      DetailedModelId id = readId(in, file, version(file));
      T result = parser.read(in, id);
      if (in.position() != size - 4) {
        throw in.bad((size - 4 - in.position()) + " unexpected bytes after the body");
      }
      return result;
    } catch (EOFException e) {
      throw new SavedModelFormatException(file, "corrupted: the body ends early", e);
    }
  }

  private static void writeDoubles(DataOutputStream out, double[] a) throws IOException {
    out.writeInt(a.length);
    for (double x : a) {
      out.writeDouble(x);
    }
  }

  private static void writeInts(DataOutputStream out, int[] a) throws IOException {
    out.writeInt(a.length);
    for (int x : a) {
      out.writeInt(x);
    }
  }

  /** A {@link DataInputStream} over the body that knows its position and checks array sizes. */
  private static final class Reader extends DataInputStream {
    private final Path file;
    private final long end;
    private final Counter counter;

    Reader(Path file, long end) throws IOException {
      this(file, end, new Counter(new BufferedInputStream(Files.newInputStream(file), 1 << 16)));
    }

    private Reader(Path file, long end, Counter counter) {
      super(counter);
      this.file = file;
      this.end = end;
      this.counter = counter;
    }

    long position() {
      return counter.count;
    }

    SavedModelFormatException bad(String message) {
      return new SavedModelFormatException(file, "corrupted or inconsistent: " + message);
    }

    void require(long bytes, String what) throws SavedModelFormatException {
      if (bytes < 0 || bytes > end - counter.count) {
        throw bad(what + " needs " + bytes + " bytes, " + (end - counter.count) + " remain");
      }
    }

    double[] readDoubles() throws IOException {
      int len = readInt();
      require(8L * len, "an array of " + len + " doubles");
      double[] a = new double[len];
      for (int i = 0; i < len; i++) {
        a[i] = readDouble();
      }
      return a;
    }

    int[] readInts() throws IOException {
      int len = readInt();
      require(4L * len, "an array of " + len + " ints");
      int[] a = new int[len];
      for (int i = 0; i < len; i++) {
        a[i] = readInt();
      }
      return a;
    }
  }

  /** Counts the bytes read. */
  private static final class Counter extends FilterInputStream {
    long count;

    Counter(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int r = super.read(b, off, len);
      if (r > 0) {
        count += r;
      }
      return r;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = super.skip(n);
      count += s;
      return s;
    }
  }
}
