package org.jmor.random;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A bit-exact Java port of numpy's {@code numpy.random.SeedSequence} (numpy &gt;= 1.19 semantics,
 * which are identical to 1.17/1.18 for sequences without a spawn key), restricted to a single
 * non-negative integer entropy, an optional spawn key of non-negative {@code int}s and the default
 * pool size of 4 words.
 *
 * <p>Correspondence with numpy:
 *
 * <ul>
 *   <li>{@link #of(long)} is {@code SeedSequence(entropy)};
 *   <li>{@link #of(long, int...)} is {@code SeedSequence(entropy, spawn_key=(k0, k1, ...))};
 *   <li>{@link #generateState32(int)} is {@code generate_state(n, np.uint32)} (values returned as
 *       the two's-complement bit pattern in a Java {@code int});
 *   <li>{@link #generateState64(int)} is {@code generate_state(n, np.uint64)} (values returned as
 *       the bit pattern in a Java {@code long});
 *   <li>{@link #spawn(int)} is {@code spawn(n)}, including the advance of {@code
 *       n_children_spawned};
 *   <li>{@link #child(int)} is {@code SeedSequence(entropy, spawn_key=spawn_key + (i,))}, i.e. the
 *       {@code i}-th element of {@code spawn(i + 1)} called on a fresh copy of this sequence.
 * </ul>
 *
 * <p>The entropy pool is computed once in the constructor; {@code generateState*} are pure
 * functions of it. The only mutable state is the spawn counter, which is guarded by this object's
 * monitor, so instances can be shared between threads.
 */
public final class SeedSequence implements Serializable {

  private static final long serialVersionUID = 1L;

  /** numpy's {@code DEFAULT_POOL_SIZE}. */
  private static final int POOL_SIZE = 4;

  private static final int INIT_A = 0x43b0d7e5;
  private static final int MULT_A = 0x931e8875;
  private static final int INIT_B = 0x8b51f9dd;
  private static final int MULT_B = 0x58f38ded;
  private static final int MIX_MULT_L = 0xca01f9dd;
  private static final int MIX_MULT_R = 0x4973f715;
  private static final int XSHIFT = 16;

  private final long entropy;
  private final int[] spawnKey;
  private final int[] pool;
  private int nChildrenSpawned;

  private SeedSequence(long entropy, int[] spawnKey, int nChildrenSpawned) {
    if (entropy < 0) {
      throw new IllegalArgumentException(
          "SeedSequence entropy must be non-negative (numpy rejects negative integers), got "
              + entropy);
    }
    for (int k : spawnKey) {
      if (k < 0) {
        throw new IllegalArgumentException(
            "SeedSequence spawn key elements must be non-negative, got "
                + Arrays.toString(spawnKey));
      }
    }
    if (nChildrenSpawned < 0) {
      throw new IllegalArgumentException(
          "nChildrenSpawned must be non-negative, got " + nChildrenSpawned);
    }
    this.entropy = entropy;
    this.spawnKey = spawnKey;
    this.nChildrenSpawned = nChildrenSpawned;
    this.pool = mixEntropy(assembleEntropy(entropy, spawnKey));
  }

  /**
   * Equivalent of numpy's {@code SeedSequence(entropy)}.
   *
   * @param entropy the non-negative seed; numpy splits it into little-endian 32-bit words, so
   *     values below 2<sup>32</sup> give one word and larger values two
   * @return the seed sequence
   * @throws IllegalArgumentException if {@code entropy < 0}
   */
  public static SeedSequence of(long entropy) {
    return new SeedSequence(entropy, new int[0], 0);
  }

  /**
   * Equivalent of numpy's {@code SeedSequence(entropy, spawn_key=tuple(spawnKey))}.
   *
   * @param entropy the non-negative seed
   * @param spawnKey the spawn key (each element non-negative); copied
   * @return the seed sequence
   * @throws IllegalArgumentException if {@code entropy} or an element of {@code spawnKey} is
   *     negative
   * @throws NullPointerException if {@code spawnKey} is {@code null}
   */
  public static SeedSequence of(long entropy, int... spawnKey) {
    return new SeedSequence(entropy, spawnKey.clone(), 0);
  }

  /**
   * Returns the entropy this sequence was created with (numpy's {@code entropy} attribute).
   *
   * @return the non-negative entropy
   */
  public long entropy() {
    return entropy;
  }

  /**
   * Returns a copy of the spawn key (numpy's {@code spawn_key} attribute).
   *
   * @return the spawn key, empty for a root sequence
   */
  public int[] spawnKey() {
    return spawnKey.clone();
  }

  /**
   * Returns how many children {@link #spawn(int)} has produced so far (numpy's {@code
   * n_children_spawned}).
   *
   * @return the spawn counter
   */
  public synchronized int nChildrenSpawned() {
    return nChildrenSpawned;
  }

  /**
   * Equivalent of numpy's {@code generate_state(n, dtype=np.uint32)}.
   *
   * @param n number of words, {@code >= 0}
   * @return {@code n} uint32 words stored as their bit patterns in {@code int}s
   * @throws IllegalArgumentException if {@code n < 0}
   */
  public int[] generateState32(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("number of words must be non-negative, got " + n);
    }
    int[] state = new int[n];
    int hashConst = INIT_B;
    for (int i = 0; i < n; i++) {
      int v = pool[i % POOL_SIZE];
      v ^= hashConst;
      hashConst *= MULT_B;
      v *= hashConst;
      v ^= v >>> XSHIFT;
      state[i] = v;
    }
    return state;
  }

  /**
   * Equivalent of numpy's {@code generate_state(n, dtype=np.uint64)}: {@code 2 n} uint32 words are
   * generated and consecutive pairs are combined little-endian (the first word of each pair is the
   * low half).
   *
   * @param n number of 64-bit words, {@code >= 0}
   * @return {@code n} uint64 words stored as their bit patterns in {@code long}s
   * @throws IllegalArgumentException if {@code n < 0} or {@code 2 n} overflows an {@code int}
   */
  public long[] generateState64(int n) {
    if (n < 0 || n > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException("number of 64-bit words must be in [0, 2^30), got " + n);
    }
    int[] words = generateState32(2 * n);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = Integer.toUnsignedLong(words[2 * i]) | ((long) words[2 * i + 1] << 32);
    }
    return out;
  }

  /**
   * Returns the {@code i}-th child: {@code SeedSequence(entropy, spawn_key=spawn_key + (i,))}. This
   * is the element at index {@code i} of what numpy's {@code spawn(i + 1)} returns on a sequence
   * that has not spawned yet. Unlike {@link #spawn(int)} it does not touch the spawn counter.
   *
   * @param i the child index, {@code >= 0}
   * @return the child sequence
   * @throws IllegalArgumentException if {@code i < 0}
   */
  public SeedSequence child(int i) {
    if (i < 0) {
      throw new IllegalArgumentException("child index must be non-negative, got " + i);
    }
    return new SeedSequence(entropy, appendKey(i), 0);
  }

  /**
   * Equivalent of numpy's {@code spawn(n)}: returns children with spawn keys {@code spawn_key +
   * (k,)} for {@code k = nChildrenSpawned() ... nChildrenSpawned() + n - 1} and advances the spawn
   * counter by {@code n}. So {@code spawn(2)} followed by {@code spawn(1)} yields keys {@code (0,),
   * (1,), (2,)}.
   *
   * @param n number of children, {@code >= 0}
   * @return the new children, in order
   * @throws IllegalArgumentException if {@code n < 0} or the counter would exceed {@link
   *     Integer#MAX_VALUE}
   */
  public synchronized List<SeedSequence> spawn(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n_children must be non-negative, got " + n);
    }
    if (n > Integer.MAX_VALUE - nChildrenSpawned) {
      throw new IllegalArgumentException(
          "too many children spawned: "
              + nChildrenSpawned
              + " + "
              + n
              + " exceeds "
              + Integer.MAX_VALUE);
    }
    List<SeedSequence> out = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      out.add(new SeedSequence(entropy, appendKey(nChildrenSpawned + k), 0));
    }
    nChildrenSpawned += n;
    return out;
  }

  private int[] appendKey(int i) {
    int[] key = Arrays.copyOf(spawnKey, spawnKey.length + 1);
    key[spawnKey.length] = i;
    return key;
  }

  /** Returns a representation in the style of numpy's {@code repr(SeedSequence)}. */
  @Override
  public synchronized String toString() {
    StringBuilder sb = new StringBuilder("SeedSequence(entropy=").append(entropy);
    if (spawnKey.length > 0) {
      sb.append(", spawn_key=(");
      for (int i = 0; i < spawnKey.length; i++) {
        sb.append(i > 0 ? ", " : "").append(spawnKey[i]);
      }
      if (spawnKey.length == 1) {
        sb.append(',');
      }
      sb.append(')');
    }
    if (nChildrenSpawned != 0) {
      sb.append(", n_children_spawned=").append(nChildrenSpawned);
    }
    return sb.append(')').toString();
  }

  // ---------------------------------------------------------------- numpy's algorithm

  /**
   * numpy's {@code get_assembled_entropy}: the entropy as little-endian uint32 words (at least
   * one), zero-padded to the pool size when a spawn key is present, followed by the spawn key words
   * (each element fits in one word).
   */
  private static int[] assembleEntropy(long entropy, int[] spawnKey) {
    int runWords = (entropy >>> 32) != 0 ? 2 : 1;
    int runLength = spawnKey.length > 0 ? Math.max(runWords, POOL_SIZE) : runWords;
    int[] out = new int[runLength + spawnKey.length];
    out[0] = (int) entropy;
    if (runWords == 2) {
      out[1] = (int) (entropy >>> 32);
    }
    System.arraycopy(spawnKey, 0, out, runLength, spawnKey.length);
    return out;
  }

  /** numpy's {@code mix_entropy} into a fresh pool of {@link #POOL_SIZE} words. */
  private static int[] mixEntropy(int[] entropyArray) {
    int[] mixer = new int[POOL_SIZE];
    int[] hashConst = {INIT_A};
    for (int i = 0; i < POOL_SIZE; i++) {
      mixer[i] = hashmix(i < entropyArray.length ? entropyArray[i] : 0, hashConst);
    }
    for (int src = 0; src < POOL_SIZE; src++) {
      for (int dst = 0; dst < POOL_SIZE; dst++) {
        if (src != dst) {
          mixer[dst] = mix(mixer[dst], hashmix(mixer[src], hashConst));
        }
      }
    }
    for (int src = POOL_SIZE; src < entropyArray.length; src++) {
      for (int dst = 0; dst < POOL_SIZE; dst++) {
        mixer[dst] = mix(mixer[dst], hashmix(entropyArray[src], hashConst));
      }
    }
    return mixer;
  }

  private static int hashmix(int value, int[] hashConst) {
    value ^= hashConst[0];
    hashConst[0] *= MULT_A;
    value *= hashConst[0];
    value ^= value >>> XSHIFT;
    return value;
  }

  private static int mix(int x, int y) {
    int result = MIX_MULT_L * x - MIX_MULT_R * y;
    result ^= result >>> XSHIFT;
    return result;
  }

  /** Rebuilds (and re-validates) the derived pool after deserialization. */
  private Object readResolve() throws ObjectStreamException {
    return new SeedSequence(entropy, spawnKey.clone(), nChildrenSpawned);
  }
}
