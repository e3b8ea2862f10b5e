package org.jmor.parallel.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.IgniteMessaging;
import org.apache.ignite.cluster.ClusterTopologyException;
import org.apache.ignite.events.DiscoveryEvent;
import org.apache.ignite.events.Event;
import org.apache.ignite.events.EventType;
import org.apache.ignite.lang.IgniteBiPredicate;
import org.apache.ignite.lang.IgnitePredicate;
import org.jmor.parallel.WorkerLostException;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.Transport;
import org.jspecify.annotations.Nullable;

/**
 * One pool on an {@link IgniteCluster}: frames go to the worker nodes through {@code
 * IgniteMessaging} as raw {@code byte[]} messages ({@link ClusterMessage}: part by part, large
 * parts in pieces of at most {@value ClusterMessage#CHUNK} bytes), each with a per-worker sequence
 * number that the worker runs them in; a broadcast is one send to the group of workers. Frames of
 * more than {@link #WINDOW} messages are streamed by this pool's sender thread with at most {@link
 * #WINDOW} messages unacknowledged. Replies come back on this pool's own topic. A worker whose node
 * fails or leaves, or whose process ends, fails its pending futures with {@link
 * WorkerLostException}; the core fails the call and cancels the others.
 */
final class ClusterTransport implements Transport {
  private final IgniteCluster cluster;
  private final Ignite ignite;
  private final UUID[] nodes;
  private final IgniteMessaging[] messaging;
  private final long pool;
  private final long seed;
  private final boolean ownsCluster;
  private final AtomicLong[] nextSeq;
  private final List<Map<Long, Pending>> pending;
  private final @Nullable String[] lost;
  private final IgniteBiPredicate<UUID, Object> replyListener;
  private final IgnitePredicate<Event> nodeListener;
  private final IgniteMessaging broadcastMessaging;
  private final AtomicLong transfers = new AtomicLong();
  private final Map<Long, Transfer> transfersInFlight = new ConcurrentHashMap<>();
  private final java.util.concurrent.ExecutorService sender;
  private volatile boolean closed;

  /**
   * The most messages of one frame in flight to a worker before its acknowledgements (4 × 8 MiB):
   * bounds the memory that Ignite's send queues hold on both sides.
   */
  static final int WINDOW = 4;

  ClusterTransport(
      IgniteCluster cluster,
      Ignite ignite,
      UUID[] nodes,
      long pool,
      long seed,
      boolean ownsCluster) {
    this.cluster = cluster;
    this.ignite = ignite;
    this.nodes = nodes.clone();
    this.pool = pool;
    this.seed = seed;
    this.ownsCluster = ownsCluster;
    int n = nodes.length;
    this.messaging = new IgniteMessaging[n];
    this.nextSeq = new AtomicLong[n];
    this.pending = new ArrayList<>(n);
    this.lost = new String[n];
    for (int i = 0; i < n; i++) {
      messaging[i] = ignite.message(ignite.cluster().forNodeId(nodes[i]));
      nextSeq[i] = new AtomicLong();
      pending.add(new ConcurrentHashMap<>());
    }
    broadcastMessaging = ignite.message(ignite.cluster().forNodeIds(List.of(nodes)));
    sender =
        java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "jmor-cluster-pool" + pool + "-sender");
              t.setDaemon(true);
              return t;
            });
    replyListener =
        (from, msg) -> {
          reply(from, ClusterMessage.parse((byte[]) msg));
          return !closed;
        };
    ignite
        .message(ignite.cluster().forLocal())
        .localListen(WorkerService.replyTopic(pool), replyListener);
    nodeListener =
        event -> {
          UUID gone = ((DiscoveryEvent) event).eventNode().id();
          for (int i = 0; i < this.nodes.length; i++) {
            if (this.nodes[i].equals(gone)) {
              workerLost(
                  i,
                  "its Ignite node "
                      + gone
                      + (event.type() == EventType.EVT_NODE_FAILED
                          ? " failed (no answer within the failure-detection timeout, or its"
                              + " connection broke)"
                          : " left the cluster"));
            }
          }
          return true;
        };
    ignite.events().localListen(nodeListener, EventType.EVT_NODE_FAILED, EventType.EVT_NODE_LEFT);
    for (int i = 0; i < n; i++) {
      if (ignite.cluster().node(nodes[i]) == null) {
        workerLost(i, "its Ignite node " + nodes[i] + " is no longer in the cluster");
      }
    }
  }

  @Override
  public int size() {
    return nodes.length;
  }

  @Override
  public CompletableFuture<Frame> send(int worker, Frame request) {
    Objects.checkIndex(worker, nodes.length);
    Objects.requireNonNull(request, "request");
    return sendTo(new int[] {worker}, request).get(0);
  }

  /**
   * Sends the frame once to the group of all workers (Ignite serializes each message once for all
   * of them), each with its own sequence number.
   */
  @Override
  public List<CompletableFuture<Frame>> broadcast(Frame request) {
    Objects.requireNonNull(request, "request");
    int[] all = new int[nodes.length];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return sendTo(all, request);
  }

  private List<CompletableFuture<Frame>> sendTo(int[] workers, Frame request) {
    List<CompletableFuture<Frame>> out = new ArrayList<>(workers.length);
    if (closed) {
      for (int i = 0; i < workers.length; i++) {
        out.add(
            CompletableFuture.failedFuture(
                new IllegalStateException("the cluster pool is closed")));
      }
      return out;
    }
    int[] targets = new int[workers.length];
    long[] seqs = new long[workers.length];
    int live = 0;
    Pending[] futures = new Pending[workers.length];
    for (int k = 0; k < workers.length; k++) {
      int w = workers[k];
      String why = lost[w];
      if (why != null) {
        out.add(CompletableFuture.failedFuture(new WorkerLostException(w, why)));
        continue;
      }
      long seq = nextSeq[w].getAndIncrement();
      Pending p = new Pending(w, seq);
      pending.get(w).put(seq, p);
      futures[k] = p;
      out.add(p);
      targets[live] = w;
      seqs[live] = seq;
      live++;
    }
    if (live == 0) {
      return out;
    }
    int[] to = java.util.Arrays.copyOf(targets, live);
    long[] toSeqs = java.util.Arrays.copyOf(seqs, live);
    ClusterMessage head =
        new ClusterMessage(
            ClusterMessage.FRAME, pool, live == 1 ? to[0] : -1, nodes.length, seed, toSeqs[0]);
    head.transfer = transfers.incrementAndGet();
    ClusterMessage.Plan plan =
        live == 1
            ? new ClusterMessage.Plan(request, head, new int[0], new long[0])
            : new ClusterMessage.Plan(request, head, to, toSeqs);
    if (live > 1 && plan.count() == 1) {
      // a small frame: one message per worker (as fast as a group send here, and no table)
      for (int k = 0; k < live; k++) {
        ClusterMessage one =
            new ClusterMessage(ClusterMessage.FRAME, pool, to[k], nodes.length, seed, toSeqs[k]);
        one.transfer = head.transfer;
        transmit(
            new ClusterMessage.Plan(request, one, new int[0], new long[0]),
            new int[] {to[k]},
            messaging[to[k]],
            null);
      }
      return out;
    }
    IgniteMessaging target = live == 1 ? messaging[to[0]] : groupOf(to);
    if (plan.count() <= WINDOW) {
      transmit(plan, to, target, null);
    } else {
      // a large frame: streamed by the sender thread with at most WINDOW messages unacknowledged
      Transfer t = new Transfer(to);
      transfersInFlight.put(head.transfer, t);
      try {
        sender.execute(
            () -> {
              try {
                transmit(plan, to, target, t);
              } finally {
                transfersInFlight.remove(head.transfer);
              }
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        transfersInFlight.remove(head.transfer);
        for (int w : to) {
          fail(w, -1, new IllegalStateException("the cluster pool is closed"));
        }
      }
    }
    return out;
  }

  private IgniteMessaging groupOf(int[] workers) {
    if (workers.length == nodes.length) {
      return broadcastMessaging;
    }
    UUID[] ids = new UUID[workers.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = nodes[workers[i]];
    }
    return ignite.message(ignite.cluster().forNodeIds(List.of(ids)));
  }

  /**
   * Sends the messages of a plan; with a transfer, waits for acknowledgements so that at most
   * {@link #WINDOW} messages are in flight. A failure to send loses the addressees (they would wait
   * for the sequence number forever).
   */
  private void transmit(
      ClusterMessage.Plan plan, int[] to, IgniteMessaging target, @Nullable Transfer t) {
    // the workers wait for every sequence number in turn: never let an interrupt of the caller's
    // thread abort the send half-way
    boolean interrupted = Thread.interrupted();
    try {
      for (int i = 0; i < plan.count(); i++) {
        if (t != null && i >= WINDOW && !t.await(i - WINDOW + 1, to)) {
          return; // closed, or an addressee was lost: its futures are failed already
        }
        target.send(IgniteNodes.REQUEST_TOPIC, plan.message(i));
      }
    } catch (ClusterTopologyException e) {
      for (int w : to) {
        if (ignite.cluster().node(nodes[w]) == null) {
          workerLost(w, "its Ignite node " + nodes[w] + " is unreachable: " + e.getMessage());
        }
      }
      for (int w : to) {
        workerLost(w, "a request could not be sent to its Ignite node " + nodes[w] + ": " + e);
      }
    } catch (IgniteException | IllegalStateException e) {
      for (int w : to) {
        workerLost(w, "a request could not be sent to its Ignite node " + nodes[w] + ": " + e);
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The acknowledgements of one large transfer. */
  private final class Transfer {
    private final int[] to;
    private final int[] acked;

    Transfer(int[] to) {
      this.to = to;
      acked = new int[to.length];
    }

    synchronized void ack(int worker) {
      for (int k = 0; k < to.length; k++) {
        if (to[k] == worker) {
          acked[k]++;
        }
      }
      notifyAll();
    }

    /** Waits until every live addressee acknowledged {@code count} messages. */
    synchronized boolean await(int count, int[] to) {
      while (true) {
        boolean all = true;
        for (int k = 0; k < to.length; k++) {
          if (lost[to[k]] != null) {
            return false;
          }
          all &= acked[k] >= count;
        }
        if (all) {
          return true;
        }
        if (closed) {
          return false;
        }
        try {
          wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
  }

  private void fail(int worker, long seq, Throwable error) {
    if (seq < 0) {
      return;
    }
    Pending p = pending.get(worker).remove(seq);
    if (p != null) {
      p.completeExceptionally(error);
    }
  }

  private void reply(UUID from, ClusterMessage m) {
    if (m.worker < 0 || m.worker >= nodes.length || !nodes[m.worker].equals(from)) {
      return;
    }
    if (m.kind == ClusterMessage.ACK) {
      Transfer t = transfersInFlight.get(m.transfer);
      if (t != null) {
        t.ack(m.worker);
      }
      return;
    }
    Map<Long, Pending> map = pending.get(m.worker);
    Pending p = map.get(m.seq);
    if (p == null) {
      return; // cancelled, or failed already
    }
    Frame whole;
    if (m.kind == ClusterMessage.ERROR) {
      if (map.remove(m.seq) != null) {
        p.completeExceptionally(
            new IllegalStateException(
                "worker "
                    + m.worker
                    + " could not answer: "
                    + StandardCharsets.UTF_8.decode(m.text())));
      }
      return;
    }
    try {
      if (m.msgCount == 1) {
        whole = m.wholeFrame();
      } else {
        whole = p.add(m);
        if (whole == null) {
          return;
        }
      }
    } catch (RuntimeException e) {
      if (map.remove(m.seq) != null) {
        p.completeExceptionally(
            new IllegalStateException("a reply of worker " + m.worker + " is corrupt: " + e, e));
      }
      return;
    }
    if (map.remove(m.seq) != null) {
      p.complete(whole);
    }
  }

  /**
   * Fails every pending and future request of a worker with {@link WorkerLostException}. The other
   * workers' requests go on: the core fails the call at once when any reply is a {@link
   * WorkerLostException} and cancels the rest itself.
   */
  void workerLost(int worker, String why) {
    synchronized (lost) {
      if (lost[worker] == null) {
        lost[worker] = why;
      }
    }
    String reason = Objects.requireNonNull(lost[worker]);
    for (Long seq : List.copyOf(pending.get(worker).keySet())) {
      fail(worker, seq, new WorkerLostException(worker, reason));
    }
  }

  private void cancelRemote(int worker, long seq) {
    if (lost[worker] != null) {
      return;
    }
    try {
      messaging[worker].send(
          IgniteNodes.REQUEST_TOPIC,
          new ClusterMessage(ClusterMessage.CANCEL, pool, worker, nodes.length, seed, seq).wire());
    } catch (IgniteException e) {
      // the worker is gone
    }
  }

  @Override
  public String describe() {
    return "cluster[" + nodes.length + "]";
  }

  @Override
  public List<String> close(Duration timeout) {
    if (closed) {
      return List.of();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - deadline < 0 && pending.stream().anyMatch(m -> !m.isEmpty())) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    closed = true;
    sender.shutdownNow();
    List<String> abandoned = new ArrayList<>();
    for (int i = 0; i < nodes.length; i++) {
      for (Long seq : List.copyOf(pending.get(i).keySet())) {
        abandoned.add("worker " + i + ": request " + seq + " abandoned at close");
        fail(i, seq, new IllegalStateException("the cluster pool was closed"));
      }
      if (lost[i] == null) {
        try {
          messaging[i].send(
              IgniteNodes.REQUEST_TOPIC,
              new ClusterMessage(ClusterMessage.CLOSE, pool, i, nodes.length, seed, 0).wire());
        } catch (IgniteException e) {
          // the worker is gone: nothing to close there
        }
      }
    }
    try {
      ignite
          .message(ignite.cluster().forLocal())
          .stopLocalListen(WorkerService.replyTopic(pool), replyListener);
      ignite.events().stopLocalListen(nodeListener);
    } catch (IgniteException | IllegalStateException e) {
      // the client node is stopping
    }
    cluster.transportClosed(this);
    if (ownsCluster) {
      cluster.close();
    }
    return abandoned;
  }

  @Override
  public void close() {
    close(Duration.ZERO);
  }

  /** A request's future; cancelling it cancels the task on the worker. */
  private final class Pending extends CompletableFuture<Frame> {
    private final int worker;
    private final long seq;
    private ClusterMessage.@Nullable Assembly assembly;

    Pending(int worker, long seq) {
      this.worker = worker;
      this.seq = seq;
    }

    @Nullable Frame add(ClusterMessage m) {
      ClusterMessage.Assembly a;
      synchronized (this) {
        if (assembly == null) {
          assembly = new ClusterMessage.Assembly(m.partCount, m.msgCount);
        }
        a = assembly;
      }
      return a.add(m);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled && pending.get(worker).remove(seq) != null) {
        cancelRemote(worker, seq);
      }
      return cancelled;
    }
  }
}
