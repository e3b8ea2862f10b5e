package org.jmor.parallel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jmor.parallel.ReplyCollector.Sent;
import org.jmor.parallel.events.CallKind;
import org.jmor.parallel.internal.Command;
import org.jmor.parallel.internal.Commands;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one {@link GenericWorkerPool} sends a call's commands to its live workers: prepares them for
 * the channel (a failure names the call), queues a settings update first when the settings changed,
 * holds the {@link Membership}'s read lock while sending, checks the call's handles again when a
 * worker was lost since its arguments were encoded (so that a handle that lost a slice fails the
 * call instead of reaching the survivors), uses the channel's broadcast while every worker is
 * alive, and has the call recorded. It waits for nothing; the {@link ReplyCollector} does.
 */
final class CallSender {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);
  private static final Object[] NO_ARGS = new Object[0];

  private final GenericWorkerPool pool;
  private final Channel channel;
  private final Membership members;
  private final HandleRegistry registry;
  private final CallRecording events;
  private final PoolStats stats;
  private final Settings settings;
  private final boolean shrink;
  private final int initialSize;
  private final Object settingsLock = new Object();
  private volatile long syncedSettingsVersion;

  /**
   * Creates the sender of a pool.
   *
   * @param pool the pool, for messages
   * @param channel its channel
   * @param members its live workers
   * @param registry its remote objects, for checking handles again
   * @param events what records its calls
   * @param stats its counters (settings updates count as commands)
   * @param settings its settings registry
   * @param shrink whether it goes on without a lost worker
   */
  CallSender(
      GenericWorkerPool pool,
      Channel channel,
      Membership members,
      HandleRegistry registry,
      CallRecording events,
      PoolStats stats,
      Settings settings,
      boolean shrink) {
    this.pool = pool;
    this.channel = channel;
    this.members = members;
    this.registry = registry;
    this.events = events;
    this.stats = stats;
    this.settings = settings;
    this.shrink = shrink;
    this.initialSize = channel.size();
  }

  /**
   * Prepares a call's command for the channel.
   *
   * @throws IllegalArgumentException naming the call if the task or an argument cannot be
   *     transferred
   */
  Object prepare(Command command, String op) {
    try {
      return channel.prepare(command);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          op
              + ": cannot transfer the task or its arguments to "
              + "the workers of "
              + pool
              + ": "
              + e.getMessage()
              + " (remote and strict pools serialize every task, argument and result)",
          e);
    }
  }

  /**
   * Queues a settings update before the caller's next command if the settings changed. The update
   * is not waited for: each worker runs its commands in order, so the command queued next sees it.
   */
  void syncSettings() {
    if (settings.version() == syncedSettingsVersion) {
      return;
    }
    synchronized (settingsLock) {
      long v = settings.version();
      if (v != syncedSettingsVersion) {
        Sent sent = toAll(channel.prepare(Commands.settings(settings.snapshot())), null);
        List<CompletableFuture<Object>> replies = sent.replies;
        stats.commands.addAndGet(replies.size());
        syncedSettingsVersion = v;
        for (int i = 0; i < replies.size(); i++) {
          int worker = sent.workers[i];
          replies
              .get(i)
              .whenComplete(
                  (ok, e) -> {
                    Throwable c =
                        e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (c instanceof WorkerLostException && shrink) {
                      LOG.debug("{}: settings update lost with worker {}", pool, worker);
                    } else if (e != null) {
                      LOG.warn(
                          "{}: settings update failed on worker {}: {}",
                          pool,
                          worker,
                          e.toString());
                    }
                  });
        }
      }
    }
  }

  /** Sends a prepared command to every live worker (recorded as {@code kind}, null: not). */
  Sent toAll(Object prepared, @Nullable CallKind kind) {
    return toAll(prepared, members.alive(), "", NO_ARGS, kind);
  }

  /**
   * Sends a prepared command to every live worker, having checked the handles among {@code args}
   * again if a worker was lost since they were encoded (when the live workers were {@code seen}).
   */
  Sent toAll(Object prepared, int[] seen, String op, Object[] args, @Nullable CallKind kind) {
    long start = events.start();
    members.lockForSending();
    try {
      recheckHandles(seen, op, args);
      int[] workers = members.alive();
      if (workers.length == initialSize) {
        // the transport may broadcast
        return sent(channel.broadcast(prepared), workers, kind, start);
      }
      List<CompletableFuture<Object>> replies = new ArrayList<>(workers.length);
      for (int w : workers) {
        replies.add(channel.send(w, prepared));
      }
      return sent(replies, workers, kind, start);
    } finally {
      members.unlockForSending();
    }
  }

  /**
   * Sends a prepared command to one physical worker, having checked the handles among {@code args}
   * again as {@link #toAll(Object, int[], String, Object[], CallKind)} does.
   */
  Sent toOne(int physical, Object prepared, int[] seen, String op, Object[] args, CallKind kind) {
    List<CompletableFuture<Object>> one = new ArrayList<>(1);
    long start = events.start();
    members.lockForSending();
    try {
      recheckHandles(seen, op, args);
      one.add(channel.send(physical, prepared));
    } finally {
      members.unlockForSending();
    }
    return sent(one, new int[] {physical}, kind, start);
  }

  /**
   * Sends {@code prepared[i]} to {@code workers[i]}, having checked the handles among {@code args}
   * again as {@link #toAll(Object, int[], String, Object[], CallKind)} does.
   *
   * @param lastFirst whether to send to the last worker first (a map: a transport whose worker 0
   *     runs in this process, as MPI's does, then has the requests of its remote workers on their
   *     way before worker 0 starts taking a core; part of the kit's contract, see {@link
   *     org.jmor.parallel.spi.Transport#progress})
   * @return the replies, or null (having sent nothing) if the live workers are no longer {@code
   *     workers}
   */
  @Nullable Sent toEach(
      int[] workers,
      Object[] prepared,
      boolean lastFirst,
      int[] seen,
      String op,
      Object[] args,
      CallKind kind) {
    int n = workers.length;
    @SuppressWarnings("unchecked")
    CompletableFuture<Object>[] sent = new CompletableFuture[n];
    long start = events.start();
    members.lockForSending();
    try {
      if (!Arrays.equals(workers, members.alive())) {
        return null;
      }
      recheckHandles(seen, op, args);
      for (int k = 0; k < n; k++) {
        int i = lastFirst ? n - 1 - k : k;
        sent[i] = channel.send(workers[i], prepared[i]);
      }
    } finally {
      members.unlockForSending();
    }
    return sent(new ArrayList<>(Arrays.asList(sent)), workers, kind, start);
  }

  /**
   * Under the membership's read lock: if a worker was lost since the call's arguments were encoded
   * (when the live workers were {@code seen}), checks its handles again.
   */
  private void recheckHandles(int[] seen, String op, Object[] args) {
    if (!shrink || seen == members.alive()) {
      return;
    }
    registry.recheck(op, args);
  }

  /** The replies of a call, recorded as {@code kind} when recording (null: not recorded). */
  private Sent sent(
      List<CompletableFuture<Object>> replies, int[] workers, @Nullable CallKind kind, long start) {
    if (events.on && kind != null) {
      events.watch(replies, workers, kind, start);
    }
    return new Sent(replies, workers);
  }
}
