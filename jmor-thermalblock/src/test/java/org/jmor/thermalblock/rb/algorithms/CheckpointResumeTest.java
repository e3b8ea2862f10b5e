package org.jmor.thermalblock.rb.algorithms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.jmor.discretizer.models.Product;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.random.Pcg64;
import org.jmor.rb.algorithms.AdaptiveGreedy;
import org.jmor.rb.algorithms.AdaptiveGreedyResult;
import org.jmor.rb.algorithms.CheckpointFile;
import org.jmor.rb.algorithms.GreedyCheckpoint;
import org.jmor.rb.algorithms.GreedyResult;
import org.jmor.rb.algorithms.ParameterSpace;
import org.jmor.rb.algorithms.RbGreedy;
import org.jmor.rb.algorithms.TieRule;
import org.jmor.rb.reductors.CoerciveRBReductor;
import org.jmor.rb.reductors.ParameterFunctional;
import org.jmor.rb.reductors.ReducedModel;
import org.jmor.rb.reductors.ReductorKind;
import org.jmor.rb.reductors.StationaryRBReductor;
import org.jmor.thermalblock.ThermalBlockModel;
import org.jmor.thermalblock.ThermalBlockProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A greedy search resumed from the checkpoint after extension k gives the numbers of a search that
 * was never stopped, bit for bit, on every pool; checkpoints of another model, other options,
 * another format version or with a bad checksum are refused with a message that says which.
 */
class CheckpointResumeTest {

  private static final ThermalBlockModel FOM = ThermalBlockProblem.of(2, 2).discretize(10);
  private static final ParameterSpace SPACE = ParameterSpace.of(4, 0.1, 1.0);
  private static final int EXTENSIONS = 5;

  @TempDir Path tmp;

  private static StationaryRBReductor reductor(ReductorKind kind, Product product) {
    return kind.create(FOM, product, ParameterFunctional.minComponent());
  }

  /** Runs a weak greedy with checkpoints, keeping a copy of the checkpoint after each extension. */
  private GreedyResult weak(
      ReductorKind kind,
      Product product,
      boolean grid,
      WorkerPool pool,
      Path ckpt,
      Path resume,
      int maxExtensions) {
    RbGreedy.Builder b =
        grid
            ? RbGreedy.builder(reductor(kind, product), SPACE.uniformGrid(3))
            : RbGreedy.builder(reductor(kind, product), SPACE.sampleUniformly(3));
    CheckpointFile file = CheckpointFile.at(ckpt);
    return b.maxExtensions(maxExtensions)
        .pool(pool)
        .checkpoint(file)
        .resume(resume)
        .progress(k -> copy(ckpt, ckpt.resolveSibling("after-" + k)))
        .run();
  }

  private static void copy(Path from, Path to) {
    try {
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void assertSame(ReducedModel expected, ReducedModel actual) {
    ReducedModel.Data e = expected.data();
    ReducedModel.Data a = actual.data();
    assertThat(a.operators()).isEqualTo(e.operators());
    assertThat(a.rhs()).isEqualTo(e.rhs());
    assertThat(a.residualOperators()).isEqualTo(e.residualOperators());
    assertThat(a.residualRhs()).isEqualTo(e.residualRhs());
    assertThat(a.gram()).isEqualTo(e.gram());
  }

  static Stream<Arguments> weakCases() {
    return Stream.of(
        Arguments.of(ReductorKind.RESIDUAL_BASIS, Product.H1_0_SEMI, true, "threads:2"),
        Arguments.of(ReductorKind.RESIDUAL_BASIS, Product.H1_0_SEMI, false, "sequential"),
        Arguments.of(ReductorKind.TRADITIONAL, Product.H1_0_SEMI, true, "threads:3"),
        Arguments.of(ReductorKind.RESIDUAL_BASIS, Product.EUCLIDEAN, true, "threads:2"));
  }

  private static WorkerPool pool(String spec) {
    return spec.equals("sequential")
        ? WorkerPools.sequential()
        : WorkerPools.threads(Integer.parseInt(spec.substring(spec.indexOf(':') + 1)));
  }

  @ParameterizedTest(name = "{0}, {1}, grid {2}, resumed on {3}")
  @MethodSource("weakCases")
  void weakGreedy_resumedAfterExtensionK_isBitIdentical(
      ReductorKind kind, Product product, boolean grid, String resumePool) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("full"));
    GreedyResult expected;
    try (WorkerPool seq = WorkerPools.sequential()) {
      expected = weak(kind, product, grid, seq, dir.resolve("ckpt"), null, EXTENSIONS);
    }
    GreedyCheckpoint last = GreedyCheckpoint.read(dir.resolve("ckpt"));
    assertThat(last.extensions()).isEqualTo(EXTENSIONS);
    assertThat(last.maxErrors()).isEqualTo(expected.maxErrors());
    for (int k : new int[] {1, 3, EXTENSIONS}) {
      Path resumeDir = Files.createDirectories(tmp.resolve("resume-" + k));
      GreedyResult actual;
      try (WorkerPool pool = pool(resumePool)) {
        actual =
            weak(
                kind,
                product,
                grid,
                pool,
                resumeDir.resolve("ckpt"),
                dir.resolve("after-" + k),
                EXTENSIONS);
      }
      assertThat(actual.extensions()).isEqualTo(EXTENSIONS);
      assertThat(actual.maxErrors()).isEqualTo(expected.maxErrors());
      assertThat(actual.maxErrorIndices()).isEqualTo(expected.maxErrorIndices());
      assertThat(actual.maxErrorParameters())
          .usingRecursiveFieldByFieldElementComparator()
          .containsExactlyElementsOf(expected.maxErrorParameters());
      for (int j = 0; j < EXTENSIONS; j++) {
        assertThat(actual.reducedBasis().vector(j)).isEqualTo(expected.reducedBasis().vector(j));
      }
      assertSame(expected.reducedModel(), actual.reducedModel());
      // the resumed run's own checkpoints continue the same file
      assertThat(GreedyCheckpoint.read(resumeDir.resolve("ckpt")).maxErrors())
          .isEqualTo(expected.maxErrors());
    }
  }

  private AdaptiveGreedyResult adaptive(
      WorkerPool pool, Pcg64 rng, Path ckpt, Path resume, int validation, double rho) {
    return AdaptiveGreedy.builder(CoerciveRBReductor.forThermalBlock(FOM), SPACE, rng)
        .validationMus(validation)
        .rho(rho)
        .maxExtensions(EXTENSIONS)
        .pool(pool)
        .checkpoint(CheckpointFile.at(ckpt))
        .resume(resume)
        .progress(k -> copy(ckpt, ckpt.resolveSibling("after-" + k)))
        .run();
  }

  @ParameterizedTest(name = "validation set {0}, rho {1}")
  @org.junit.jupiter.params.provider.CsvSource({"-5, 0.5", "10, 1.1"})
  void adaptiveGreedy_resumedAfterExtensionK_isBitIdentical(int validation, double rho)
      throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("full"));
    Pcg64 rng = Pcg64.defaultRng(42);
    AdaptiveGreedyResult expected;
    try (WorkerPool seq = WorkerPools.sequential()) {
      expected = adaptive(seq, rng, dir.resolve("ckpt"), null, validation, rho);
    }
    if (rho < 1) {
      assertThat(java.util.Arrays.stream(expected.refinements()).sum())
          .as("refines at least once")
          .isPositive();
    }
    for (int k : new int[] {1, 3, EXTENSIONS}) {
      Path resumeDir = Files.createDirectories(tmp.resolve("resume-" + k));
      Pcg64 rng2 = Pcg64.defaultRng(42);
      AdaptiveGreedyResult actual;
      try (WorkerPool pool = WorkerPools.threads(2)) {
        actual =
            adaptive(
                pool, rng2, resumeDir.resolve("ckpt"), dir.resolve("after-" + k), validation, rho);
      }
      assertThat(actual.maxErrors()).isEqualTo(expected.maxErrors());
      assertThat(actual.maxValidationErrors()).isEqualTo(expected.maxValidationErrors());
      assertThat(actual.refinements()).isEqualTo(expected.refinements());
      assertThat(actual.trainingSetSizes()).isEqualTo(expected.trainingSetSizes());
      assertThat(actual.validationSetSizes()).isEqualTo(expected.validationSetSizes());
      assertThat(actual.maxErrorParameters())
          .usingRecursiveFieldByFieldElementComparator()
          .containsExactlyElementsOf(expected.maxErrorParameters());
      assertThat(actual.maxValidationErrorParameters())
          .usingRecursiveFieldByFieldElementComparator()
          .containsExactlyElementsOf(expected.maxValidationErrorParameters());
      assertSame(expected.reducedModel(), actual.reducedModel());
      // the generator is where the uninterrupted run left it (the test parameters come next)
      assertThat(rng2.fullState()).isEqualTo(rng.fullState());
    }
  }

  // ------------------------------------------------------------------ refusals

  private Path weakCheckpoint() {
    try (WorkerPool seq = WorkerPools.sequential()) {
      weak(ReductorKind.RESIDUAL_BASIS, Product.H1_0_SEMI, true, seq, tmp.resolve("ckpt"), null, 2);
    }
    return tmp.resolve("ckpt");
  }

  private static RbGreedy.Builder resumeBuilder(ThermalBlockModel fom, Path resume) {
    return RbGreedy.builder(
            CoerciveRBReductor.forThermalBlock(fom), ParameterSpace.of(4, 0.1, 1.0).uniformGrid(3))
        .maxExtensions(2)
        .resume(resume);
  }

  @Test
  void refusesAnotherModel() {
    Path c = weakCheckpoint();
    ThermalBlockModel other = ThermalBlockProblem.of(2, 2).discretize(12);
    assertThatThrownBy(() -> resumeBuilder(other, c).run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("checkpoint " + c + " is of another model: model digest ");
  }

  @Test
  void refusesOtherOptions() {
    Path c = weakCheckpoint();
    assertThatThrownBy(() -> resumeBuilder(FOM, c).maxExtensions(3).run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "checkpoint "
                + c
                + " was written with other options: max_extensions = 2 (this run: 3)");
    assertThatThrownBy(() -> resumeBuilder(FOM, c).tieRule(TieRule.FIRST_MAXIMUM).run())
        .hasMessageContaining("other options: tie_rule = tolerance (this run: first_maximum)");
  }

  @Test
  void refusesAnotherAlgorithm() {
    Path c = weakCheckpoint();
    assertThatThrownBy(
            () ->
                AdaptiveGreedy.builder(
                        CoerciveRBReductor.forThermalBlock(FOM), SPACE, Pcg64.defaultRng(1))
                    .resume(c)
                    .run())
        .hasMessage(
            "checkpoint "
                + c
                + " is of another algorithm: weak_greedy (this run: adaptive_greedy)");
  }

  @Test
  void refusesAnotherFormatVersion() throws IOException {
    Path c = weakCheckpoint();
    byte[] bytes = Files.readAllBytes(c);
    ByteBuffer.wrap(bytes).putInt(8, 2);
    Files.write(c, bytes);
    assertThatThrownBy(() -> resumeBuilder(FOM, c).run())
        .hasMessage(
            "checkpoint "
                + c
                + ": checkpoint format version 2 is not supported (this release reads version 1);"
                + " it was written by a later release");
    assertThatThrownBy(() -> GreedyCheckpoint.checkHeader(c))
        .hasMessageContaining("format version 2 is not supported");
  }

  @Test
  void refusesABadChecksumAndATruncatedFile() throws IOException {
    Path c = weakCheckpoint();
    byte[] bytes = Files.readAllBytes(c);
    bytes[bytes.length / 2] ^= 1;
    Files.write(c, bytes);
    assertThatThrownBy(() -> resumeBuilder(FOM, c).run())
        .hasMessageMatching(
            "checkpoint "
                + java.util.regex.Pattern.quote(c.toString())
                + ": corrupted: CRC32 [0-9a-f]{8}, the file says [0-9a-f]{8}");
    Files.write(c, java.util.Arrays.copyOf(bytes, bytes.length - 100));
    assertThatThrownBy(() -> resumeBuilder(FOM, c).run()).hasMessageContaining(": truncated: ");
    Files.writeString(c, "hello");
    assertThatThrownBy(() -> resumeBuilder(FOM, c).run())
        .hasMessage(
            "checkpoint "
                + c
                + ": not a jmor checkpoint (it does not start with jmor's magic bytes)");
  }

  @Test
  void refusesAReductorThatHasABasis() {
    Path c = weakCheckpoint();
    StationaryRBReductor r = CoerciveRBReductor.forThermalBlock(FOM);
    r.extendBasis(
        FOM.solve(new double[] {0.1, 0.2, 0.3, 0.4}),
        org.jmor.rb.reductors.BasisExtension.GRAM_SCHMIDT);
    assertThatThrownBy(
            () -> RbGreedy.builder(r, SPACE.uniformGrid(3)).maxExtensions(2).resume(c).run())
        .hasMessageContaining("needs a reductor with an empty basis; it has 1 vectors");
  }

  @Test
  void closedCheckpointFileWritesNothingMore() throws Exception {
    Path f = tmp.resolve("c");
    CheckpointFile file = CheckpointFile.at(f);
    assertThat(file.close(1, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    RbGreedy.builder(
            CoerciveRBReductor.forThermalBlock(FOM), List.of(new double[] {0.1, 0.2, 0.3, 0.4}))
        .maxExtensions(1)
        .checkpoint(file)
        .run();
    assertThat(f).doesNotExist();
    assertThat(file.writes()).isZero();
  }
}
