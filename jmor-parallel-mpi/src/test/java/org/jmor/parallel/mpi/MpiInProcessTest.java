package org.jmor.parallel.mpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.jmor.parallel.mpi.jni.Mpi;
import org.junit.jupiter.api.Test;

/** What can be checked without mpirun and without initializing MPI in the test JVM. */
class MpiInProcessTest {

  @Test
  void availabilityAndReasonAgree() {
    if (Mpi.isAvailable()) {
      assertThat(Mpi.unavailableReason()).isEmpty();
      assertThat(Mpi.anySource()).isNegative(); // Open MPI: both -1
      assertThat(Mpi.anyTag()).isNegative();
    } else {
      assertThat(Mpi.unavailableReason()).contains("apt-get install openmpi-bin libopenmpi-dev");
    }
  }

  @Test
  void surefireIsNotLaunchedByMpirun() {
    assertThat(Mpi.isLaunchedByMpirun()).isFalse();
  }

  @Test
  void callsBeforeInitThrowInsteadOfAborting() {
    // the in-process suites of this module initialize MPI in this JVM; surefire runs the classes
    // in alphabetical order (pom), so this runs before them
    org.junit.jupiter.api.Assumptions.assumeFalse(
        Mpi.isInitialized(), "MPI was initialized in this JVM by a test that ran earlier");
    assertThatThrownBy(Mpi::rank).isInstanceOf(MpiException.class);
    assertThatThrownBy(Mpi::barrier).isInstanceOf(MpiException.class);
    assertThatThrownBy(() -> Mpi.send(new byte[1], 0, 1, 0, 0))
        .isInstanceOf(MpiException.class)
        .hasMessageContaining(
            Mpi.isAvailable() ? "call Mpi.initThread() first" : "the MPI shim was");
  }

  @Test
  void argumentsAreCheckedBeforeMpi() {
    assertThatThrownBy(() -> Mpi.send(new byte[4], 2, 3, 0, 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> Mpi.recv(new double[4], -1, 1, 0, 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> Mpi.recvPinned(new double[4], 2, 3, 0, 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> Mpi.recvPinned(new byte[4], -1, 1, 0, 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> Mpi.bcastPinned(new double[4], 0, 5, 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> Mpi.bcastPinned(new byte[4], 4, 1, 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> Mpi.send(ByteBuffer.allocate(8), 8, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("direct");
    assertThatThrownBy(() -> Mpi.recv(ByteBuffer.allocateDirect(8), 9, 0, 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> Mpi.probe(0, 0, new int[2]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Mpi.iprobe(0, 0, new int[2]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Mpi.waitProbe(0, 0, new int[3], -1, 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spinNanos");
    assertThatThrownBy(() -> Mpi.waitProbe(0, 0, new int[3], 0, 999))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSleepNanos");
  }

  @Test
  void waitingProperties_areWholeMicroseconds() {
    String key = "jmor.test.mpi.micros";
    try {
      System.clearProperty(key);
      assertThat(MpiWorld.micros(key, 7)).isEqualTo(7);
      System.setProperty(key, " 250 ");
      assertThat(MpiWorld.micros(key, 7)).isEqualTo(250);
      System.setProperty(key, "0");
      assertThat(MpiWorld.micros(key, 7)).isZero();
      for (String bad : new String[] {"-1", "1.5", "2ms", "x"}) {
        System.setProperty(key, bad);
        assertThatThrownBy(() -> MpiWorld.micros(key, 7))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(key)
            .hasMessageContaining("'" + bad + "'");
      }
    } finally {
      System.clearProperty(key);
    }
  }
}
