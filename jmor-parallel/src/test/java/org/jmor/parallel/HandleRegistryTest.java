package org.jmor.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jmor.parallel.internal.Commands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bookkeeping of remote objects, without sending anything. */
class HandleRegistryTest {
  private static final class Shared implements org.jmor.base.Immutable {}

  private final GenericWorkerPool pool = (GenericWorkerPool) WorkerPools.sequential();
  private final HandleRegistry registry = new HandleRegistry(pool);

  @AfterEach
  void close() {
    pool.close();
  }

  @Test
  void anImmutableObjectPushedTwiceSharesOneIdUntilItsLastHandleGoes() {
    Shared obj = new Shared();
    HandleRegistry.Reservation first = registry.reserve(obj, true);
    HandleRegistry.Reservation second = registry.reserve(obj, true);
    assertThat(first.owner).isTrue();
    assertThat(second.owner).isFalse();
    assertThat(second.id).isEqualTo(first.id);
    Handle<Shared> a = registry.register(first.id, obj, "a");
    Handle<Shared> b = registry.register(second.id, obj, "b");

    assertThat(registry.release(a)).isEqualTo(HandleRegistry.Release.SHARED);
    assertThat(registry.release(a)).isEqualTo(HandleRegistry.Release.NONE);
    assertThat(registry.release(b)).isEqualTo(HandleRegistry.Release.LAST);
    assertThat(registry.reserve(obj, true).owner).isTrue(); // transferred again after that
  }

  @Test
  void mutableObjectsGetANewIdEachTime() {
    Object obj = new Object();
    HandleRegistry.Reservation first = registry.reserve(obj, false);
    HandleRegistry.Reservation second = registry.reserve(obj, false);
    assertThat(second.id).isNotEqualTo(first.id);
    assertThat(first.shared).isNull();
    assertThat(registry.release(registry.register(first.id, null, "m")))
        .isEqualTo(HandleRegistry.Release.LAST);
  }

  @Test
  void aFailedTransferIsForgottenAndFailsTheWaitingPushes() {
    Shared obj = new Shared();
    HandleRegistry.Reservation first = registry.reserve(obj, true);
    HandleRegistry.Reservation waiting = registry.reserve(obj, true);
    IllegalStateException cause = new IllegalStateException("boom");

    registry.forget(obj, first.shared, cause);

    assertThat(java.util.Objects.requireNonNull(waiting.shared).ready).isCompletedExceptionally();
    HandleRegistry.Reservation again = registry.reserve(obj, true);
    assertThat(again.owner).isTrue();
    assertThat(again.id).isNotEqualTo(first.id);
  }

  @Test
  void encodingTurnsHandlesAndPushedImmutablesIntoReferences() {
    Shared obj = new Shared();
    HandleRegistry.Reservation r = registry.reserve(obj, true);
    Handle<Object> h = registry.register(registry.newId(), null, "h");
    Object plain = "plain";

    Object[] encoded = registry.encode("apply", new Object[] {h, obj, plain});

    Class<?> ref = Commands.ref(r.id, "").getClass();
    assertThat(encoded[0]).isInstanceOf(ref);
    assertThat(encoded[1]).isInstanceOf(ref);
    assertThat(encoded[2]).isSameAs(plain);
  }

  @Test
  void encodingRejectsRemovedHandlesAndHandlesOfAnotherPool() {
    Handle<Object> h = registry.register(registry.newId(), null, "gone");
    registry.release(h);
    assertThatThrownBy(() -> registry.encode("apply", new Object[] {h}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apply: argument 0 is")
        .hasMessageContaining("which was removed");
    try (WorkerPool other = WorkerPools.sequential()) {
      RemoteObject<String> foreign = other.push("x");
      assertThatThrownBy(() -> registry.encode("map", new Object[] {1, foreign}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("map: argument 1 is")
          .hasMessageContaining("a handle of another pool");
    }
  }

  @Test
  void aLostSliceIsMovedToItsNeighbourWhenRecoverableAndMarkedLostOtherwise() {
    Handle<Object> recoverable = registry.register(registry.newId(), null, "r");
    Handle<Object> plain = registry.register(registry.newId(), null, "p");
    List<Integer> source = List.of(0, 1, 2, 3, 4, 5);
    registry.placeSlices(recoverable, new int[] {0, 1, 2}, new int[] {0, 2, 4, 6}, source);
    registry.placeSlices(plain, new int[] {0, 1, 2}, new int[] {0, 2, 4, 6}, null);

    List<HandleRegistry.Move> moves = registry.takeSlicesOf(1);

    assertThat(moves).hasSize(1);
    HandleRegistry.Move m = moves.get(0);
    assertThat(m.handle).isSameAs(recoverable);
    assertThat(m.target).isEqualTo(0);
    assertThat(m.slice).isEqualTo(List.of(0, 1, 2, 3)); // worker 0's slice with worker 1's
    assertThat(m.from).isEqualTo(2);
    assertThat(m.to).isEqualTo(4);
    registry.encode("apply", new Object[] {recoverable}); // still usable
    assertThatThrownBy(() -> registry.encode("apply", new Object[] {plain}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the slice of worker 1 (elements 2..3 of 6) was lost");
    // the recoverable handle's slices are now on workers 0 and 2: losing 2 moves to 0 again
    HandleRegistry.Move next = registry.takeSlicesOf(2).get(0);
    assertThat(next.target).isEqualTo(0);
    assertThat(next.slice).isEqualTo(source);
  }

  @Test
  void closingMarksEveryLiveHandleRemovedAndLaterHandlesAreBornRemoved() {
    Handle<Object> h = registry.register(registry.newId(), null, "h");
    registry.close();
    assertThat(h.isRemoved()).isTrue();
    assertThat(registry.register(registry.newId(), null, "late").isRemoved()).isTrue();
    assertThat(registry.release(h)).isEqualTo(HandleRegistry.Release.NONE);
  }
}
