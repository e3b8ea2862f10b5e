package org.jmor.parallel;

import org.jspecify.annotations.Nullable;

/** The one {@link RemoteObject} implementation: a remote id in one {@link GenericWorkerPool}. */
final class Handle<T> implements RemoteObject<T> {
  final GenericWorkerPool pool;
  final long remoteId;

  /** The pushed immutable object (for reference counting), or null. */
  final @Nullable Object immutable;

  private final String what;
  volatile boolean removed;

  Handle(GenericWorkerPool pool, long remoteId, @Nullable Object immutable, String what) {
    this.pool = pool;
    this.remoteId = remoteId;
    this.immutable = immutable;
    this.what = what;
  }

  @Override
  public long remoteId() {
    return remoteId;
  }

  @Override
  public WorkerPool pool() {
    return pool;
  }

  @Override
  public boolean isRemoved() {
    return removed;
  }

  @Override
  public void remove() {
    pool.remove(this);
  }

  @Override
  public String toString() {
    return "RemoteObject#" + remoteId + " (" + what + ") of " + pool;
  }
}
