package org.jmor.parallel.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.IgniteMessaging;
import org.apache.ignite.IgniteState;
import org.apache.ignite.Ignition;
import org.apache.ignite.IgnitionListener;
import org.apache.ignite.cluster.ClusterTopologyException;
import org.apache.ignite.events.DiscoveryEvent;
import org.apache.ignite.events.Event;
import org.apache.ignite.events.EventType;
import org.apache.ignite.lang.IgniteBiPredicate;
import org.apache.ignite.lang.IgnitePredicate;
import org.jmor.parallel.WorkerLostException;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.FrameChunks;
import org.jmor.parallel.spi.PendingReplies;
import org.jmor.parallel.spi.Transport;
import org.jspecify.annotations.Nullable;

/**
 * One pool on an {@link IgniteCluster}: frames go to the worker nodes through {@code
 * IgniteMessaging} as {@link ClusterMessage}s (a header in front of a {@link FrameChunks} chunk of
 * at most {@value ClusterMessage#CHUNK} data bytes, with the large {@code double[]} parts of a
 * frame that fits in one message beside it as themselves), each with the per-worker sequence number
 * of {@link PendingReplies} that the worker runs them in; a broadcast of a frame of several chunks
 * is one send to the group of workers. Frames of more than {@link #WINDOW} chunks are streamed by
 * this pool's sender thread with at most {@link #WINDOW} messages unacknowledged. Replies come back
 * on this pool's own topic. A worker whose node fails or leaves, or whose process ends, fails its
 * pending futures with {@link WorkerLostException}; the core fails the call and cancels the others.
 */
final class ClusterTransport implements Transport {
  /**
   * The most messages of one frame in flight to a worker before its acknowledgements (4 × 8 MiB):
   * bounds the memory that Ignite's send queues hold on both sides.
   */
  static final int WINDOW = 4;

  /**
   * The size from which a frame of one chunk goes to several workers as one group message: per
   * worker, an 8 MB frame cost one more 8 MB copy into its message and one more serialization by
   * Ignite on the caller's side (an 8 MB {@code push} to 2 workers: 32 ms median against 37 ms, at
   * a load of 6-7).
   */
  static final int GROUP_BYTES = 1 << 20;

  private final IgniteCluster cluster;
  private final Ignite ignite;
  private final UUID[] nodes;
  private final IgniteMessaging[] messaging;
  private final IgniteMessaging all;
  private final long pool;
  private final boolean ownsCluster;
  private final PendingReplies pending;
  private final IgniteBiPredicate<UUID, Object> replyListener;
  private final IgnitePredicate<Event> nodeListener;
  private final IgnitionListener ignitionListener;
  private final AtomicLong transfers = new AtomicLong();
  private final Map<Long, Transfer> transfersInFlight = new ConcurrentHashMap<>();
  private final ExecutorService sender;
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean closed;

  ClusterTransport(
      IgniteCluster cluster, Ignite ignite, UUID[] nodes, long pool, boolean ownsCluster) {
    this.cluster = cluster;
    this.ignite = ignite;
    this.nodes = nodes.clone();
    this.pool = pool;
    this.ownsCluster = ownsCluster;
    int n = nodes.length;
    this.pending = new PendingReplies(n, describe(), this::cancelRemote);
    this.messaging = new IgniteMessaging[n];
    for (int i = 0; i < n; i++) {
      messaging[i] = ignite.message(ignite.cluster().forNodeId(nodes[i]));
    }
    all = ignite.message(ignite.cluster().forNodeIds(List.of(nodes)));
    sender =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "jmor-cluster-pool" + pool + "-sender");
              t.setDaemon(true);
              return t;
            });
    replyListener =
        (from, msg) -> {
          reply(from, ClusterMessage.parse(msg));
          return !closed;
        };
    ignite
        .message(ignite.cluster().forLocal())
        .localListen(WorkerService.replyTopic(pool), replyListener);
    nodeListener =
        event -> {
          if (event.type() == EventType.EVT_NODE_SEGMENTED
              || event.type() == EventType.EVT_CLIENT_NODE_DISCONNECTED) {
            driverLost("lost its connection to the cluster (" + event.name() + ")");
            return true;
          }
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
    ignite
        .events()
        .localListen(
            nodeListener,
            EventType.EVT_NODE_FAILED,
            EventType.EVT_NODE_LEFT,
            EventType.EVT_NODE_SEGMENTED,
            EventType.EVT_CLIENT_NODE_DISCONNECTED);
    // a driver node that stops (segmented after its router froze: Ignite then stops it and may
    // deliver no further node event) can never receive a reply: every worker is lost at once
    ignitionListener =
        (name, state) -> {
          if (state != IgniteState.STARTED && Objects.equals(name, ignite.name())) {
            driverLost("stopped (" + state + ")");
          }
        };
    Ignition.addListener(ignitionListener);
    if (Ignition.state(ignite.name()) != IgniteState.STARTED) {
      driverLost("is not running");
    }
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
   * Sends the frame to every worker, each with its own sequence number: a frame of several chunks,
   * or of at least {@value #GROUP_BYTES} bytes, once to the group of workers (its message is built
   * and serialized by Ignite once for all of them), a smaller frame as one message per worker (as
   * fast, and no table).
   */
  @Override
  public List<CompletableFuture<Frame>> broadcast(Frame request) {
    Objects.requireNonNull(request, "request");
    int[] every = new int[nodes.length];
    Arrays.setAll(every, i -> i);
    return sendTo(every, request);
  }

  private List<CompletableFuture<Frame>> sendTo(int[] workers, Frame request) {
    List<CompletableFuture<Frame>> out = new ArrayList<>(workers.length);
    int[] to = new int[workers.length];
    long[] seqs = new long[workers.length];
    int live = 0;
    for (int w : workers) {
      PendingReplies.Reply r = pending.register(w);
      out.add(r);
      if (!r.isDone()) { // else lost or closed: failed already
        to[live] = w;
        seqs[live++] = r.sequence();
      }
    }
    if (live == 0) {
      return out;
    }
    ClusterMessage.Outgoing plan = ClusterMessage.Outgoing.of(request);
    if (live > 1 && (plan.count() > 1 || request.byteSize() >= GROUP_BYTES)) {
      int[] group = Arrays.copyOf(to, live);
      long[] groupSeqs = Arrays.copyOf(seqs, live);
      ClusterMessage head = new ClusterMessage(ClusterMessage.FRAME, pool, -1, groupSeqs[0]);
      send(plan, head.to(group, groupSeqs), group, groupSeqs, groupOf(group));
    } else {
      for (int k = 0; k < live; k++) {
        ClusterMessage head = new ClusterMessage(ClusterMessage.FRAME, pool, to[k], seqs[k]);
        send(plan, head, new int[] {to[k]}, new long[] {seqs[k]}, messaging[to[k]]);
      }
    }
    return out;
  }

  /** Sends the messages of a plan now, or by the sender thread when they need a window. */
  private void send(
      ClusterMessage.Outgoing plan,
      ClusterMessage head,
      int[] to,
      long[] seqs,
      IgniteMessaging target) {
    head.transfer = transfers.incrementAndGet();
    if (plan.count() <= WINDOW) {
      transmit(plan, head, to, target, null);
      return;
    }
    Transfer t = new Transfer(to);
    transfersInFlight.put(head.transfer, t);
    try {
      sender.execute(
          () -> {
            try {
              transmit(plan, head, to, target, t);
            } finally {
              transfersInFlight.remove(head.transfer);
            }
          });
    } catch (RejectedExecutionException e) {
      transfersInFlight.remove(head.transfer);
      for (int k = 0; k < to.length; k++) {
        pending.fail(to[k], seqs[k], new IllegalStateException("the cluster pool is closed"));
      }
    }
  }

  private IgniteMessaging groupOf(int[] workers) {
    if (workers.length == nodes.length) {
      return all;
    }
    UUID[] ids = new UUID[workers.length];
    Arrays.setAll(ids, i -> nodes[workers[i]]);
    return ignite.message(ignite.cluster().forNodeIds(List.of(ids)));
  }

  /**
   * Sends the messages of a plan; with a transfer, waits for acknowledgements so that at most
   * {@link #WINDOW} messages are in flight. A failure to send loses the addressees (they would wait
   * for the sequence number forever).
   */
  private void transmit(
      ClusterMessage.Outgoing plan,
      ClusterMessage head,
      int[] to,
      IgniteMessaging target,
      @Nullable Transfer t) {
    // the workers wait for every sequence number in turn: never let an interrupt of the caller's
    // thread abort the send half-way
    boolean interrupted = Thread.interrupted();
    try {
      for (int i = 0; i < plan.count(); i++) {
        if (t != null && i >= WINDOW && !t.await(i - WINDOW + 1)) {
          return; // closed, or an addressee was lost: its futures are failed already
        }
        target.send(IgniteNodes.REQUEST_TOPIC, plan.wire(head, i));
      }
    } catch (ClusterTopologyException e) {
      for (int w : to) {
        if (ignite.cluster().node(nodes[w]) == null) {
          workerLost(w, "its Ignite node " + nodes[w] + " is unreachable: " + e.getMessage());
        }
      }
      lost(to, e);
    } catch (IgniteException | IllegalStateException e) {
      lost(to, e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void lost(int[] to, RuntimeException e) {
    for (int w : to) {
      workerLost(w, "a request could not be sent to its Ignite node " + nodes[w] + ": " + e);
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
    synchronized boolean await(int count) {
      while (true) {
        boolean done = true;
        for (int k = 0; k < to.length; k++) {
          if (pending.lostReason(to[k]) != null) {
            return false;
          }
          done &= acked[k] >= count;
        }
        if (done) {
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

  private void reply(UUID from, ClusterMessage m) {
    if (m.worker < 0 || m.worker >= nodes.length || !nodes[m.worker].equals(from)) {
      return;
    }
    switch (m.kind) {
      case ClusterMessage.ACK -> {
        Transfer t = transfersInFlight.get(m.transfer);
        if (t != null) {
          t.ack(m.worker);
        }
      }
      case ClusterMessage.ERROR ->
          pending.fail(
              m.worker,
              m.seq,
              new IllegalStateException("worker " + m.worker + " could not answer: " + m.text()));
      case ClusterMessage.FRAME -> {
        if (!m.hasDirectParts()) {
          pending.chunk(m.worker, m.seq, m.body());
          return;
        }
        try {
          pending.complete(m.worker, m.seq, m.frame());
        } catch (IllegalArgumentException e) {
          pending.fail(
              m.worker,
              m.seq,
              new IllegalStateException(
                  "a reply of worker " + m.worker + " is corrupt: " + e.getMessage(), e));
        }
      }
      default -> {
        // not for the driver
      }
    }
  }

  /**
   * Fails every pending and future request of a worker with {@link WorkerLostException}. The other
   * workers' requests go on: the core fails the call at once when any reply is a {@link
   * WorkerLostException} and cancels the rest itself.
   */
  void workerLost(int worker, String why) {
    pending.workerLost(worker, why);
  }

  /**
   * This JVM's client node left the cluster or stopped: no reply can come back, so every worker's
   * requests fail. Ignite segments a client when the server node it is connected through stops
   * answering (a frozen worker), and it does not say which one that was.
   */
  private void driverLost(String what) {
    if (closed) {
      return;
    }
    String why =
        "this JVM's Ignite client node "
            + what
            + ": the worker node it was connected through stopped answering (frozen or"
            + " unreachable), and every worker of the pool is lost with it";
    for (int i = 0; i < nodes.length; i++) {
      workerLost(i, why);
    }
  }

  private void cancelRemote(int worker, long seq) {
    if (pending.lostReason(worker) == null) {
      control(worker, ClusterMessage.CANCEL, seq);
    }
  }

  private void control(int worker, int kind, long seq) {
    try {
      messaging[worker].send(
          IgniteNodes.REQUEST_TOPIC, new ClusterMessage(kind, pool, worker, seq).wire());
    } catch (IgniteException | IllegalStateException e) {
      // the worker is gone, or this driver node stopped (IgniteIllegalStateException is an
      // IllegalStateException, not an IgniteException): nothing to tell
    }
  }

  @Override
  public String describe() {
    return "cluster[" + nodes.length + "]";
  }

  @Override
  public List<String> close(Duration timeout) {
    if (!closing.compareAndSet(false, true)) {
      return List.of();
    }
    pending.awaitIdle(timeout);
    closed = true;
    sender.shutdownNow();
    List<String> abandoned = pending.close("the cluster pool was closed");
    for (int i = 0; i < nodes.length; i++) {
      if (pending.lostReason(i) == null) {
        control(i, ClusterMessage.CLOSE, 0);
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
    Ignition.removeListener(ignitionListener);
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
}
