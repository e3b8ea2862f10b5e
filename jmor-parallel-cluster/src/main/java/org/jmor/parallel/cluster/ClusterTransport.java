package org.jmor.parallel.cluster;

import java.nio.ByteBuffer;
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
 * One pool on an {@link IgniteCluster}: frames go to the worker nodes as byte arrays through {@code
 * IgniteMessaging} (in chunks of {@value ClusterMessage#CHUNK} bytes), each with a per-worker
 * sequence number that the worker runs them in; replies come back on this pool's own topic. A
 * worker whose node fails or leaves, or whose process ends, fails its pending futures with {@link
 * WorkerLostException}.
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
  private volatile boolean closed;

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
    replyListener =
        (from, msg) -> {
          reply(ClusterMessage.parse((byte[]) msg));
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
    if (closed) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("the cluster pool is closed"));
    }
    String why = lost[worker];
    if (why != null) {
      return CompletableFuture.failedFuture(new WorkerLostException(worker, why));
    }
    byte[] joined = request.toByteArray();
    long seq = nextSeq[worker].getAndIncrement();
    Pending p = new Pending(worker, seq);
    pending.get(worker).put(seq, p);
    why = lost[worker];
    if (why != null) {
      fail(worker, seq, new WorkerLostException(worker, why));
      return p;
    }
    ClusterMessage head =
        new ClusterMessage(ClusterMessage.FRAME, pool, worker, nodes.length, seed, seq);
    // the worker waits for every sequence number in turn: never let an interrupt of the caller's
    // thread abort the send half-way
    boolean interrupted = Thread.interrupted();
    try {
      for (byte[] m : head.chunks(joined)) {
        messaging[worker].send(IgniteNodes.REQUEST_TOPIC, m);
      }
    } catch (ClusterTopologyException e) {
      workerLost(worker, "its Ignite node " + nodes[worker] + " is unreachable: " + e.getMessage());
    } catch (IgniteException e) {
      // the worker would wait for this sequence number forever: treat it as lost
      workerLost(
          worker, "a request could not be sent to its Ignite node " + nodes[worker] + ": " + e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return p;
  }

  private void fail(int worker, long seq, Throwable error) {
    Pending p = pending.get(worker).remove(seq);
    if (p != null) {
      p.completeExceptionally(error);
    }
  }

  private void reply(ClusterMessage m) {
    if (m.worker < 0 || m.worker >= nodes.length) {
      return;
    }
    Map<Long, Pending> map = pending.get(m.worker);
    Pending p = map.get(m.seq);
    if (p == null) {
      return; // cancelled, or failed already
    }
    ByteBuffer whole;
    if (m.whole()) {
      whole = m.data();
    } else {
      byte[] all = p.add(m);
      if (all == null) {
        return;
      }
      whole = ByteBuffer.wrap(all);
    }
    if (map.remove(m.seq) == null) {
      return;
    }
    if (m.kind == ClusterMessage.ERROR) {
      p.completeExceptionally(
          new IllegalStateException(
              "worker " + m.worker + " could not answer: " + StandardCharsets.UTF_8.decode(whole)));
    } else {
      p.complete(Frame.read(whole));
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

    synchronized byte @Nullable [] add(ClusterMessage m) {
      if (assembly == null) {
        assembly = new ClusterMessage.Assembly(m.total);
      }
      return assembly.add(m);
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
