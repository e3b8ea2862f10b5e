package org.jmor.parallel.cluster;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteMessaging;
import org.apache.ignite.events.DiscoveryEvent;
import org.apache.ignite.events.EventType;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.FrameChunks;
import org.jmor.parallel.spi.WorkerHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side on a server node: one {@link WorkerHost} per driver node, which keeps a {@link
 * org.jmor.parallel.spi.WorkerRuntime} per pool of that driver (opened by the core's open-pool
 * frame), so two pools never see each other's objects. Requests are put together from their chunks
 * and run in the order of their sequence numbers, on the Ignite thread that delivered the request
 * when its pool is idle ({@link WorkerHost#runHere}: no hand-over to another thread on the way to
 * the task or back), else on the pool's lane; replies go back to the driver's topic of the pool. A
 * driver that leaves or fails takes its pools with it.
 */
final class WorkerService {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerService.class);

  /** How long a closed pool's running task may go on before it is interrupted. */
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

  private final Ignite ignite;
  private final int index;
  private final Map<UUID, Driver> drivers = new ConcurrentHashMap<>();
  private final ExecutorService closer =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "jmor-cluster-close");
            t.setDaemon(true);
            return t;
          });

  private WorkerService(Ignite ignite, int index) {
    this.ignite = ignite;
    this.index = index;
  }

  /** Installs the service on a started server node. */
  static void install(Ignite ignite, int index) {
    WorkerService service = new WorkerService(ignite, index);
    ignite
        .message(ignite.cluster().forLocal())
        .localListen(
            IgniteNodes.REQUEST_TOPIC,
            (UUID from, Object msg) -> {
              service.receive(from, ClusterMessage.parse(msg));
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

  private void receive(UUID from, ClusterMessage m) {
    if (m.kind == ClusterMessage.PING) {
      send(from, m.pool, new ClusterMessage(ClusterMessage.PONG, m.pool, index, m.seq).wire());
      return;
    }
    long seq = m.kind == ClusterMessage.FRAME ? m.seqFor(index) : m.worker == index ? m.seq : -1;
    if (seq < 0) {
      LOG.warn(
          "worker {} received a message for other workers (kind {}, pool {})",
          index,
          m.kind,
          m.pool);
      return;
    }
    Driver d = drivers.get(from);
    if (d == null) {
      if (ignite.cluster().node(from) == null) {
        return; // the driver has left: its pools are closed
      }
      d = drivers.computeIfAbsent(from, Driver::new);
    }
    switch (m.kind) {
      case ClusterMessage.FRAME -> d.frame(m, seq);
      case ClusterMessage.CANCEL -> d.host.cancel(m.pool, seq);
      case ClusterMessage.CLOSE -> {
        Driver driver = d;
        driver.partial.keySet().removeIf(k -> k.pool() == m.pool);
        closer.execute(() -> driver.host.closePool(m.pool, CLOSE_GRACE));
      }
      default -> LOG.warn("ignoring a message of unknown kind {}", m.kind);
    }
  }

  private void driverGone(UUID node) {
    Driver d = drivers.remove(node);
    if (d != null) {
      closer.execute(() -> d.host.close(CLOSE_GRACE));
    }
  }

  private void send(UUID driver, long pool, byte[] message) {
    send(ignite.message(ignite.cluster().forNodeId(driver)), pool, message);
  }

  private static void send(IgniteMessaging to, long pool, byte[] message) {
    try {
      to.send(replyTopic(pool), message);
    } catch (RuntimeException e) {
      LOG.warn("cannot answer the driver of pool {}: {}", pool, e.toString());
    }
  }

  /** A request of a pool that arrives in several chunks. */
  private record Key(long pool, long seq) {}

  /** The pools of one driver node. */
  private final class Driver {
    final IgniteMessaging toDriver;
    final WorkerHost host;
    final Map<Key, FrameChunks.Assembly> partial = new ConcurrentHashMap<>();

    Driver(UUID node) {
      toDriver = ignite.message(ignite.cluster().forNodeId(node));
      host = new WorkerHost("jmor-cluster-worker" + index, this::reply);
    }

    void frame(ClusterMessage m, long seq) {
      ByteBuffer chunk = m.body();
      Frame whole;
      Key key = new Key(m.pool, seq);
      try {
        int count = FrameChunks.chunkCount(chunk);
        if (count == 1) {
          whole = m.frame();
        } else if (m.hasDirectParts()) {
          throw new IllegalArgumentException("a chunk of " + count + " with arrays beside it");
        } else {
          // outside any lock: the chunks of one frame are copied in parallel
          whole = partial.computeIfAbsent(key, k -> new FrameChunks.Assembly()).add(chunk);
          if (count > ClusterTransport.WINDOW) {
            // only a frame of more than WINDOW messages waits for acknowledgements
            ClusterMessage ack = new ClusterMessage(ClusterMessage.ACK, m.pool, index, seq);
            ack.transfer = m.transfer;
            send(toDriver, m.pool, ack.wire());
          }
          if (whole == null) {
            return;
          }
          partial.remove(key);
        }
      } catch (IllegalArgumentException e) {
        partial.remove(key);
        host.cancel(m.pool, seq); // later requests need not wait for it
        error(m.pool, seq, "its request is corrupt: " + e.getMessage());
        return;
      }
      CompletableFuture<Frame> reply = host.receive(m.pool, seq, whole);
      host.runHere(reply);
    }

    private void reply(long pool, long seq, Frame reply) {
      ClusterMessage head = new ClusterMessage(ClusterMessage.FRAME, pool, index, seq);
      try {
        ClusterMessage.Outgoing plan = ClusterMessage.Outgoing.of(reply);
        for (int i = 0; i < plan.count(); i++) {
          toDriver.send(replyTopic(pool), plan.wire(head, i));
        }
      } catch (RuntimeException e) {
        LOG.warn("cannot reply to the driver of pool {}: {}", pool, e.toString());
        error(pool, seq, "cannot send its reply: " + e);
      }
    }

    private void error(long pool, long seq, String text) {
      send(toDriver, pool, new ClusterMessage(ClusterMessage.ERROR, pool, index, seq).wire(text));
    }
  }
}
