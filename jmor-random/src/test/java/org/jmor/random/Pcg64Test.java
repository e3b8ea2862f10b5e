package org.jmor.random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Reference values generated with numpy 1.24.2 (Debian python3-numpy); doubles are Python {@code
 * repr} values (shortest round-trip), so {@code containsExactly} checks them bit for bit.
 */
class Pcg64Test {

  /** {@code np.random.default_rng(42).uniform(0.1, 1.0, 40)}: pyMOR's test parameters. */
  private static final double[] UNIFORM_42 = {
    0.796560443700367, 0.4949905957768471, 0.8727381279202442, 0.7276312261534275,
    0.18475961309888458, 0.9780601164730803, 0.7850257317913176, 0.8074578747492585,
    0.2153022694079913, 0.5053473441060105, 0.4337182218093232, 0.9340884899637416,
    0.6794786080725981, 0.840485451943747, 0.499072778944598, 0.3045148496062992,
    0.5991263083142513, 0.1574355304937578, 0.8448680547933238, 0.6684979592098583,
    0.7822789660768364, 0.4190733713168815, 0.973628221955413, 0.9038090091899779,
    0.8005451473663857, 0.2751748370667708, 0.5200489033543307, 0.13942338920850592,
    0.23886054286079306, 0.7147440579182092, 0.7702859403170355, 0.970758759190789,
    0.3932428223243367, 0.43341373543138206, 0.5226002301482271, 0.2705242231758571,
    0.2169293548019245, 0.5281344336033403, 0.3042184141457957, 0.7028325952142593,
  };

  /** The first 6 of the following {@code uniform(0.1, 1.0, 50)} on the same generator. */
  private static final double[] UNIFORM_42_NEXT = {
    0.49343672698509766,
    0.8494103764520536,
    0.7302385918020242,
    0.381129977243837,
    0.8490338212556809,
    0.8242879217471216,
  };

  @Test
  void pymorTestParametersFromDefaultRng42() {
    Pcg64 rng = Pcg64.defaultRng(42);
    assertThat(rng.uniform(0.1, 1.0, 40)).containsExactly(UNIFORM_42);
    double[] next = rng.uniform(0.1, 1.0, 50);
    assertThat(java.util.Arrays.copyOf(next, 6)).containsExactly(UNIFORM_42_NEXT);
    // last element of that numpy call
    assertThat(next[49]).isEqualTo(0.5509402975930272);
  }

  @Test
  void scalarUniformMatchesArrayUniform() {
    Pcg64 rng = Pcg64.defaultRng(42);
    for (double expected : UNIFORM_42) {
      assertThat(rng.uniform(0.1, 1.0)).isEqualTo(expected);
    }
    // np.random.default_rng(7).uniform(-3.0, 5.0, 4)
    assertThat(Pcg64.defaultRng(7).uniform(-3.0, 5.0, 4))
        .containsExactly(
            2.0007637328373358, 4.177710407756604, 3.205485521961548, -1.1983424800752651);
  }

  @Test
  void seedingMatchesNumpyState() {
    // np.random.PCG64(42).state['state']:
    // state 0xcea44f6798798f2aacbc7c9d68860ac8, inc 0xfa505436c9a8416e66caf2e28d25abff
    assertThat(Pcg64.defaultRng(42).stateWords())
        .containsExactly(
            0xcea44f6798798f2aL, 0xacbc7c9d68860ac8L, 0xfa505436c9a8416eL, 0x66caf2e28d25abffL);
  }

  @Test
  void rawUint64Seed42() {
    // np.random.PCG64(42).random_raw(5)
    Pcg64 rng = Pcg64.defaultRng(42);
    long[] raw = new long[5];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = rng.nextLong();
    }
    assertThat(raw)
        .containsExactly(
            0xc621fbcd16d92688L,
            0x705a5661a791ffc1L,
            0xdbcd12c26eda1624L,
            0xb286b60e1600888dL,
            0x181c01b5339381ebL);
  }

  @Test
  void randomFromSeed0AndBigSeed() {
    // np.random.default_rng(0).random(6)
    assertThat(Pcg64.defaultRng(0).random(6))
        .containsExactly(
            0.6369616873214543,
            0.2697867137638703,
            0.04097352393619469,
            0.016527635528529094,
            0.8132702392002724,
            0.9127555772777217);
    // np.random.default_rng(2**63 - 1).random(6)
    Pcg64 big = Pcg64.defaultRng(Long.MAX_VALUE);
    double[] expected = {
      0.1754661243027813,
      0.4699286514015091,
      0.8250374441530688,
      0.3049326362166703,
      0.4761663305375816,
      0.804107527676215
    };
    for (double e : expected) {
      assertThat(big.nextDouble()).isEqualTo(e);
    }
  }

  @Test
  void workerRngsFromChildrenOfSeed42() {
    // np.random.Generator(np.random.PCG64(np.random.SeedSequence(42).spawn(3)[i])).random()
    assertThat(Pcg64.of(SeedSequence.of(42).child(0)).nextDouble()).isEqualTo(0.9167441575549085);
    assertThat(Pcg64.of(SeedSequence.of(42).child(1)).nextDouble()).isEqualTo(0.4674907799518424);
    assertThat(Pcg64.of(SeedSequence.of(42).child(2)).nextDouble()).isEqualTo(0.07123920291270869);
    var children = SeedSequence.of(42).spawn(3);
    assertThat(Pcg64.of(children.get(1)).nextDouble()).isEqualTo(0.4674907799518424);
  }

  @Test
  void nextIntBuffersHalvesLikeNumpy() {
    // np.random.default_rng(7).integers(0, 2**32, size=5, dtype=np.uint32)
    Pcg64 rng = Pcg64.defaultRng(7);
    int[] ints = new int[5];
    for (int i = 0; i < ints.length; i++) {
      ints[i] = rng.nextInt();
    }
    assertThat(ints).containsExactly(0xf1e54a8b, 0xa00641a9, 0xaf266a95, 0xe5afcdbc, 0x940af962);

    // interleaving via bit_generator.ctypes next_uint32 / next_uint64 on PCG64(SeedSequence(7))
    Pcg64 mixed = Pcg64.defaultRng(7);
    assertThat(mixed.nextInt()).isEqualTo(0xf1e54a8b);
    assertThat(mixed.nextLong()).isEqualTo(0xe5afcdbcaf266a95L);
    assertThat(mixed.nextInt()).isEqualTo(0xa00641a9);
    assertThat(mixed.nextInt()).isEqualTo(0x940af962);
    assertThat(mixed.nextLong()).isEqualTo(0x39a72dabd56a2742L);
    assertThat(mixed.nextInt()).isEqualTo(0xc693565f);

    // next_uint32, next_double, next_uint32: the double does not consume the buffered half
    Pcg64 d = Pcg64.defaultRng(7);
    assertThat(d.nextInt()).isEqualTo(0xf1e54a8b);
    assertThat(d.nextDouble()).isEqualTo(0.8972138009695755);
    assertThat(d.nextInt()).isEqualTo(0xa00641a9);
  }

  @Test
  void nextFloatMatchesNumpyFloat32() {
    // np.random.default_rng(7).random(5, dtype=np.float32)
    Pcg64 rng = Pcg64.defaultRng(7);
    float[] expected = {
      0.9449049234390259f,
      0.6250954270362854f,
      0.6841799020767212f,
      0.8972137570381165f,
      0.5782924294471741f
    };
    for (float e : expected) {
      assertThat(rng.nextFloat()).isEqualTo(e);
    }
  }

  @Test
  void streamIsReproducible() {
    double[] a = Pcg64.defaultRng(123).random(1000);
    double[] b = Pcg64.defaultRng(123).random(1000);
    assertThat(a).containsExactly(b);
    assertThat(Pcg64.defaultRng(124).random(1000)).isNotEqualTo(a);
    for (double x : a) {
      assertThat(x).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
    }
    // seeding does not mutate the seed sequence
    SeedSequence ss = SeedSequence.of(5);
    assertThat(Pcg64.of(ss).random(3)).containsExactly(Pcg64.of(ss).random(3));
  }

  @Test
  void copyIsIndependent() {
    Pcg64 rng = Pcg64.defaultRng(42);
    rng.random(3);
    rng.nextInt(); // leaves a buffered half
    Pcg64 copy = rng.copy();
    int bufferedOriginal = rng.nextInt();
    double[] original = rng.random(10);
    assertThat(copy.nextInt()).isEqualTo(bufferedOriginal);
    assertThat(copy.random(10)).containsExactly(original);
    // advancing the copy does not move the original
    Pcg64 c2 = rng.copy();
    c2.random(5);
    assertThat(rng.stateWords()).isNotEqualTo(c2.stateWords());
    Pcg64 fresh = Pcg64.defaultRng(42);
    fresh.random(3);
    // np.random.default_rng(42) after random(3): the 4th random()
    assertThat(fresh.copy().nextDouble()).isEqualTo(0.6973680290593639);
    assertThat(fresh.nextDouble()).isEqualTo(0.6973680290593639);
  }

  @Test
  void uniformEdgeCases() {
    assertThat(Pcg64.defaultRng(3).uniform(2.5, 2.5, 2)).containsExactly(2.5, 2.5);
    Pcg64 rng = Pcg64.defaultRng(1);
    long[] before = rng.stateWords();
    assertThat(rng.uniform(1.0, 1.0, 0)).isEmpty();
    assertThat(rng.random(0)).isEmpty();
    assertThat(rng.stateWords()).containsExactly(before);
  }

  @Test
  void argumentChecks() {
    Pcg64 rng = Pcg64.defaultRng(1);
    assertThatThrownBy(() -> rng.uniform(0.0, 1.0, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size must be non-negative");
    assertThatThrownBy(() -> rng.random(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size must be non-negative");
    assertThatThrownBy(() -> rng.uniform(1.0, 0.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("high - low < 0");
    assertThatThrownBy(() -> rng.uniform(0.0, -0.0, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("high - low < 0");
    assertThatThrownBy(() -> rng.uniform(0.0, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds valid bounds");
    assertThatThrownBy(() -> rng.uniform(Double.NaN, 1.0, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds valid bounds");
    assertThatThrownBy(() -> Pcg64.defaultRng(-5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("non-negative");
    assertThatThrownBy(() -> Pcg64.of(null)).isInstanceOf(NullPointerException.class);
    // failed calls do not consume draws
    assertThat(rng.nextDouble()).isEqualTo(Pcg64.defaultRng(1).nextDouble());
  }

  @Test
  void serializationPreservesState() throws Exception {
    Pcg64 rng = Pcg64.defaultRng(42);
    rng.random(7);
    rng.nextInt();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(rng);
    }
    Pcg64 back;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (Pcg64) in.readObject();
    }
    assertThat(back.nextInt()).isEqualTo(rng.nextInt());
    assertThat(back.random(5)).containsExactly(rng.random(5));
  }
}
