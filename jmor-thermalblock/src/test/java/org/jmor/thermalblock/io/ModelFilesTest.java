package org.jmor.thermalblock.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.jmor.discretizer.models.Product;
import org.jmor.random.Pcg64;
import org.jmor.rb.algorithms.ParameterSpace;
import org.jmor.rb.reductors.BasisExtension;
import org.jmor.rb.reductors.ParameterFunctional;
import org.jmor.rb.reductors.ReducedModel;
import org.jmor.rb.reductors.ReductorKind;
import org.jmor.rb.reductors.StationaryRBReductor;
import org.jmor.thermalblock.ThermalBlockModel;
import org.jmor.thermalblock.ThermalBlockProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Saved models: round trips are bit-identical, and every kind of bad file is refused clearly. */
class ModelFilesTest {

  private static final ThermalBlockModel FOM = ThermalBlockProblem.of(2, 2).discretize(10);
  private static final ParameterSpace SPACE = ParameterSpace.of(4, 0.1, 1.0);
  private static final double[][] SNAPSHOTS = {
    {0.1, 0.1, 0.1, 0.1}, {0.1, 0.1, 0.1, 1.0}, {0.1, 1.0, 0.55, 0.1}, {1.0, 0.3, 0.2, 0.7}
  };

  @TempDir Path tmp;

  private static StationaryRBReductor reductor(ReductorKind kind, int size) {
    StationaryRBReductor r =
        kind.create(FOM, Product.H1_0_SEMI, ParameterFunctional.minComponent());
    for (int i = 0; i < size; i++) {
      r.extendBasis(FOM.solve(SNAPSHOTS[i]), BasisExtension.GRAM_SCHMIDT);
    }
    return r;
  }

  private static final List<double[]> MUS = SPACE.sampleRandomly(5, Pcg64.defaultRng(7));

  /** Solutions and estimates of both models agree bit for bit. */
  private static void assertSameNumbers(ReducedModel expected, ReducedModel actual) {
    assertThat(actual.dim()).isEqualTo(expected.dim());
    for (double[] mu : MUS) {
      assertThat(actual.solve(mu)).isEqualTo(expected.solve(mu));
      assertThat(Double.doubleToRawLongBits(actual.estimateError(mu)))
          .isEqualTo(Double.doubleToRawLongBits(expected.estimateError(mu)));
      assertThat(actual.conditionNumber(mu)).isEqualTo(expected.conditionNumber(mu));
    }
  }

  @ParameterizedTest
  @EnumSource(ReductorKind.class)
  void reduced_roundTripIsBitIdentical(ReductorKind kind) throws IOException {
    StationaryRBReductor r = reductor(kind, 4);
    ReducedModel rom = r.reduce();
    Path f = tmp.resolve("x_reduced");
    ModelFiles.writeReduced(f, rom, SPACE, "diffusion", DetailedModelId.of(FOM, r));
    SavedReducedModel saved = ModelFiles.readReduced(f);
    assertThat(saved.parameterName()).isEqualTo("diffusion");
    assertThat(saved.parameterSpace().dimension()).isEqualTo(4);
    assertThat(saved.parameterSpace().low()).isEqualTo(0.1);
    assertThat(saved.parameterSpace().high()).isEqualTo(1.0);
    assertSameNumbers(rom, saved.rom());
    assertThat(saved.rom().hasGramEstimator()).isEqualTo(kind == ReductorKind.TRADITIONAL);
    assertThat(saved.rom().residualRangeDims()).isEqualTo(rom.residualRangeDims());
    // writing the reloaded model gives the same bytes
    Path g = tmp.resolve("y_reduced");
    assertThat(saved.detailedModel()).isEqualTo(DetailedModelId.of(FOM, r));
    ModelFiles.writeReduced(
        g, saved.rom(), saved.parameterSpace(), "diffusion", saved.detailedModel());
    assertThat(Files.readAllBytes(g)).isEqualTo(Files.readAllBytes(f));
    assertThat(tmp.toFile().list()).containsExactlyInAnyOrder("x_reduced", "y_reduced");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
        .isEqualTo("rw-r--r--");
  }

  @ParameterizedTest
  @EnumSource(ReductorKind.class)
  void detailed_roundTripReducesBitIdentically(ReductorKind kind) throws IOException {
    StationaryRBReductor original = reductor(kind, 4);
    ReducedModel rom = original.reduce();
    Path f = tmp.resolve("x_detailed");
    ModelFiles.writeDetailed(f, FOM, original);
    SavedDetailedModel saved = ModelFiles.readDetailed(f);
    assertThat(saved.fom().dofs()).isEqualTo(FOM.dofs());
    assertThat(saved.fom().gridIntervals()).isEqualTo(10);
    assertThat(saved.reductor().kind()).isEqualTo(kind);
    assertThat(saved.reductor().product()).isEqualTo(Product.H1_0_SEMI);
    assertThat(saved.reductor().basisSize()).isEqualTo(4);
    for (int j = 0; j < 4; j++) {
      assertThat(saved.reductor().reducedBasis().vector(j))
          .isEqualTo(original.reducedBasis().vector(j));
    }
    assertSameNumbers(rom, saved.reductor().reduce());
    for (int dim = 0; dim <= 4; dim++) {
      // pyMOR's reduce(dim): the same as a reductor given only the first dim vectors
      assertSameNumbers(reductor(kind, dim).reduce(), saved.reductor().reduce(dim));
      assertThat(saved.reductor().reduce(dim).residualRangeDims())
          .isEqualTo(reductor(kind, dim).reduce().residualRangeDims());
    }
    assertThatThrownBy(() -> saved.reductor().reduce(5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dim must be in [0, 4] (the basis size), got 5");
  }

  private Path reducedFile() throws IOException {
    Path f = tmp.resolve("x_reduced");
    StationaryRBReductor r = reductor(ReductorKind.RESIDUAL_BASIS, 2);
    ModelFiles.writeReduced(f, r.reduce(), SPACE, "d", DetailedModelId.of(FOM, r));
    return f;
  }

  /** Recomputes the trailing CRC32, so that only the deliberate change is seen. */
  private static void fixChecksum(byte[] b) {
    CRC32 crc = new CRC32();
    crc.update(b, 0, b.length - 4);
    ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
  }

  @Test
  void unknownVersion_isNamed() throws IOException {
    Path f = reducedFile();
    byte[] b = Files.readAllBytes(f);
    ByteBuffer.wrap(b).putInt(8, 7);
    Files.write(f, b);
    assertThatThrownBy(() -> ModelFiles.readReduced(f))
        .isInstanceOf(SavedModelFormatException.class)
        .hasMessage(
            f
                + ": saved-model format version 7 is not supported (this release reads versions 1,"
                + " 2); it was written by a later release");
  }

  @Test
  void wrongMagic_isNotASavedModel() throws IOException {
    Path f = tmp.resolve("notes.txt");
    Files.writeString(f, "(lp0\nS'a pickle, say'\n");
    assertThatThrownBy(() -> ModelFiles.readReduced(f))
        .isInstanceOf(SavedModelFormatException.class)
        .hasMessage(f + ": not a jmor saved model (it does not start with jmor's magic bytes)");
    Path empty = Files.createFile(tmp.resolve("empty"));
    assertThatThrownBy(() -> ModelFiles.readDetailed(empty))
        .hasMessageContaining("not a jmor saved model");
  }

  @Test
  void truncated_isReported() throws IOException {
    Path f = reducedFile();
    byte[] b = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(b, b.length - 10));
    assertThatThrownBy(() -> ModelFiles.readReduced(f))
        .isInstanceOf(SavedModelFormatException.class)
        .hasMessage(f + ": truncated: " + (b.length - 10) + " bytes, the header says " + b.length);
    Files.write(f, Arrays.copyOf(b, 12));
    assertThatThrownBy(() -> ModelFiles.readReduced(f))
        .hasMessage(f + ": truncated: 12 bytes, shorter than the header");
  }

  @Test
  void corrupted_isReported() throws IOException {
    Path f = reducedFile();
    byte[] b = Files.readAllBytes(f);
    b[b.length / 2] ^= 0x10;
    Files.write(f, b);
    assertThatThrownBy(() -> ModelFiles.readReduced(f))
        .isInstanceOf(SavedModelFormatException.class)
        .hasMessageStartingWith(f + ": corrupted: CRC32 ");
  }

  @Test
  void otherKind_isReported() throws IOException {
    Path f = tmp.resolve("x_detailed");
    ModelFiles.writeDetailed(f, FOM, reductor(ReductorKind.RESIDUAL_BASIS, 1));
    assertThatThrownBy(() -> ModelFiles.readReduced(f))
        .isInstanceOf(SavedModelFormatException.class)
        .hasMessage(
            f + ": is a detailed-model file, expected a reduced-model file (PREFIX_reduced)");
    assertThatThrownBy(() -> ModelFiles.checkHeader(f, ModelFiles.KIND_REDUCED))
        .hasMessage(
            f + ": is a detailed-model file, expected a reduced-model file (PREFIX_reduced)");
    ModelFiles.checkHeader(f, ModelFiles.KIND_DETAILED);
  }

  @Test
  void changedDiscretizer_isDetected() throws IOException {
    Path f = tmp.resolve("x_detailed");
    ModelFiles.writeDetailed(f, FOM, reductor(ReductorKind.RESIDUAL_BASIS, 1));
    byte[] b = Files.readAllBytes(f);
    // header 20, "detailed" 2+8, identity 2+64+2+64+16, "thermal_block" 2+13, 3 ints, 2 doubles,
    // digest length 4
    int digest = 20 + 10 + 148 + 15 + 12 + 16 + 4;
    assertThat(Arrays.copyOfRange(b, digest, digest + 32)).isEqualTo(ModelFiles.systemDigest(FOM));
    b[digest] ^= 1;
    fixChecksum(b);
    Files.write(f, b);
    assertThatThrownBy(() -> ModelFiles.readDetailed(f))
        .isInstanceOf(SavedModelFormatException.class)
        .hasMessageContaining("the discretizer changed since the file was written");
  }

  // ------------------------------------------------------------------ the pair (issue 21)

  /** Writes both files of one run, as {@code thermalblock --pickle PREFIX} does. */
  private static void pickle(Path prefix, ThermalBlockModel fom, StationaryRBReductor r)
      throws IOException {
    ModelFiles.writeReduced(
        Path.of(prefix + "_reduced"), r.reduce(), SPACE, "diffusion", DetailedModelId.of(fom, r));
    ModelFiles.writeDetailed(Path.of(prefix + "_detailed"), fom, r);
  }

  private static StationaryRBReductor reductorOf(ThermalBlockModel fom, int size) {
    StationaryRBReductor r =
        ReductorKind.RESIDUAL_BASIS.create(
            fom, Product.H1_0_SEMI, ParameterFunctional.minComponent());
    for (int i = 0; i < size; i++) {
      r.extendBasis(fom.solve(SNAPSHOTS[i]), BasisExtension.GRAM_SCHMIDT);
    }
    return r;
  }

  @Test
  void pair_ofOneRun_isAccepted_andRecordsTheIdentity() throws IOException {
    StationaryRBReductor r = reductor(ReductorKind.RESIDUAL_BASIS, 3);
    pickle(tmp.resolve("a"), FOM, r);
    ModelFiles.checkPair(tmp.resolve("a_reduced"), tmp.resolve("a_detailed"));
    DetailedModelId id = ModelFiles.detailedModelId(tmp.resolve("a_reduced"), "reduced");
    assertThat(id).isEqualTo(DetailedModelId.of(FOM, r));
    assertThat(id.modelDigest()).isEqualTo(ModelDigest.sha256Hex(FOM));
    assertThat(id.basisSize()).isEqualTo(3);
    assertThat(ModelFiles.detailedModelId(tmp.resolve("a_detailed"), "detailed")).isEqualTo(id);
  }

  @Test
  void pair_ofAnotherGrid_isRefusedNamingBothModels() throws IOException {
    ThermalBlockModel other = ThermalBlockProblem.of(2, 2).discretize(12);
    pickle(tmp.resolve("a"), FOM, reductor(ReductorKind.RESIDUAL_BASIS, 3));
    pickle(tmp.resolve("b"), other, reductorOf(other, 3));
    Path a = tmp.resolve("a_reduced");
    Path b = tmp.resolve("b_detailed");
    assertThatThrownBy(() -> ModelFiles.checkPair(a, b))
        .isInstanceOf(ModelFilesMismatchException.class)
        .hasMessage(
            b
                + " does not belong to "
                + a
                + ": the reduced model was reduced from 2x2 blocks, grid 10 (model digest "
                + ModelDigest.sha256Hex(FOM).substring(0, 12)
                + "), the detailed file holds 2x2 blocks, grid 12 (model digest "
                + ModelDigest.sha256Hex(other).substring(0, 12)
                + "); give the two files of one 'thermalblock --pickle PREFIX' run");
  }

  @Test
  void pair_ofTheSameModelWithAnotherBasis_isRefused() throws IOException {
    pickle(tmp.resolve("a"), FOM, reductor(ReductorKind.RESIDUAL_BASIS, 3));
    // same model, same basis size, another basis (another algorithm, seed or snapshots)
    StationaryRBReductor other = reductorOf(FOM, 0);
    for (int i = 3; i >= 1; i--) {
      other.extendBasis(FOM.solve(SNAPSHOTS[i]), BasisExtension.GRAM_SCHMIDT);
    }
    pickle(tmp.resolve("b"), FOM, other);
    assertThatThrownBy(
            () -> ModelFiles.checkPair(tmp.resolve("a_reduced"), tmp.resolve("b_detailed")))
        .isInstanceOf(ModelFilesMismatchException.class)
        .hasMessageContaining("both are of 2x2 blocks, grid 10")
        .hasMessageContaining("but the reduced model was reduced from another basis (3 basis");
    // a reduced model of a shorter basis of the same run's model is another basis too
    pickle(tmp.resolve("c"), FOM, reductor(ReductorKind.RESIDUAL_BASIS, 2));
    assertThatThrownBy(
            () -> ModelFiles.checkPair(tmp.resolve("c_reduced"), tmp.resolve("a_detailed")))
        .hasMessageContaining("another basis (2 basis vectors");
    // another reductor kind on the same basis
    pickle(tmp.resolve("d"), FOM, reductor(ReductorKind.TRADITIONAL, 3));
    assertThatThrownBy(
            () -> ModelFiles.checkPair(tmp.resolve("d_reduced"), tmp.resolve("a_detailed")))
        .isInstanceOf(ModelFilesMismatchException.class);
  }

  /** A file as the previous release wrote it: version 1, no identity section. */
  private static void toVersion1(Path f) throws IOException {
    byte[] b = Files.readAllBytes(f);
    int kindEnd = 20 + 2 + ByteBuffer.wrap(b).getShort(20);
    int idBytes = 2 + 64 + 2 + 64 + 16;
    byte[] v1 = new byte[b.length - idBytes];
    System.arraycopy(b, 0, v1, 0, kindEnd);
    System.arraycopy(b, kindEnd + idBytes, v1, kindEnd, b.length - kindEnd - idBytes);
    ByteBuffer.wrap(v1).putInt(8, 1).putLong(12, v1.length);
    fixChecksum(v1);
    Files.write(f, v1);
  }

  @Test
  void version1Files_areRead_butNotAcceptedAsAPair() throws IOException {
    StationaryRBReductor r = reductor(ReductorKind.RESIDUAL_BASIS, 3);
    pickle(tmp.resolve("a"), FOM, r);
    Path reduced = tmp.resolve("a_reduced");
    Path detailed = tmp.resolve("a_detailed");
    toVersion1(reduced);
    SavedReducedModel saved = ModelFiles.readReduced(reduced);
    assertThat(saved.detailedModel()).isNull();
    assertSameNumbers(r.reduce(), saved.rom());
    assertThat(ModelFiles.detailedModelId(reduced, "reduced")).isNull();
    assertThatThrownBy(() -> ModelFiles.checkPair(reduced, detailed))
        .isInstanceOf(ModelFilesMismatchException.class)
        .hasMessage(
            reduced
                + " was written by an earlier release (saved-model format version 1), which does"
                + " not record which detailed model a reduced model belongs to, so "
                + detailed
                + " cannot be checked against "
                + reduced
                + "; write both again with 'thermalblock --pickle PREFIX'");
    toVersion1(detailed);
    assertThat(ModelFiles.readDetailed(detailed).reductor().basisSize()).isEqualTo(3);
  }

  @Test
  void detailedFileWhoseIdentityIsNotItsContent_isRefused() throws IOException {
    pickle(tmp.resolve("a"), FOM, reductor(ReductorKind.RESIDUAL_BASIS, 3));
    Path f = tmp.resolve("a_detailed");
    byte[] b = Files.readAllBytes(f);
    int basisDigest = 20 + 10 + 2 + 64 + 2; // first hex digit of the basis digest
    b[basisDigest] = (byte) (b[basisDigest] == '0' ? '1' : '0');
    fixChecksum(b);
    Files.write(f, b);
    assertThatThrownBy(() -> ModelFiles.readDetailed(f))
        .isInstanceOf(SavedModelFormatException.class)
        .hasMessageContaining("the recorded identity of the detailed model");
  }
}
