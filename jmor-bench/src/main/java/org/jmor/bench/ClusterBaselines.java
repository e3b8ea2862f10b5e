package org.jmor.bench;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCompute;
import org.apache.ignite.IgniteMessaging;
import org.apache.ignite.lang.IgniteBiPredicate;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;
import org.jmor.parallel.cluster.IgniteAccess;
import org.jmor.parallel.cluster.IgniteCluster;

/**
 * Raw Apache Ignite operations on the nodes of an {@link IgniteCluster}, without the pool, as the
 * baselines of {@code ./jmor bench cluster}: a targeted compute call, a messaging ping-pong (the
 * worker's own PING/PONG, no jmor runtime involved) and a bulk messaging transfer to a listener
 * that acknowledges once it has every byte. What it needs from the cluster module comes through its
 * public hook {@link IgniteAccess}.
 */
public final class ClusterBaselines implements AutoCloseable {
  private static final String BULK_TOPIC = "jmor.bench.bulk";
  private static final String ACK_TOPIC = "jmor.bench.ack";
  private static final long PING_POOL = Long.MAX_VALUE - 7;

  private final Ignite ignite;
  private final UUID[] nodes;
  private final IgniteCompute[] compute;
  private final IgniteMessaging[] messaging;
  private final AtomicReference<CompletableFuture<Void>> pong = new AtomicReference<>();
  private final CompletableFuture<?>[] acks;
  private final IgniteBiPredicate<UUID, Object> pongListener;
  private final IgniteBiPredicate<UUID, Object> ackListener;
  private final UUID[] remote;

  /**
   * Prepares the baselines on a running cluster.
   *
   * @param cluster the cluster
   */
  public ClusterBaselines(IgniteCluster cluster) {
    this.ignite = IgniteAccess.driver(cluster);
    int n = cluster.size();
    nodes = new UUID[n];
    compute = new IgniteCompute[n];
    messaging = new IgniteMessaging[n];
    acks = new CompletableFuture<?>[n];
    remote = new UUID[n];
    for (int i = 0; i < n; i++) {
      nodes[i] = IgniteAccess.workerNode(cluster, i);
      compute[i] = ignite.compute(ignite.cluster().forNodeId(nodes[i]));
      messaging[i] = ignite.message(ignite.cluster().forNodeId(nodes[i]));
    }
    pongListener =
        (from, msg) -> {
          CompletableFuture<Void> f = pong.get();
          if (f != null) {
            f.complete(null);
          }
          return true;
        };
    ignite
        .message(ignite.cluster().forLocal())
        .localListen(IgniteAccess.pongTopic(PING_POOL), pongListener);
    ackListener =
        (from, msg) -> {
          for (int i = 0; i < nodes.length; i++) {
            if (nodes[i].equals(from) && acks[i] != null) {
              acks[i].complete(null);
            }
          }
          return true;
        };
    ignite.message(ignite.cluster().forLocal()).localListen(ACK_TOPIC, ackListener);
    for (int i = 0; i < n; i++) {
      remote[i] = messaging[i].remoteListen(BULK_TOPIC, new BulkListener());
    }
  }

  /** The task of the raw call: returns a constant. */
  private static final class Trivial implements IgniteCallable<Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer call() {
      return 1;
    }
  }

  private static final Trivial TRIVIAL = new Trivial();

  /**
   * One targeted compute call to a worker: {@code compute(forNodeId(id)).call(closure)}.
   *
   * @param worker the worker
   * @return the closure's value
   */
  public int call(int worker) {
    return compute[worker].call(TRIVIAL);
  }

  /**
   * The same call on every worker at once ({@code callAsync}), then waits for all.
   *
   * @return the sum of the values
   */
  public int callAll() {
    var futures = new org.apache.ignite.lang.IgniteFuture<?>[compute.length];
    for (int i = 0; i < compute.length; i++) {
      futures[i] = compute[i].callAsync(TRIVIAL);
    }
    int sum = 0;
    for (var f : futures) {
      sum += (Integer) f.get();
    }
    return sum;
  }

  /**
   * One messaging round trip to a worker: a PING to its request topic, its PONG back.
   *
   * @param worker the worker
   * @throws Exception if no answer comes within 10 s
   */
  public void ping(int worker) throws Exception {
    CompletableFuture<Void> f = new CompletableFuture<>();
    pong.set(f);
    messaging[worker].send(IgniteAccess.pingTopic(), IgniteAccess.pingMessage(PING_POOL, worker));
    f.get(10, TimeUnit.SECONDS);
  }

  /**
   * Sends {@code bytes} to every worker as raw {@code byte[]} messages of at most {@code chunk}
   * bytes (prepared beforehand: not timed) and waits until each has acknowledged every byte.
   *
   * @param chunks the messages, prepared with {@link #chunks}
   * @throws Exception if an acknowledgement does not come within 60 s
   */
  public void bulk(byte[][] chunks) throws Exception {
    for (int i = 0; i < nodes.length; i++) {
      acks[i] = new CompletableFuture<>();
    }
    for (int i = 0; i < nodes.length; i++) {
      for (byte[] c : chunks) {
        messaging[i].send(BULK_TOPIC, c);
      }
    }
    for (CompletableFuture<?> a : acks) {
      a.get(60, TimeUnit.SECONDS);
    }
  }

  /**
   * Splits {@code total} bytes into messages of at most {@code chunk} bytes; the first 8 bytes of
   * each say the total.
   *
   * @param total the bytes to send
   * @param chunk the largest message
   * @return the messages
   */
  public static byte[][] chunks(long total, int chunk) {
    int n = (int) Math.max(1, (total + chunk - 1) / chunk);
    byte[][] out = new byte[n][];
    long left = total;
    for (int i = 0; i < n; i++) {
      int len = (int) Math.min(chunk, left);
      left -= len;
      byte[] m = new byte[8 + len];
      java.nio.ByteBuffer.wrap(m).putLong(total);
      for (int k = 8; k < m.length; k += 4096) {
        m[k] = (byte) k;
      }
      out[i] = m;
    }
    return out;
  }

  /** On a worker: counts the bytes of a bulk transfer and acknowledges the last one. */
  private static final class BulkListener implements IgniteBiPredicate<UUID, Object> {
    private static final long serialVersionUID = 1L;

    @IgniteInstanceResource private transient Ignite local;
    private transient long received;

    @Override
    public boolean apply(UUID from, Object msg) {
      byte[] m = (byte[]) msg;
      long total = java.nio.ByteBuffer.wrap(m).getLong();
      boolean done;
      synchronized (this) {
        received += m.length - 8;
        done = received >= total;
        if (done) {
          received = 0;
        }
      }
      if (done) {
        local.message(local.cluster().forNodeId(from)).send(ACK_TOPIC, new byte[1]);
      }
      return true;
    }
  }

  @Override
  public void close() {
    try {
      ignite
          .message(ignite.cluster().forLocal())
          .stopLocalListen(IgniteAccess.pongTopic(PING_POOL), pongListener);
      ignite.message(ignite.cluster().forLocal()).stopLocalListen(ACK_TOPIC, ackListener);
      for (int i = 0; i < nodes.length; i++) {
        if (remote[i] != null) {
          messaging[i].stopRemoteListen(remote[i]);
        }
      }
    } catch (RuntimeException e) {
      // the cluster is closing
    }
  }
}
