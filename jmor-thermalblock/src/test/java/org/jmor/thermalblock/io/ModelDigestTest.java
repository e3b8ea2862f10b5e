package org.jmor.thermalblock.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.jmor.thermalblock.ThermalBlockModel;
import org.jmor.thermalblock.ThermalBlockProblem;
import org.junit.jupiter.api.Test;

/** The model digest is stable, identifies the model, and tells other models apart. */
class ModelDigestTest {

  private static final ThermalBlockModel FOM = ThermalBlockProblem.of(2, 2).discretize(10);

  @Test
  void isSixtyFourLowerCaseHexDigits() {
    assertThat(ModelDigest.sha256Hex(FOM)).matches("[0-9a-f]{64}");
  }

  @Test
  void isTheSameForAModelBuiltAgain() {
    ThermalBlockModel again = ThermalBlockProblem.of(2, 2).discretize(10);
    assertThat(again).isNotSameAs(FOM);
    assertThat(ModelDigest.sha256Hex(again)).isEqualTo(ModelDigest.sha256Hex(FOM));
  }

  /**
   * The value is pinned: it changes only when the discretizer's matrices or the digest scheme
   * change, and then files that recorded the old digest must be refused (raise {@link
   * ModelDigest#SCHEME} if the scheme changes).
   */
  @Test
  void isPinnedForTheTwoByTwoModelOnGridTen() {
    assertThat(ModelDigest.sha256Hex(FOM)).isEqualTo(PINNED_2X2_GRID_10);
  }

  @Test
  void differsForOtherBlocksOrGrids() {
    String d = ModelDigest.sha256Hex(FOM);
    assertThat(ModelDigest.sha256Hex(ThermalBlockProblem.of(2, 2).discretize(12))).isNotEqualTo(d);
    assertThat(ModelDigest.sha256Hex(ThermalBlockProblem.of(1, 4).discretize(10))).isNotEqualTo(d);
    assertThat(ModelDigest.sha256Hex(ThermalBlockProblem.of(4, 1).discretize(10)))
        .isNotEqualTo(ModelDigest.sha256Hex(ThermalBlockProblem.of(1, 4).discretize(10)));
  }

  private static final String PINNED_2X2_GRID_10 =
      "c878d55a090ad9643c8c0b3b085dafa298b5e3c4a052e03ca6fb5884dd5f00cb";
}
