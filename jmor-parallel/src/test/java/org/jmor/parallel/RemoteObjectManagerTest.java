package org.jmor.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RemoteObjectManager} with fake handles that record their removal (spec RM1, RM2). */
class RemoteObjectManagerTest {

  /** A handle that logs its removal and can be told to fail. */
  private static final class FakeHandle implements RemoteObject<Object> {
    private final long id;
    private final List<Long> log;
    private final boolean fail;
    private boolean removed;

    FakeHandle(long id, List<Long> log, boolean fail) {
      this.id = id;
      this.log = log;
      this.fail = fail;
    }

    @Override
    public long remoteId() {
      return id;
    }

    @Override
    public WorkerPool pool() {
      return null;
    }

    @Override
    public boolean isRemoved() {
      return removed;
    }

    @Override
    public void remove() {
      log.add(id);
      if (fail) {
        throw new IllegalStateException("cannot remove " + id);
      }
      removed = true;
    }
  }

  @Test
  void manage_returnsTheHandle() {
    RemoteObjectManager m = new RemoteObjectManager();
    FakeHandle h = new FakeHandle(1, new ArrayList<>(), false);
    assertThat(m.manage(h)).isSameAs(h);
    assertThat(m.size()).isEqualTo(1);
  }

  @Test
  void manage_rejectsNull() {
    assertThatThrownBy(() -> new RemoteObjectManager().manage(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("handle");
  }

  @Test
  void close_removesInInsertionOrderThenIsReusable() {
    List<Long> log = new ArrayList<>();
    FakeHandle a = new FakeHandle(3, log, false);
    FakeHandle b = new FakeHandle(1, log, false);
    FakeHandle c = new FakeHandle(2, log, false);
    RemoteObjectManager m = new RemoteObjectManager();
    try (m) {
      m.manage(a);
      m.manage(b);
      m.manage(c);
    }
    assertThat(log).containsExactly(3L, 1L, 2L);
    assertThat(a.isRemoved() && b.isRemoved() && c.isRemoved()).isTrue();
    assertThat(m.size()).isZero();

    FakeHandle d = m.manage(new FakeHandle(4, log, false));
    m.removeObjects();
    assertThat(d.isRemoved()).isTrue();
    assertThat(log).containsExactly(3L, 1L, 2L, 4L);
    m.close();
    assertThat(log).as("nothing left to remove").hasSize(4);
  }

  @Test
  void removeObjects_failureStopsAndKeepsEverythingManaged() {
    List<Long> log = new ArrayList<>();
    RemoteObjectManager m = new RemoteObjectManager();
    FakeHandle a = m.manage(new FakeHandle(1, log, false));
    m.manage(new FakeHandle(2, log, true));
    FakeHandle c = m.manage(new FakeHandle(3, log, false));
    assertThatThrownBy(m::removeObjects)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot remove 2");
    assertThat(log).containsExactly(1L, 2L);
    assertThat(a.isRemoved()).isTrue();
    assertThat(c.isRemoved()).as("handles after the failing one are not removed").isFalse();
    assertThat(m.size()).as("the list is not cleared").isEqualTo(3);
  }
}
