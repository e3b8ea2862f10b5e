package org.jmor.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Collects {@link RemoteObject} handles and removes them all at once (pyMOR's {@code
 * RemoteObjectManager}).
 *
 * <pre>{@code
 * try (RemoteObjectManager objects = new RemoteObjectManager()) {
 *   RemoteObject<Model> model = objects.manage(pool.push(fom));
 *   RemoteObject<List<double[]>> mus = objects.manage(pool.scatterList(trainingSet));
 *   ...
 * } // both removed here, in the order they were managed
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class RemoteObjectManager implements AutoCloseable {
  private final List<RemoteObject<?>> managed = new ArrayList<>();

  /** Creates an empty manager. */
  public RemoteObjectManager() {}

  /**
   * Records a handle and returns it, so that it can be used inline.
   *
   * @param handle the handle
   * @param <H> the handle type
   * @return {@code handle}
   * @throws NullPointerException if {@code handle} is null
   */
  public <H extends RemoteObject<?>> H manage(H handle) {
    managed.add(Objects.requireNonNull(handle, "handle"));
    return handle;
  }

  /** Returns how many handles are managed. */
  public int size() {
    return managed.size();
  }

  /**
   * Removes every managed handle in the order they were managed, then forgets them; the manager can
   * be reused. If a removal throws, the exception propagates, the handles after it are not removed,
   * and all are still managed (pyMOR's behaviour, spec RM2).
   */
  public void removeObjects() {
    for (RemoteObject<?> h : managed) {
      h.remove();
    }
    managed.clear();
  }

  /** Same as {@link #removeObjects()}. */
  @Override
  public void close() {
    removeObjects();
  }
}
