package org.jmor.random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reference values generated with numpy 1.24.2 (Debian python3-numpy), e.g. {@code
 * SeedSequence(42).generate_state(4, np.uint32)}.
 */
class SeedSequenceTest {

  @Test
  void generateState32Seed42() {
    // SeedSequence(42).generate_state(9, np.uint32)
    assertThat(SeedSequence.of(42).generateState32(9))
        .containsExactly(
            0xcd540ab7,
            0x9f1e2e6d,
            0x79fb94b6,
            0xd57873dc,
            0x64d420b7,
            0x7d282a1b,
            0x4692d5ff,
            0x33657971,
            0x4f80d563);
  }

  @Test
  void generateState64Seed42() {
    // SeedSequence(42).generate_state(4, np.uint64)
    assertThat(SeedSequence.of(42).generateState64(4))
        .containsExactly(
            0x9f1e2e6dcd540ab7L, 0xd57873dc79fb94b6L, 0x7d282a1b64d420b7L, 0x336579714692d5ffL);
  }

  @Test
  void multiWordEntropy() {
    // SeedSequence(12345678901234): entropy words [0x4cb016f2, 0xb3a]
    SeedSequence ss = SeedSequence.of(12345678901234L);
    assertThat(ss.generateState32(4))
        .containsExactly(0x166f4c04, 0xf5c7810b, 0xa5dd0e97, 0x9252b8be);
    assertThat(ss.generateState64(4))
        .containsExactly(
            0xf5c7810b166f4c04L, 0x9252b8bea5dd0e97L, 0xa22e9972b3bc2577L, 0xd81b0cc75347d8fdL);
    // SeedSequence(2**40) and SeedSequence(2**63 - 1)
    assertThat(SeedSequence.of(1L << 40).generateState32(4))
        .containsExactly(0x44f01ab8, 0xdbc80869, 0x1699b3aa, 0xa81239e0);
    assertThat(SeedSequence.of(Long.MAX_VALUE).generateState64(4))
        .containsExactly(
            0x07bddccf9b1009feL, 0x57427703c5f0b45bL, 0xb9094b0b99e1a27fL, 0x2b9a03bb82aca987L);
  }

  @Test
  void zeroEntropy() {
    // SeedSequence(0).generate_state(4, np.uint32)
    assertThat(SeedSequence.of(0).generateState32(4))
        .containsExactly(0xb0f478be, 0xdb2cd7e7, 0x2c71ba49, 0xabf4641a);
  }

  @Test
  void spawnedChildWithExplicitKey() {
    // SeedSequence(42, spawn_key=(3,))
    SeedSequence c = SeedSequence.of(42, 3);
    assertThat(c.generateState32(4))
        .containsExactly(0xc34fc8c5, 0x34037e9d, 0x48019fd6, 0xed87f1b5);
    assertThat(c.generateState64(4))
        .containsExactly(
            0x34037e9dc34fc8c5L, 0xed87f1b548019fd6L, 0xa1db5735489f1365L, 0x98ce064ce6639a14L);
    assertThat(SeedSequence.of(42).child(3).generateState64(4))
        .containsExactly(c.generateState64(4));
    assertThat(SeedSequence.of(42).spawn(4).get(3).generateState64(4))
        .containsExactly(c.generateState64(4));
    // SeedSequence(42, spawn_key=(1,)).generate_state(4, np.uint64)
    assertThat(SeedSequence.of(42).child(1).generateState64(4))
        .containsExactly(
            0x01dcb763f3e63cbaL, 0x6aee7dd615de6f6eL, 0x3e2df752dbd3217fL, 0x29d15a391cf7e717L);
  }

  @Test
  void grandchild() {
    // SeedSequence(42).spawn(4)[3].spawn(3)[2], spawn_key (3, 2)
    SeedSequence g = SeedSequence.of(42).spawn(4).get(3).spawn(3).get(2);
    assertThat(g.spawnKey()).containsExactly(3, 2);
    assertThat(g.generateState32(4))
        .containsExactly(0x21481afa, 0x3476ea54, 0x56fb74ea, 0xe8909cbf);
    assertThat(g.generateState64(4))
        .containsExactly(
            0x3476ea5421481afaL, 0xe8909cbf56fb74eaL, 0x6aba8468cab8b17aL, 0xc0e2320dc2de0b0fL);
    assertThat(SeedSequence.of(42).child(3).child(2).generateState32(4))
        .containsExactly(g.generateState32(4));
    assertThat(SeedSequence.of(42, 3, 2).generateState32(4)).containsExactly(g.generateState32(4));
  }

  @Test
  void spawnAdvancesLikeNumpy() {
    SeedSequence parent = SeedSequence.of(42);
    List<SeedSequence> a = parent.spawn(2);
    List<SeedSequence> b = parent.spawn(1);
    assertThat(a).hasSize(2);
    assertThat(b).hasSize(1);
    assertThat(a.get(0).spawnKey()).containsExactly(0);
    assertThat(a.get(1).spawnKey()).containsExactly(1);
    assertThat(b.get(0).spawnKey()).containsExactly(2);
    assertThat(parent.nChildrenSpawned()).isEqualTo(3);
    assertThat(parent.spawn(0)).isEmpty();
    assertThat(parent.nChildrenSpawned()).isEqualTo(3);
    // child(i) ignores the counter and does not advance it
    assertThat(parent.child(0).spawnKey()).containsExactly(0);
    assertThat(parent.nChildrenSpawned()).isEqualTo(3);
    // children start with a fresh counter and keep the entropy
    assertThat(b.get(0).nChildrenSpawned()).isZero();
    assertThat(b.get(0).entropy()).isEqualTo(42L);
    assertThat(b.get(0).spawn(1).get(0).spawnKey()).containsExactly(2, 0);
  }

  @Test
  void accessorsDefensiveCopiesAndToString() {
    int[] key = {1, 2};
    SeedSequence ss = SeedSequence.of(7, key);
    key[0] = 99;
    assertThat(ss.spawnKey()).containsExactly(1, 2);
    ss.spawnKey()[0] = 99;
    assertThat(ss.spawnKey()).containsExactly(1, 2);
    assertThat(ss.entropy()).isEqualTo(7L);
    assertThat(SeedSequence.of(42).spawnKey()).isEmpty();
    assertThat(SeedSequence.of(42).toString()).isEqualTo("SeedSequence(entropy=42)");
    assertThat(SeedSequence.of(42, 3).toString())
        .isEqualTo("SeedSequence(entropy=42, spawn_key=(3,))");
    assertThat(ss.toString()).isEqualTo("SeedSequence(entropy=7, spawn_key=(1, 2))");
  }

  @Test
  void generateStateIsRepeatableAndPrefixConsistent() {
    SeedSequence ss = SeedSequence.of(42);
    assertThat(ss.generateState32(0)).isEmpty();
    assertThat(ss.generateState64(0)).isEmpty();
    int[] w = ss.generateState32(8);
    long[] l = ss.generateState64(4);
    for (int i = 0; i < 4; i++) {
      assertThat(l[i]).isEqualTo(Integer.toUnsignedLong(w[2 * i]) | ((long) w[2 * i + 1] << 32));
    }
    assertThat(ss.generateState32(8)).containsExactly(w);
  }

  @Test
  void argumentChecks() {
    assertThatThrownBy(() -> SeedSequence.of(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("non-negative");
    assertThatThrownBy(() -> SeedSequence.of(1, 0, -2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spawn key");
    SeedSequence ss = SeedSequence.of(1);
    assertThatThrownBy(() -> ss.generateState32(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("non-negative");
    assertThatThrownBy(() -> ss.generateState64(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ss.spawn(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("n_children");
    assertThatThrownBy(() -> ss.child(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("child index");
  }

  @Test
  void serializationRoundTrip() throws Exception {
    SeedSequence ss = SeedSequence.of(42, 3);
    ss.spawn(2);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(ss);
    }
    SeedSequence back;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (SeedSequence) in.readObject();
    }
    assertThat(back.generateState64(4)).containsExactly(ss.generateState64(4));
    assertThat(back.nChildrenSpawned()).isEqualTo(2);
    assertThat(back.spawn(1).get(0).spawnKey()).containsExactly(3, 2);
  }
}
