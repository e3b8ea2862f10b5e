package org.jmor.parallel.cluster;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteMessaging;
import org.apache.ignite.events.DiscoveryEvent;
import org.apache.ignite.events.EventType;
import org.jmor.parallel.spi.Frame;
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

  /**
   * One pool on this worker. Its requests run one at a time, in the order of their sequence
   * numbers, on the Ignite thread that delivered the next one in order (Ignite's public pool, whose
   * threads only deliver messages here): no hand-over to another thread on the way to the task or
   * back. A request that arrives while another of the pool runs waits in {@link #ready}, and the
   * thread that runs requests takes it next.
   */
  private final class PoolState {
    private final UUID driver;
    private final long pool;
    private final int worker;
    private final WorkerRuntime runtime;
    private final IgniteMessaging toDriver;
    private final Map<Long, ClusterMessage.Assembly> partial = new HashMap<>();
    private final TreeMap<Long, Frame> ready = new TreeMap<>();
    private final Set<Long> cancelled = new HashSet<>();
    private long next;
    private boolean closed;
    private boolean draining; // a thread runs this pool's requests
    private @Nullable Thread runner; // the thread while it runs a task
    private long running = -1;

    PoolState(UUID driver, ClusterMessage first) {
      this.driver = driver;
      this.pool = first.pool;
      this.worker = first.worker;
      this.runtime = new WorkerRuntime(first.worker, first.size, first.seed);
      this.toDriver = ignite.message(ignite.cluster().forNodeId(driver));
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
        if (m.msgCount > ClusterTransport.WINDOW) {
          ack(m); // only a frame of more than WINDOW messages waits for acknowledgements
        }
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
        // messages may overtake each other: requests run in the order of their numbers
        ready.put(m.seq, whole);
        if (draining) {
          return; // the thread that runs this pool's requests takes it
        }
        draining = true;
      }
      drain();
    }

    /** Runs the ready requests in order, on this thread, until the next one is missing. */
    private void drain() {
      while (true) {
        long seq;
        Frame request;
        synchronized (this) {
          if (closed || ready.isEmpty() || ready.firstKey() != next) {
            draining = false;
            return;
          }
          seq = next++;
          request = java.util.Objects.requireNonNull(ready.remove(seq));
          if (cancelled.remove(seq)) {
            continue; // the driver gave it up
          }
          runner = Thread.currentThread();
          running = seq;
        }
        Frame reply;
        try {
          reply = runtime.handle(request); // never throws: failures become replies
        } finally {
          synchronized (this) {
            runner = null;
            running = -1;
            Thread.interrupted(); // a cancellation meant for this task ends with it
          }
        }
        reply(seq, reply);
      }
    }

    /** Acknowledges a message of a large frame, for the driver's flow control. */
    private void ack(ClusterMessage m) {
      ClusterMessage a = new ClusterMessage(ClusterMessage.ACK, pool, worker, 0, 0, m.seq);
      a.transfer = m.transfer;
      a.msgIndex = m.msgIndex;
      try {
        toDriver.send(replyTopic(pool), a.wire());
      } catch (RuntimeException e) {
        LOG.warn("cannot acknowledge to the driver of pool {}: {}", pool, e.toString());
      }
    }

    private void reply(long seq, Frame reply) {
      synchronized (this) {
        if (closed) {
          return;
        }
      }
      ClusterMessage head = new ClusterMessage(ClusterMessage.FRAME, pool, worker, 0, 0, seq);
      try {
        ClusterMessage.Plan plan = new ClusterMessage.Plan(reply, head, new int[0], new long[0]);
        for (int i = 0; i < plan.count(); i++) {
          toDriver.send(replyTopic(pool), plan.message(i));
        }
      } catch (RuntimeException e) {
        LOG.warn("cannot reply to the driver of pool {}: {}", pool, e.toString());
      }
    }

    /** Interrupts request {@code seq} while it runs, or drops it before it runs. */
    synchronized void cancel(long seq) {
      Thread t = runner;
      if (running == seq && t != null) {
        t.interrupt();
      } else if (seq >= next) {
        cancelled.add(seq);
      }
    }

    /** Drops what waits; a task that still runs after 2 s is interrupted. */
    void close() {
      synchronized (this) {
        closed = true;
        partial.clear();
        ready.clear();
        cancelled.clear();
        if (runner == null) {
          return;
        }
      }
      Thread t =
          new Thread(
              () -> {
                long deadline = System.nanoTime() + 2_000_000_000L;
                try {
                  while (System.nanoTime() - deadline < 0) {
                    synchronized (this) {
                      if (runner == null) {
                        return;
                      }
                    }
                    Thread.sleep(10);
                  }
                } catch (InterruptedException e) {
                  return;
                }
                synchronized (this) {
                  Thread r = runner;
                  if (r != null) {
                    r.interrupt();
                  }
                }
              },
              "jmor-cluster-close");
      t.setDaemon(true);
      t.start();
    }
  }
}
