package org.jmor.parallel;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The live workers of one {@link GenericWorkerPool} (their physical indices, ascending) and the
 * lock that orders sends against the loss of a worker. A pool that does not shrink never changes
 * its workers and takes no lock. On a shrinking pool ({@link OnWorkerLoss#SHRINK}) every send of a
 * call holds the read lock ({@link #lockForSending}), and a lost worker is taken out under the
 * write lock ({@link #lose}), where the pool also sends that worker's recoverable slices again; so
 * a call's commands reach a survivor either before the re-sent slice or after it.
 */
final class Membership {
  private final boolean shrink;

  /** The physical indices of the live workers, ascending. Written under the write lock. */
  private volatile int[] alive;

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  /**
   * Creates the membership of a pool whose workers are {@code 0..size-1}.
   *
   * @param size the number of workers
   * @param shrink whether a lost worker is taken out ({@link OnWorkerLoss#SHRINK})
   */
  Membership(int size, boolean shrink) {
    this.shrink = shrink;
    int[] w = new int[size];
    for (int i = 0; i < size; i++) {
      w[i] = i;
    }
    this.alive = w;
  }

  /**
   * Returns the live workers; the array is never modified, and a new one replaces it when a worker
   * is lost (so comparing two results by identity says whether a worker was lost between them).
   */
  int[] alive() {
    return alive;
  }

  /** Takes the read lock on a shrinking pool (see the class documentation). */
  void lockForSending() {
    if (shrink) {
      lock.readLock().lock();
    }
  }

  /** Releases what {@link #lockForSending} took. */
  void unlockForSending() {
    if (shrink) {
      lock.readLock().unlock();
    }
  }

  /** Takes the read lock (a shrinking pool registering where a scatter's slices went). */
  void lockRead() {
    lock.readLock().lock();
  }

  /** Releases what {@link #lockRead} took. */
  void unlockRead() {
    lock.readLock().unlock();
  }

  /**
   * Under the write lock: takes a lost worker out (once; a later report of the same loss does
   * nothing and returns {@code ""}), then returns what {@code whileLocked} returns for it (the pool
   * sends the worker's recoverable slices there); throws what {@code last} gives if it was the last
   * worker.
   *
   * @param worker the lost worker's physical index
   * @param last the exception to throw if no worker would be left
   * @param whileLocked what to run under the write lock once the worker is out
   * @return what {@code whileLocked} returned, or {@code ""}
   */
  String lose(int worker, Supplier<RuntimeException> last, IntFunction<String> whileLocked) {
    lock.writeLock().lock();
    try {
      int[] workers = alive;
      int at = indexOf(workers, worker);
      if (at < 0) {
        return "";
      }
      if (workers.length == 1) {
        throw last.get();
      }
      alive = without(workers, at);
      return whileLocked.apply(worker);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The position of {@code v} in {@code a}, or -1. */
  static int indexOf(int[] a, int v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    return -1;
  }

  /** A copy of {@code a} without its element at {@code at}. */
  static int[] without(int[] a, int at) {
    int[] r = new int[a.length - 1];
    System.arraycopy(a, 0, r, 0, at);
    System.arraycopy(a, at + 1, r, at, r.length - at);
    return r;
  }
}
