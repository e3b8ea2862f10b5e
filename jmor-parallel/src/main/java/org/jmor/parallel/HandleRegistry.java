package org.jmor.parallel;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.jmor.parallel.internal.Commands;
import org.jmor.vectors.VectorArray;
import org.jspecify.annotations.Nullable;

/**
 * The remote objects of one {@link GenericWorkerPool}: the remote ids, the live {@link Handle}s,
 * the reference counts of pushed {@link org.jmor.base.Immutable} objects (pushing the same object
 * again reuses its remote copy, which goes when its last handle is removed), and, on a shrinking
 * pool, where the slices of each scattered handle are. It sends nothing: it says what the pool must
 * send (a store, a remove, a slice to move) and the pool sends it.
 *
 * <h2>Locking</h2>
 *
 * Every method takes this object's monitor, which is the pool's bookkeeping lock: the pool holds it
 * too where a check of its own state (closed, broken) and a change here must be one step. Nothing
 * is sent and nothing is waited for under it.
 */
final class HandleRegistry {
  private final GenericWorkerPool pool;
  private final AtomicLong nextId = new AtomicLong(1);

  /** Pushed immutable objects, by caller-side identity. */
  private final Map<Object, Registration> immutables = new IdentityHashMap<>();

  /** Live handles, to mark them removed at close. */
  private final Map<Handle<?>, Boolean> handles = new IdentityHashMap<>();

  /** Where the slices of scattered handles are (shrinking pools only). */
  private final Map<Handle<?>, Slices> slices = new IdentityHashMap<>();

  private boolean closed;

  /**
   * Creates the registry of a pool.
   *
   * @param pool the pool, which its handles name and which {@link #encode} accepts handles of
   */
  HandleRegistry(GenericWorkerPool pool) {
    this.pool = pool;
  }

  /** The remote copy of a pushed immutable object and how many handles refer to it. */
  static final class Registration {
    final long id;

    /** Completes when the first push's transfer succeeded, or fails with its failure. */
    final CompletableFuture<Void> ready = new CompletableFuture<>();

    private int references = 1;

    Registration(long id) {
      this.id = id;
    }
  }

  /** What a push reserved: its remote id, and whether this push must transfer the object. */
  static final class Reservation {
    final long id;

    /** The immutable object's registration, or null for a mutable object. */
    final @Nullable Registration shared;

    /** Whether this push transfers the object (false: another push did or does). */
    final boolean owner;

    Reservation(long id, @Nullable Registration shared, boolean owner) {
      this.id = id;
      this.shared = shared;
      this.owner = owner;
    }
  }

  /** Returns a new remote id (ids are never reused). */
  long newId() {
    return nextId.getAndIncrement();
  }

  /**
   * Reserves the remote id of a push: an immutable object pushed already (or being pushed) gets its
   * id and one more reference; anything else gets a new id, and an immutable object is registered
   * (one reference) so that later pushes find it.
   *
   * @param obj the object
   * @param immutable whether it is an {@link org.jmor.base.Immutable}
   * @return the reservation
   */
  synchronized Reservation reserve(Object obj, boolean immutable) {
    if (immutable) {
      Registration shared = immutables.get(obj);
      if (shared != null) {
        shared.references++;
        return new Reservation(shared.id, shared, false);
      }
      Registration r = new Registration(newId());
      immutables.put(obj, r);
      return new Reservation(r.id, r, true);
    }
    return new Reservation(newId(), null, true);
  }

  /** Gives back the reference of a push whose wait for another push's transfer failed. */
  synchronized void unreference(Registration r) {
    r.references--;
  }

  /**
   * After the transfer of a push failed: forgets the immutable object's registration (so that the
   * next push transfers it again) and fails the pushes waiting for that transfer with {@code
   * cause}. Does nothing for a mutable object ({@code r} null).
   */
  void forget(Object obj, @Nullable Registration r, RuntimeException cause) {
    if (r == null) {
      return;
    }
    synchronized (this) {
      if (immutables.get(obj) == r) {
        immutables.remove(obj);
      }
    }
    r.ready.completeExceptionally(cause);
  }

  /**
   * Creates a handle and records it as live; if the registry was closed meanwhile (the workers were
   * cleared), the handle is returned already removed.
   *
   * @param id the remote id
   * @param immutable the pushed immutable object the handle holds a reference to, or null
   * @param what what the handle holds, for its {@code toString}
   * @return the handle
   */
  synchronized <T> Handle<T> register(long id, @Nullable Object immutable, String what) {
    Handle<T> h = new Handle<>(pool, id, immutable, what);
    if (closed) {
      h.removed = true;
    } else {
      handles.put(h, Boolean.TRUE);
    }
    return h;
  }

  /**
   * Records where the slices of a scattered handle are (slice {@code i}, elements {@code
   * [bounds[i], bounds[i + 1])}, on physical worker {@code workers[i]}), unless it was removed.
   *
   * @param source what a lost slice is made again from (a copy of the list or array), or null if
   *     the scatter is not recoverable
   */
  synchronized void placeSlices(Handle<?> h, int[] workers, int[] bounds, @Nullable Object source) {
    if (!h.removed) {
      slices.put(h, new Slices(workers, bounds, source));
    }
  }

  /** What {@link #release} found. */
  enum Release {
    /** The handle was removed already, or the registry is closed: nothing to send. */
    NONE,
    /** Other handles still refer to the remote copy: nothing to send. */
    SHARED,
    /** The remote copy must go: send a remove of the handle's id. */
    LAST
  }

  /** Marks a handle removed and drops its reference; says whether its remote copy must go. */
  synchronized Release release(Handle<?> h) {
    if (h.removed) {
      return Release.NONE;
    }
    h.removed = true;
    handles.remove(h);
    slices.remove(h);
    if (closed) {
      return Release.NONE;
    }
    Object immutable = h.immutable;
    if (immutable != null) {
      Registration r = immutables.get(immutable);
      if (r != null && r.id == h.remoteId) {
        if (--r.references > 0) {
          return Release.SHARED;
        }
        immutables.remove(immutable);
      }
    }
    return Release.LAST;
  }

  /**
   * Encodes a call's arguments: a handle of this pool becomes a reference to its remote id, a
   * pushed immutable object a reference to its remote copy; anything else stays itself (the caller
   * counts those as uploads: {@code encoded[i] == args[i]}).
   *
   * @param op the operation, for messages
   * @param args the arguments, not empty
   * @return a new array of the encoded arguments
   * @throws IllegalArgumentException if a handle belongs to another pool
   * @throws IllegalStateException if a handle was removed, or lost a slice with a worker
   */
  synchronized Object[] encode(String op, Object[] args) {
    Object[] encoded = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      Registration r;
      if (a instanceof RemoteObject) {
        encoded[i] = encodeHandle(op, i, (RemoteObject<?>) a);
      } else if (a instanceof org.jmor.base.Immutable && (r = immutables.get(a)) != null) {
        encoded[i] = Commands.ref(r.id, "pushed " + a.getClass().getSimpleName() + " #" + r.id);
      } else {
        encoded[i] = a;
      }
    }
    return encoded;
  }

  /**
   * Checks the handles among a call's arguments again (after a worker was lost since they were
   * encoded), with the exceptions of {@link #encode}.
   */
  synchronized void recheck(String op, Object[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i] instanceof RemoteObject) {
        encodeHandle(op, i, (RemoteObject<?>) args[i]);
      }
    }
  }

  private Object encodeHandle(String op, int index, RemoteObject<?> a) {
    if (!(a instanceof Handle) || ((Handle<?>) a).pool != pool) {
      throw new IllegalArgumentException(
          op
              + ": argument "
              + index
              + " is "
              + a
              + ", a handle of another pool ("
              + a.pool()
              + "); handles work only with the pool "
              + "that created them ("
              + pool
              + ")");
    }
    Handle<?> h = (Handle<?>) a;
    if (h.removed) {
      throw new IllegalStateException(
          op
              + ": argument "
              + index
              + " is "
              + h
              + ", which was removed; push the object again to use it");
    }
    Slices s = slices.get(h);
    String lost = s == null ? null : s.lost;
    if (lost != null) {
      throw new IllegalStateException(
          op
              + ": argument "
              + index
              + " is "
              + h
              + ", and "
              + lost
              + "; scatter the data again, or scatter it with Scatter.RECOVERABLE so that the"
              + " pool can send a lost slice again");
    }
    return Commands.ref(h.remoteId, h.toString());
  }

  /**
   * A slice of a scattered handle to send again: elements {@code [from, to)} now on a neighbour.
   */
  static final class Move {
    final Handle<?> handle;
    final int target;

    /** The slice of the neighbour merged with the lost one. */
    final Object slice;

    final int from;
    final int to;

    Move(Handle<?> handle, int target, Object slice, int from, int to) {
      this.handle = handle;
      this.target = target;
      this.slice = slice;
      this.from = from;
      this.to = to;
    }
  }

  /**
   * For every scattered handle with a slice on {@code worker} (just lost): if its scatter was
   * recoverable, makes that slice merged with its neighbour's, to be sent to the neighbour (the
   * returned moves, which the caller sends before any later command), and records the neighbour as
   * holding both; otherwise marks the handle as having lost the slice (using it fails from now on).
   *
   * @param worker the lost worker's physical index
   * @return the slices to send again, possibly none
   */
  synchronized List<Move> takeSlicesOf(int worker) {
    List<Move> moves = new ArrayList<>();
    for (Map.Entry<Handle<?>, Slices> e : slices.entrySet()) {
      Slices s = e.getValue();
      int p = Membership.indexOf(s.workers, worker);
      if (p < 0 || s.lost != null) {
        continue;
      }
      int from = s.bounds[p];
      int to = s.bounds[p + 1];
      Object source = s.source;
      if (source == null || s.workers.length == 1) {
        s.lost =
            "the slice of worker "
                + worker
                + " (elements "
                + from
                + ".."
                + (to - 1)
                + " of "
                + s.bounds[s.bounds.length - 1]
                + ") was lost with that worker";
        continue;
      }
      int q = p > 0 ? p - 1 : p + 1;
      int lo = Math.min(from, s.bounds[q]);
      int hi = Math.max(to, s.bounds[q + 1]);
      Object slice =
          source instanceof VectorArray
              ? ((VectorArray) source).copyRange(lo, hi)
              : new ArrayList<Object>(((List<?>) source).subList(lo, hi));
      moves.add(new Move(e.getKey(), s.workers[q], slice, from, to));
      s.workers = Membership.without(s.workers, p);
      s.bounds = Membership.without(s.bounds, Math.max(p, q));
    }
    return moves;
  }

  /**
   * Closes the registry: marks every live handle removed and forgets everything; later handles are
   * born removed ({@link #register}).
   */
  synchronized void close() {
    closed = true;
    for (Handle<?> h : handles.keySet()) {
      h.removed = true;
    }
    handles.clear();
    immutables.clear();
  }

  /**
   * Where the slices of a scattered handle are: slice {@code i}, elements {@code [bounds[i],
   * bounds[i + 1])}, on physical worker {@code workers[i]}. Guarded by the registry.
   */
  private static final class Slices {
    int[] workers;
    int[] bounds;
    final @Nullable Object source; // a List or a VectorArray, for RECOVERABLE
    @Nullable String lost;

    Slices(int[] workers, int[] bounds, @Nullable Object source) {
      this.workers = workers;
      this.bounds = bounds;
      this.source = source;
    }
  }
}
