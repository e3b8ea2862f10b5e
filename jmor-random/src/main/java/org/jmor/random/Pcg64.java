package org.jmor.random;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A bit-exact Java port of numpy's {@code numpy.random.PCG64} bit generator (PCG XSL-RR 128/64)
 * together with the {@code numpy.random.Generator} methods {@code random()} and {@code uniform(low,
 * high, size)} that pyMOR uses for random parameters.
 *
 * <p>Correspondence with numpy ({@code g = np.random.default_rng(seed)}, {@code bg =
 * g.bit_generator}):
 *
 * <ul>
 *   <li>{@link #defaultRng(long)} is {@code np.random.default_rng(seed)}, i.e. {@code
 *       Generator(PCG64(SeedSequence(seed)))};
 *   <li>{@link #of(SeedSequence)} is {@code PCG64(seed_seq)} (seeded from {@code
 *       seed_seq.generate_state(4, np.uint64)});
 *   <li>{@link #nextLong()} is the bit generator's {@code next_uint64}, i.e. one element of {@code
 *       bg.random_raw()} (as a signed bit pattern);
 *   <li>{@link #nextDouble()} is {@code g.random()}: {@code (next_uint64 >>> 11) * 2^-53};
 *   <li>{@link #random(int)} is {@code g.random(size)};
 *   <li>{@link #uniform(double, double)} is {@code g.uniform(low, high)} and {@link
 *       #uniform(double, double, int)} is {@code g.uniform(low, high, size)}: {@code low + (high -
 *       low) * random()} per element, element 0 drawn first;
 *   <li>{@link #nextInt()} is the bit generator's buffered {@code next_uint32} (the low half of a
 *       fresh 64-bit draw, the high half being kept for the next call), which is what {@code
 *       g.integers(0, 2**32, dtype=np.uint32)} returns;
 *   <li>{@link #nextFloat()} is {@code g.random(dtype=np.float32)}: {@code (next_uint32 >>> 8) *
 *       2^-24}.
 * </ul>
 *
 * As in numpy, 64-bit draws ({@code nextLong}, {@code nextDouble}, {@code uniform}) neither use nor
 * discard a buffered 32-bit half; only {@code nextInt}/{@code nextFloat} consume it.
 *
 * <p>Everything else inherited from {@link RandomGenerator} (bounded {@code nextInt(bound)}, {@code
 * nextLong(origin, bound)}, {@code nextDouble(origin, bound)}, {@code nextBoolean}, {@code
 * nextGaussian}, {@code nextExponential}, streams, ...) uses the JDK's default algorithms on top of
 * these primitives and is <em>not</em> numpy-compatible. In particular {@code nextDouble(origin,
 * bound)} clamps results to stay below {@code bound}, whereas numpy's {@code uniform} (and {@link
 * #uniform(double, double)}) does not.
 *
 * <p>Instances are not thread-safe (numpy guards its generators with a lock); use one instance per
 * thread, for example seeded from {@link SeedSequence#spawn(int)} children, or {@link #copy()}.
 */
public final class Pcg64 implements RandomGenerator, Serializable {

  private static final long serialVersionUID = 1L;

  /** High 64 bits of the PCG default 128-bit multiplier 0x2360ED051FC65DA44385DF649FCCF645. */
  private static final long MULT_HI = 0x2360ED051FC65DA4L;

  /** Low 64 bits of the PCG default 128-bit multiplier. */
  private static final long MULT_LO = 0x4385DF649FCCF645L;

  private static final double DOUBLE_UNIT = 0x1.0p-53;
  private static final float FLOAT_UNIT = 0x1.0p-24f;

  private long stateHi;
  private long stateLo;
  private long incHi;
  private long incLo;
  private boolean hasUint32;
  private int uinteger;

  private Pcg64() {}

  /**
   * Equivalent of numpy's {@code PCG64(seedSequence)}: takes {@code w = generateState64(4)} and
   * runs PCG's {@code srandom} with initial state {@code (w[0] << 64) | w[1]} and stream {@code
   * (w[2] << 64) | w[3]}.
   *
   * @param seedSequence the seed sequence; only read
   * @return a freshly seeded generator
   */
  public static Pcg64 of(SeedSequence seedSequence) {
    Objects.requireNonNull(seedSequence, "seedSequence");
    long[] w = seedSequence.generateState64(4);
    Pcg64 rng = new Pcg64();
    rng.seed(w[0], w[1], w[2], w[3]);
    return rng;
  }

  /**
   * Equivalent of numpy's {@code np.random.default_rng(seed)} = {@code
   * Generator(PCG64(SeedSequence(seed)))}.
   *
   * @param seed non-negative seed
   * @return a freshly seeded generator
   * @throws IllegalArgumentException if {@code seed < 0}
   */
  public static Pcg64 defaultRng(long seed) {
    return of(SeedSequence.of(seed));
  }

  /** PCG's {@code pcg_setseq_128_srandom_r}. */
  private void seed(long initStateHi, long initStateLo, long initSeqHi, long initSeqLo) {
    incHi = (initSeqHi << 1) | (initSeqLo >>> 63);
    incLo = (initSeqLo << 1) | 1L;
    stateHi = 0L;
    stateLo = 0L;
    step();
    long lo = stateLo + initStateLo;
    stateHi = stateHi + initStateHi + (Long.compareUnsigned(lo, initStateLo) < 0 ? 1L : 0L);
    stateLo = lo;
    step();
    hasUint32 = false;
    uinteger = 0;
  }

  /** One LCG step: {@code state = state * MULT + inc (mod 2^128)}. */
  private void step() {
    long hi = unsignedMultiplyHigh(stateLo, MULT_LO) + stateLo * MULT_HI + stateHi * MULT_LO;
    long lo = stateLo * MULT_LO;
    long newLo = lo + incLo;
    stateHi = hi + incHi + (Long.compareUnsigned(newLo, lo) < 0 ? 1L : 0L);
    stateLo = newLo;
  }

  private static long unsignedMultiplyHigh(long a, long b) {
    return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
  }

  /**
   * Returns numpy's {@code next_uint64}: advances the LCG and applies the XSL-RR output function
   * {@code rotateRight(hi ^ lo, hi >>> 58)}. The unsigned numpy value is the bit pattern of the
   * returned {@code long} (use {@link Long#toUnsignedString(long)} to print it).
   *
   * @return the next raw 64-bit output
   */
  @Override
  public long nextLong() {
    step();
    return Long.rotateRight(stateHi ^ stateLo, (int) (stateHi >>> 58));
  }

  /**
   * Returns numpy's {@code next_uint32}: if a buffered high half is present it is returned and the
   * buffer cleared; otherwise a 64-bit draw is made, its high half buffered and its low half
   * returned. Equals {@code Generator.integers(0, 2**32, dtype=np.uint32)} as a bit pattern.
   *
   * @return the next 32-bit output
   */
  @Override
  public int nextInt() {
    if (hasUint32) {
      hasUint32 = false;
      return uinteger;
    }
    long next = nextLong();
    hasUint32 = true;
    uinteger = (int) (next >>> 32);
    return (int) next;
  }

  /**
   * Returns numpy's {@code Generator.random()} ({@code next_double}): {@code (next_uint64 >>> 11) *
   * 2^-53}, a double in {@code [0, 1)}.
   *
   * @return the next double
   */
  @Override
  public double nextDouble() {
    return (nextLong() >>> 11) * DOUBLE_UNIT;
  }

  /**
   * Returns numpy's {@code Generator.random(dtype=np.float32)} ({@code next_float}): {@code
   * (next_uint32 >>> 8) * 2^-24}.
   *
   * @return the next float in {@code [0, 1)}
   */
  @Override
  public float nextFloat() {
    return (nextInt() >>> 8) * FLOAT_UNIT;
  }

  /**
   * Equivalent of numpy's {@code Generator.random(size)}: {@code size} consecutive {@link
   * #nextDouble()} draws.
   *
   * @param size number of draws, {@code >= 0}
   * @return the draws, element 0 first
   * @throws IllegalArgumentException if {@code size < 0}
   */
  public double[] random(int size) {
    checkSize(size);
    double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      out[i] = nextDouble();
    }
    return out;
  }

  /**
   * Equivalent of numpy's {@code Generator.uniform(low, high)} for scalar {@code low}/{@code high}:
   * {@code low + (high - low) * random()}. Like numpy, the result may equal {@code high} through
   * rounding, and the arguments are checked as numpy does.
   *
   * @param low lower bound
   * @param high upper bound
   * @return the draw
   * @throws IllegalArgumentException if {@code high - low} is not finite (numpy's {@code
   *     OverflowError}) or negative (numpy's {@code ValueError})
   */
  public double uniform(double low, double high) {
    double range = checkedRange(low, high);
    return low + range * nextDouble();
  }

  /**
   * Equivalent of numpy's {@code Generator.uniform(low, high, size)} for scalar {@code low}/{@code
   * high}: {@code size} consecutive draws of {@link #uniform(double, double)}, element 0 first.
   *
   * @param low lower bound
   * @param high upper bound
   * @param size number of draws, {@code >= 0}
   * @return the draws
   * @throws IllegalArgumentException if {@code size < 0}, or {@code high - low} is not finite or
   *     negative
   */
  public double[] uniform(double low, double high, int size) {
    double range = checkedRange(low, high);
    checkSize(size);
    double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      out[i] = low + range * nextDouble();
    }
    return out;
  }

  private static double checkedRange(double low, double high) {
    double range = high - low;
    if (!Double.isFinite(range)) {
      throw new IllegalArgumentException(
          "high - low range exceeds valid bounds: low="
              + low
              + ", high="
              + high
              + " (numpy raises OverflowError)");
    }
    // numpy's CONS_NON_NEGATIVE tests the sign bit, so -0.0 (uniform(0.0, -0.0)) is rejected too.
    if (Double.doubleToRawLongBits(range) < 0) {
      throw new IllegalArgumentException("high - low < 0: low=" + low + ", high=" + high);
    }
    return range;
  }

  private static void checkSize(int size) {
    if (size < 0) {
      throw new IllegalArgumentException("size must be non-negative, got " + size);
    }
  }

  /**
   * Returns an independent generator in exactly the same state (including a buffered 32-bit half),
   * equivalent to numpy's {@code copy.deepcopy(generator)}.
   *
   * @return the copy
   */
  public Pcg64 copy() {
    Pcg64 c = new Pcg64();
    c.stateHi = stateHi;
    c.stateLo = stateLo;
    c.incHi = incHi;
    c.incLo = incLo;
    c.hasUint32 = hasUint32;
    c.uinteger = uinteger;
    return c;
  }

  /**
   * Returns the 128-bit LCG state and increment as {@code {stateHi, stateLo, incHi, incLo}},
   * matching numpy's {@code bit_generator.state['state']['state']} and {@code ['inc']} ({@code (hi
   * << 64) | lo}).
   *
   * @return a new array with the four 64-bit words
   */
  public long[] stateWords() {
    return new long[] {stateHi, stateLo, incHi, incLo};
  }

  /**
   * Returns the complete state, for a checkpoint: {@code {stateHi, stateLo, incHi, incLo, hasUint32
   * (0 or 1), buffered 32-bit half}}. {@link #restoreState} sets a generator to it.
   *
   * @return a new array with six words
   */
  public long[] fullState() {
    return new long[] {stateHi, stateLo, incHi, incLo, hasUint32 ? 1L : 0L, uinteger};
  }

  /**
   * Sets this generator to a state returned by {@link #fullState()}: it then draws exactly what the
   * saved generator drew next.
   *
   * <p>Not modified: {@code state}.
   *
   * @param state six words as returned by {@link #fullState()}
   * @throws IllegalArgumentException if {@code state} does not have six words, its increment is
   *     even (not a PCG stream), or its flag is not 0 or 1
   */
  public void restoreState(long[] state) {
    if (state.length != 6 || (state[3] & 1L) == 0 || (state[4] != 0 && state[4] != 1)) {
      throw new IllegalArgumentException(
          "not a Pcg64 state (six words, odd increment, flag 0 or 1): " + Arrays.toString(state));
    }
    stateHi = state[0];
    stateLo = state[1];
    incHi = state[2];
    incLo = state[3];
    hasUint32 = state[4] == 1;
    uinteger = (int) state[5];
  }

  @Override
  public String toString() {
    return String.format(
        "Pcg64[state=0x%016x%016x, inc=0x%016x%016x, has_uint32=%d]",
        stateHi, stateLo, incHi, incLo, hasUint32 ? 1 : 0);
  }
}
