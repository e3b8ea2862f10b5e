package org.jmor.parallel.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.ignite.Ignite;
import org.apache.ignite.events.DiscoveryEvent;
import org.apache.ignite.events.EventType;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.WorkerLanes;
import org.jmor.parallel.spi.WorkerRuntime;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side on a server node: one {@link WorkerRuntime} and one lane per pool (kept in the
 * node-local map under the driver's node id and the pool id, so two pools never see each other's
 * objects). Requests are reassembled from their chunks and run on the pool's lane in the order of
 * their sequence numbers; replies go back to the driver's topic of the pool.
 */
final class WorkerService {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerService.class);

  private final Ignite ignite;
  private final ConcurrentMap<String, PoolState> pools;
  private final Set<String> closedPools = ConcurrentHashMap.newKeySet();

  private final int index;

  private WorkerService(Ignite ignite, int index) {
    this.ignite = ignite;
    this.index = index;
    this.pools = ignite.cluster().nodeLocalMap();
  }

  /** Installs the service on a started server node. */
  static void install(Ignite ignite, int index) {
    WorkerService service = new WorkerService(ignite, index);
    ignite
        .message(ignite.cluster().forLocal())
        .localListen(
            IgniteNodes.REQUEST_TOPIC,
            (UUID from, Object msg) -> {
              service.receive(from, ClusterMessage.parse((byte[]) msg));
              return true;
            });
    ignite
        .events()
        .localListen(
            event -> {
              service.driverGone(((DiscoveryEvent) event).eventNode().id());
              return true;
            },
            EventType.EVT_NODE_FAILED,
            EventType.EVT_NODE_LEFT);
  }

  static String replyTopic(long pool) {
    return "jmor.reply." + pool;
  }

  private static String key(UUID driver, long pool) {
    return "jmor.pool." + driver + "." + pool;
  }

  private void receive(UUID driver, ClusterMessage m) {
    if (m.kind == ClusterMessage.PING) {
      try {
        ignite
            .message(ignite.cluster().forNodeId(driver))
            .send(
                replyTopic(m.pool),
                new ClusterMessage(ClusterMessage.PONG, m.pool, index, 0, 0, m.seq).wire());
      } catch (RuntimeException e) {
        LOG.warn("cannot answer a ping: {}", e.toString());
      }
      return;
    }
    if (m.kind == ClusterMessage.FRAME) {
      long seq = m.seqFor(index);
      if (seq < 0) {
        LOG.warn("worker {} received a frame for other workers (pool {})", index, m.pool);
        return;
      }
      m.seq = seq;
      m.worker = index;
    }
    if (m.worker != index) {
      LOG.warn(
          "worker {} received a message for worker {} (kind {}, seq {})",
          index,
          m.worker,
          m.kind,
          m.seq);
      return;
    }
    String key = key(driver, m.pool);
    switch (m.kind) {
      case ClusterMessage.FRAME -> {
        if (closedPools.contains(key)) {
          return; // overtook by the pool's CLOSE message
        }
        PoolState state = pools.computeIfAbsent(key, k -> new PoolState(driver, m));
        state.frame(m);
      }
      case ClusterMessage.CANCEL -> {
        PoolState state = pools.get(key);
        if (state != null) {
          state.cancel(m.seq);
        }
      }
      case ClusterMessage.CLOSE -> {
        closedPools.add(key);
        PoolState state = pools.remove(key);
        if (state != null) {
          state.close();
        }
      }
      default -> LOG.warn("ignoring a message of unknown kind {}", m.kind);
    }
  }

  private void driverGone(UUID node) {
    String prefix = "jmor.pool." + node + ".";
    for (String key : pools.keySet()) {
      if (key.startsWith(prefix)) {
        PoolState state = pools.remove(key);
        if (state != null) {
          state.close();
        }
      }
    }
  }

  /** One pool on this worker. */
  private final class PoolState {
    private final UUID driver;
    private final long pool;
    private final int worker;
    private final WorkerRuntime runtime;
    private final WorkerLanes lane;
    private final Map<Long, ClusterMessage.Assembly> partial = new HashMap<>();
    private final TreeMap<Long, Frame> ready = new TreeMap<>();
    private final Map<Long, CompletableFuture<?>> running = new HashMap<>();
    private long next;
    private boolean closed;

    PoolState(UUID driver, ClusterMessage first) {
      this.driver = driver;
      this.pool = first.pool;
      this.worker = first.worker;
      this.runtime = new WorkerRuntime(first.worker, first.size, first.seed);
      this.lane = new WorkerLanes(1, "jmor-cluster-pool" + first.pool + "-worker");
    }

    void frame(ClusterMessage m) {
      Frame whole;
      if (m.msgCount == 1) {
        whole = m.wholeFrame();
      } else {
        ClusterMessage.Assembly a;
        synchronized (this) {
          if (closed) {
            return;
          }
          a =
              partial.computeIfAbsent(
                  m.seq, s -> new ClusterMessage.Assembly(m.partCount, m.msgCount));
        }
        whole = a.add(m); // outside the lock: pieces of one frame are copied in parallel
        ack(m);
        if (whole == null) {
          return;
        }
        synchronized (this) {
          partial.remove(m.seq);
        }
      }
      synchronized (this) {
        if (closed) {
          return;
        }
        ready.put(m.seq, whole);
        // run the requests in the order of their sequence numbers (messages may overtake each
        // other)
        while (!ready.isEmpty() && ready.firstKey() == next) {
          long seq = next++;
          Frame request = java.util.Objects.requireNonNull(ready.remove(seq));
          CompletableFuture<Frame> job = lane.submit(0, () -> runtime.handle(request));
          running.put(seq, job);
          var unused = job.whenComplete((reply, error) -> done(seq, reply, error));
        }
      }
    }

    /** Acknowledges a message of a large frame, for the driver's flow control. */
    private void ack(ClusterMessage m) {
      ClusterMessage a = new ClusterMessage(ClusterMessage.ACK, pool, worker, 0, 0, m.seq);
      a.transfer = m.transfer;
      a.msgIndex = m.msgIndex;
      try {
        ignite.message(ignite.cluster().forNodeId(driver)).send(replyTopic(pool), a.wire());
      } catch (RuntimeException e) {
        LOG.warn("cannot acknowledge to the driver of pool {}: {}", pool, e.toString());
      }
    }

    private void done(long seq, @Nullable Frame reply, @Nullable Throwable error) {
      synchronized (this) {
        running.remove(seq);
        if (closed) {
          return;
        }
      }
      ClusterMessage head = new ClusterMessage(ClusterMessage.FRAME, pool, worker, 0, 0, seq);
      try {
        var messaging = ignite.message(ignite.cluster().forNodeId(driver));
        if (reply != null) {
          ClusterMessage.Plan plan = new ClusterMessage.Plan(reply, head, new int[0], new long[0]);
          for (int i = 0; i < plan.count(); i++) {
            messaging.send(replyTopic(pool), plan.message(i));
          }
        } else {
          head.kind = ClusterMessage.ERROR;
          messaging.send(
              replyTopic(pool), head.wire(String.valueOf(error).getBytes(StandardCharsets.UTF_8)));
        }
      } catch (RuntimeException e) {
        LOG.warn("cannot reply to the driver of pool {}: {}", pool, e.toString());
      }
    }

    synchronized void cancel(long seq) {
      CompletableFuture<?> job = running.get(seq);
      if (job != null) {
        job.cancel(true);
      }
    }

    void close() {
      synchronized (this) {
        closed = true;
        partial.clear();
        ready.clear();
      }
      Thread t = new Thread(() -> lane.close(Duration.ofSeconds(2)), "jmor-cluster-close");
      t.setDaemon(true);
      t.start();
    }
  }
}
