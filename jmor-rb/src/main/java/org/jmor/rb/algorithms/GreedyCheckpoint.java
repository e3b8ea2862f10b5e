package org.jmor.rb.algorithms;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import org.jmor.base.AtomicFiles;
import org.jmor.rb.reductors.BasisState;
import org.jmor.rb.reductors.ReducedModel;
import org.jmor.rb.reductors.StationaryRBReductor;

/**
 * The state of a greedy search after an extension, as written by {@link CheckpointFile} and read by
 * {@link GreedyOptions#resume(Path)}: enough to continue the search bit for bit.
 *
 * <h2>File format (checkpoint format version {@value #FORMAT_VERSION})</h2>
 *
 * The container of the thermal-block demo's saved models ({@code ModelFiles} of the module {@code
 * jmor-thermalblock}), with its own kind and version: big-endian ({@link DataOutputStream});
 * doubles as their raw IEEE 754 bits; strings as {@link DataOutputStream#writeUTF}.
 *
 * <pre>
 *   offset 0   8 bytes   magic 89 4A 4D 4F 52 0D 0A 1A ("\x89JMOR\r\n\x1a")
 *   offset 8   int32     checkpoint format version (1)
 *   offset 12  int64     length of the whole file in bytes, trailer included
 *   offset 20  utf       kind: "greedy-checkpoint"
 *              utf       algorithm: "weak_greedy" or "adaptive_greedy"
 *              utf       digest of the detailed model (64 hex digits, GreedyOptions#modelDigest)
 *              int32     number of options, then per option: utf name, utf value
 *              int32     extensions done (k)
 *              float64   seconds spent so far, float64 of which estimating
 *              int32     number of sections, then per section: utf name, byte type
 *                        ('D' double[], 'I' int[], 'L' long[]), int32 count, the values
 *              int32 k, int32 n, byte euclidean (1: the images are the vectors, not stored)
 *              k vectors of n float64 (the basis), then k images P v_j of n float64 (unless
 *                        euclidean): the reductor's Gram–Schmidt state
 *              int32 32, then the SHA-256 of the reduced model of the k vectors (its data: every
 *                        operator, right-hand side and estimator entry), or int32 0 if none
 *   last 4     int32     CRC32 of every byte before it
 * </pre>
 *
 * The options are every setting that decides the search's course (training set, extension limit,
 * tie rule, surrogate, reductor, and for the adaptive greedy its parameters and the generator's
 * state at the start); the sections are the algorithm's record (maximum errors, selected parameters
 * and indices; for the adaptive greedy also the refined cells, the current validation set and the
 * generator's state). The offline data of the reductor (residual range or Gram matrix, projected
 * operators) are not saved: resuming recomputes them from the basis with the same arithmetic, and
 * checks the result against the saved digest of the reduced model.
 *
 * <p>Immutable.
 */
public final class GreedyCheckpoint {

  /** The checkpoint format version this release writes and reads. */
  public static final int FORMAT_VERSION = 1;

  /** Kind tag of a checkpoint file. */
  public static final String KIND = "greedy-checkpoint";

  /** Algorithm tag of {@link RbGreedy}. */
  public static final String WEAK_GREEDY = "weak_greedy";

  /** Algorithm tag of {@link AdaptiveGreedy}. */
  public static final String ADAPTIVE_GREEDY = "adaptive_greedy";

  private static final byte[] MAGIC = {(byte) 0x89, 'J', 'M', 'O', 'R', '\r', '\n', 0x1A};
  private static final int HEADER_BYTES = MAGIC.length + 4 + 8;

  private final String algorithm;
  private final String modelDigest;
  private final Map<String, String> options;
  private final int extensions;
  private final double seconds;
  private final double sweepSeconds;
  private final Map<String, Object> sections;
  private final BasisState basis;
  private final byte[] romDigest;

  GreedyCheckpoint(
      String algorithm,
      String modelDigest,
      Map<String, String> options,
      int extensions,
      double seconds,
      double sweepSeconds,
      Map<String, Object> sections,
      BasisState basis,
      byte[] romDigest) {
    this.algorithm = algorithm;
    this.modelDigest = modelDigest;
    this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    this.extensions = extensions;
    this.seconds = seconds;
    this.sweepSeconds = sweepSeconds;
    this.sections = Collections.unmodifiableMap(new LinkedHashMap<>(sections));
    this.basis = basis;
    this.romDigest = romDigest.clone();
  }

  /**
   * @return {@link #WEAK_GREEDY} or {@link #ADAPTIVE_GREEDY}
   */
  public String algorithm() {
    return algorithm;
  }

  /**
   * @return the digest of the detailed model (64 hex digits)
   */
  public String modelDigest() {
    return modelDigest;
  }

  /**
   * @return the options of the search, by name, in the saved order (unmodifiable)
   */
  public Map<String, String> options() {
    return options;
  }

  /**
   * @return the number of extensions done
   */
  public int extensions() {
    return extensions;
  }

  /**
   * @return the seconds the search had taken when the checkpoint was written
   */
  public double seconds() {
    return seconds;
  }

  /**
   * @return the maximum errors of the sweeps done so far (a copy)
   */
  public double[] maxErrors() {
    return doubles("max_errs").clone();
  }

  /**
   * @return the Gram–Schmidt state of the reductor's basis
   */
  public BasisState basis() {
    return basis;
  }

  double sweepSeconds() {
    return sweepSeconds;
  }

  byte[] romDigest() {
    return romDigest.clone();
  }

  double[] doubles(String name) {
    Object o = sections.get(name);
    if (!(o instanceof double[])) {
      throw new IllegalArgumentException("the checkpoint has no section '" + name + "'");
    }
    return (double[]) o;
  }

  int[] ints(String name) {
    Object o = sections.get(name);
    if (!(o instanceof int[])) {
      throw new IllegalArgumentException("the checkpoint has no section '" + name + "'");
    }
    return (int[]) o;
  }

  long[] longs(String name) {
    Object o = sections.get(name);
    if (!(o instanceof long[])) {
      throw new IllegalArgumentException("the checkpoint has no section '" + name + "'");
    }
    return (long[]) o;
  }

  // ------------------------------------------------------------------ checks for a resume

  /**
   * Refuses a checkpoint of another algorithm, model or options, naming which.
   *
   * @throws IllegalArgumentException with a one-line message
   */
  void requireMatches(
      Path file, String algorithm, String modelDigest, Map<String, String> options) {
    if (!this.algorithm.equals(algorithm)) {
      throw new IllegalArgumentException(
          "checkpoint "
              + file
              + " is of another algorithm: "
              + this.algorithm
              + " (this run: "
              + algorithm
              + ")");
    }
    if (!this.modelDigest.equals(modelDigest)) {
      throw new IllegalArgumentException(
          "checkpoint "
              + file
              + " is of another model: model digest "
              + abbreviate(this.modelDigest)
              + " (this run's model: "
              + abbreviate(modelDigest)
              + ")");
    }
    for (Map.Entry<String, String> e : options.entrySet()) {
      String saved = this.options.get(e.getKey());
      if (!e.getValue().equals(saved)) {
        throw new IllegalArgumentException(
            "checkpoint "
                + file
                + " was written with other options: "
                + e.getKey()
                + " = "
                + (saved == null ? "(not set)" : saved)
                + " (this run: "
                + e.getValue()
                + ")");
      }
    }
    for (String key : this.options.keySet()) {
      if (!options.containsKey(key)) {
        throw new IllegalArgumentException(
            "checkpoint "
                + file
                + " was written with other options: "
                + key
                + " = "
                + this.options.get(key)
                + " (this run: not set)");
      }
    }
  }

  private static String abbreviate(String hex) {
    return hex.length() > 16 ? hex.substring(0, 16) + "..." : hex;
  }

  /** The SHA-256 of a reduced model's data, or an empty array if its data cannot be exported. */
  static byte[] digestOf(ReducedModel rom) {
    ReducedModel.Data d;
    try {
      d = rom.data();
    } catch (IllegalArgumentException e) {
      return new byte[0]; // a coercivity bound without a name: nothing to compare with
    }
    MessageDigest md = sha256();
    ByteBuffer b = ByteBuffer.allocate(8);
    for (double[] a :
        new double[][] {d.operators(), d.rhs(), d.residualOperators(), d.residualRhs(), d.gram()}) {
      md.update(b.clear().putLong(a.length).array());
      for (double x : a) {
        md.update(b.clear().putLong(Double.doubleToRawLongBits(x)).array());
      }
    }
    md.update(b.clear().putLong(((long) d.dim() << 32) | d.residualRangeDim()).array());
    for (int x : d.residualRangeDims()) {
      md.update(b.clear().putLong(x).array());
    }
    md.update((d.coercivityBound() + "/" + d.estimator()).getBytes(UTF8));
    return md.digest();
  }

  private static final java.nio.charset.Charset UTF8 = java.nio.charset.StandardCharsets.UTF_8;

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available on this JVM", e);
    }
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  // ------------------------------------------------------------------ writing

  /**
   * Writes this checkpoint atomically: to a temporary file in the same directory, forced to the
   * device, then renamed over {@code file}; the directory is forced too where the platform allows.
   */
  void write(Path file) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeInt(FORMAT_VERSION);
      out.writeLong(0L); // the length, set below
      out.writeUTF(KIND);
      out.writeUTF(algorithm);
      out.writeUTF(modelDigest);
      out.writeInt(options.size());
      for (Map.Entry<String, String> e : options.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeUTF(e.getValue());
      }
      out.writeInt(extensions);
      out.writeDouble(seconds);
      out.writeDouble(sweepSeconds);
      out.writeInt(sections.size());
      for (Map.Entry<String, Object> e : sections.entrySet()) {
        out.writeUTF(e.getKey());
        Object v = e.getValue();
        if (v instanceof double[] a) {
          out.writeByte('D');
          out.writeInt(a.length);
          for (double x : a) {
            out.writeDouble(x);
          }
        } else if (v instanceof int[] a) {
          out.writeByte('I');
          out.writeInt(a.length);
          for (int x : a) {
            out.writeInt(x);
          }
        } else {
          long[] a = (long[]) v;
          out.writeByte('L');
          out.writeInt(a.length);
          for (long x : a) {
            out.writeLong(x);
          }
        }
      }
      int k = basis.len();
      int n = basis.dim();
      boolean euclidean = true;
      for (int j = 0; j < k && euclidean; j++) {
        euclidean = Arrays.equals(basis.vector(j), basis.image(j));
      }
      out.writeInt(k);
      out.writeInt(n);
      out.writeByte(euclidean ? 1 : 0);
      for (int j = 0; j < k; j++) {
        for (double x : basis.vector(j)) {
          out.writeDouble(x);
        }
      }
      if (!euclidean) {
        for (int j = 0; j < k; j++) {
          for (double x : basis.image(j)) {
            out.writeDouble(x);
          }
        }
      }
      out.writeInt(romDigest.length);
      out.write(romDigest);
      out.writeInt(0); // the CRC32, set below
    }
    byte[] content = bytes.toByteArray();
    ByteBuffer buf = ByteBuffer.wrap(content);
    buf.putLong(MAGIC.length + 4, content.length);
    CRC32 crc = new CRC32();
    crc.update(content, 0, content.length - 4);
    buf.putInt(content.length - 4, (int) crc.getValue());

    // durable: the content and the rename reach the disk before this returns
    AtomicFiles.write(
        file,
        tmp -> Files.write(tmp, content),
        Set.of(AtomicFiles.Option.CREATE_DIRECTORIES, AtomicFiles.Option.SYNC));
  }

  // ------------------------------------------------------------------ reading

  /**
   * Checks a checkpoint file's header without reading the rest: the magic bytes, the format
   * version, the length and the kind. Cheap: for a check of the arguments before any work; {@link
   * #read} checks the same and more (the checksum, the contents).
   *
   * @param file the file
   * @throws IllegalArgumentException with a one-line message naming the file if it is not a jmor
   *     checkpoint, has another format version, another length than its header says, or is a saved
   *     model rather than a checkpoint
   * @throws IOException if the file cannot be read (e.g. {@link NoSuchFileException})
   */
  public static void checkHeader(Path file) throws IOException {
    byte[] head = new byte[HEADER_BYTES + 2 + KIND.length() + 32];
    int got;
    try (InputStream in = Files.newInputStream(file)) {
      got = in.readNBytes(head, 0, head.length);
    }
    checkHeader(file, head, got, Files.size(file));
  }

  private static void checkHeader(Path file, byte[] head, int got, long size) {
    int m = Math.min(got, MAGIC.length);
    if (got == 0 || !Arrays.equals(head, 0, m, MAGIC, 0, m)) {
      throw bad(file, "not a jmor checkpoint (it does not start with jmor's magic bytes)");
    }
    if (got < HEADER_BYTES + 2) {
      throw bad(file, "truncated: " + size + " bytes, shorter than the header");
    }
    ByteBuffer h = ByteBuffer.wrap(head);
    int version = h.getInt(MAGIC.length);
    long length = h.getLong(MAGIC.length + 4);
    String kind;
    try {
      kind =
          new DataInputStream(new ByteArrayInputStream(head, HEADER_BYTES, got - HEADER_BYTES))
              .readUTF();
    } catch (IOException e) {
      kind = "?";
    }
    if (!kind.equals(KIND) && version == 1 && (kind.equals("reduced") || kind.equals("detailed"))) {
      throw bad(file, "is a saved " + kind + " model (--pickle), not a checkpoint");
    }
    if (version != FORMAT_VERSION) {
      throw bad(
          file,
          "checkpoint format version "
              + Integer.toUnsignedString(version)
              + " is not supported (this release reads version "
              + FORMAT_VERSION
              + "); it was written by "
              + (Integer.compareUnsigned(version, FORMAT_VERSION) > 0
                  ? "a later release"
                  : "another release"));
    }
    if (!kind.equals(KIND)) {
      throw bad(file, "not a jmor checkpoint (kind '" + kind + "')");
    }
    if (size < length) {
      throw bad(file, "truncated: " + size + " bytes, the header says " + length);
    }
    if (size != length) {
      throw bad(file, "corrupted: " + size + " bytes, the header says " + length);
    }
  }

  private static IllegalArgumentException bad(Path file, String message) {
    return new IllegalArgumentException("checkpoint " + file + ": " + message);
  }

  /**
   * Reads a checkpoint file completely and checks its checksum.
   *
   * @param file the file
   * @return the checkpoint
   * @throws IllegalArgumentException with a one-line message naming the file if it is not a jmor
   *     checkpoint, has another format version, is truncated, or its CRC32 or contents are wrong
   * @throws IOException if the file cannot be read
   */
  public static GreedyCheckpoint read(Path file) throws IOException {
    byte[] content = Files.readAllBytes(file);
    checkHeader(file, content, content.length, content.length);
    CRC32 crc = new CRC32();
    crc.update(content, 0, content.length - 4);
    long stored = ByteBuffer.wrap(content).getInt(content.length - 4) & 0xFFFFFFFFL;
    if (stored != crc.getValue()) {
      throw bad(
          file,
          String.format(
              Locale.ROOT, "corrupted: CRC32 %08x, the file says %08x", crc.getValue(), stored));
    }
    try (DataInputStream in =
        new DataInputStream(
            new ByteArrayInputStream(content, HEADER_BYTES, content.length - 4 - HEADER_BYTES))) {
      in.readUTF(); // the kind, checked
      String algorithm = in.readUTF();
      String modelDigest = in.readUTF();
      int count = in.readInt();
      Map<String, String> options = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        options.put(in.readUTF(), in.readUTF());
      }
      int extensions = in.readInt();
      double seconds = in.readDouble();
      double sweepSeconds = in.readDouble();
      int sectionCount = in.readInt();
      Map<String, Object> sections = new LinkedHashMap<>();
      for (int s = 0; s < sectionCount; s++) {
        String name = in.readUTF();
        int type = in.readByte();
        int len = in.readInt();
        require(file, in, len, type == 'I' ? 4 : 8);
        switch (type) {
          case 'D' -> {
            double[] a = new double[len];
            for (int i = 0; i < len; i++) {
              a[i] = in.readDouble();
            }
            sections.put(name, a);
          }
          case 'I' -> {
            int[] a = new int[len];
            for (int i = 0; i < len; i++) {
              a[i] = in.readInt();
            }
            sections.put(name, a);
          }
          case 'L' -> {
            long[] a = new long[len];
            for (int i = 0; i < len; i++) {
              a[i] = in.readLong();
            }
            sections.put(name, a);
          }
          default -> throw bad(file, "corrupted: section '" + name + "' of unknown type " + type);
        }
      }
      int k = in.readInt();
      int n = in.readInt();
      boolean euclidean = in.readByte() == 1;
      if (k < 0 || n < 0 || k != extensions) {
        throw bad(
            file,
            "inconsistent: a basis of "
                + k
                + " vectors of length "
                + n
                + " after "
                + extensions
                + " extensions");
      }
      require(file, in, (long) k * n, euclidean ? 8 : 16);
      double[][] v = new double[k][n];
      for (double[] row : v) {
        for (int i = 0; i < n; i++) {
          row[i] = in.readDouble();
        }
      }
      double[][] w = euclidean ? v : new double[k][n];
      if (!euclidean) {
        for (double[] row : w) {
          for (int i = 0; i < n; i++) {
            row[i] = in.readDouble();
          }
        }
      }
      int dl = in.readInt();
      if (dl != 0 && dl != 32) {
        throw bad(file, "corrupted: a reduced-model digest of " + dl + " bytes");
      }
      byte[] romDigest = in.readNBytes(dl);
      if (romDigest.length != dl || in.available() != 0) {
        throw bad(file, "corrupted: the body does not end where the header says");
      }
      return new GreedyCheckpoint(
          algorithm,
          modelDigest,
          options,
          extensions,
          seconds,
          sweepSeconds,
          sections,
          new BasisState(n, v, w),
          romDigest);
    } catch (EOFException e) {
      throw bad(file, "corrupted: the body ends early");
    }
  }

  private static void require(Path file, DataInputStream in, long count, int bytes)
      throws IOException {
    if (count < 0 || count * bytes > in.available()) {
      throw bad(
          file,
          "corrupted: " + count + " values need more than the " + in.available() + " bytes left");
    }
  }

  /** Reads the checkpoint of a resume, with one-line messages for every failure. */
  static GreedyCheckpoint readForResume(Path file) {
    try {
      return read(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("checkpoint " + file + ": no such file", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "checkpoint " + file + ": cannot be read (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Reads the checkpoint to resume from, checks that it belongs to this run (kind, model digest,
   * options), and restores its basis into {@code reductor}, which must be empty.
   */
  static GreedyCheckpoint resumeInto(
      Path file,
      String kind,
      String modelDigest,
      Map<String, String> options,
      StationaryRBReductor reductor) {
    GreedyCheckpoint c = readForResume(file);
    c.requireMatches(file, kind, modelDigest, options);
    if (reductor.basisSize() != 0) {
      throw new IllegalArgumentException(
          "resuming from "
              + file
              + " needs a reductor with an empty basis; it has "
              + reductor.basisSize()
              + " vectors");
    }
    reductor.restoreBasis(c.basis());
    return c;
  }

  /**
   * Checks the reduced model rebuilt from this checkpoint's basis against the saved digest (a
   * checkpoint without one is not checked).
   */
  void requireSameReducedModel(Path file, ReducedModel rom) {
    byte[] saved = romDigest();
    if (saved.length > 0 && !Arrays.equals(saved, digestOf(rom))) {
      throw new IllegalArgumentException(
          "checkpoint "
              + file
              + ": the reduced model rebuilt from its basis differs from the saved one"
              + " (another release, or another arithmetic)");
    }
  }
}
