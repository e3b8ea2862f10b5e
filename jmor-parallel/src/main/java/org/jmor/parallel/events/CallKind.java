package org.jmor.parallel.events;

/** The kind of a pool call, one constant per operation of {@code WorkerPool}. */
public enum CallKind {
  /** {@code push}: an object sent to every worker. */
  PUSH,
  /** {@code scatterList} or {@code scatterArray}: a sequence split over the workers. */
  SCATTER,
  /** {@code apply} or {@code applyAsync}: a task run on every worker. */
  APPLY,
  /** {@code applyOnly}: a task run on one worker. */
  APPLY_ONLY,
  /** {@code map}, {@code mapAsync} or {@code mapZipped}: a task run per element. */
  MAP,
  /** {@code remove} of a remote object (also at its last reference's release). */
  REMOVE
}
