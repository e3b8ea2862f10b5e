package org.jmor.parallel.cluster;

import java.util.UUID;
import org.apache.ignite.Ignite;

/**
 * Raw access to the Ignite nodes of a running {@link IgniteCluster}, for baselines and diagnostics
 * that measure Ignite itself beside the pool ({@code jmor-bench}'s cluster benchmark). A pool user
 * never needs it. Every method is non-blocking and copies nothing; the returned objects belong to
 * the cluster and stop working when it closes.
 *
 * <p>The ping pair ({@link #pingTopic}, {@link #pingMessage}, {@link #pongTopic}) is the worker's
 * own liveness probe: a message sent to a worker node on {@link #pingTopic()} makes it answer the
 * sender with a message on {@link #pongTopic(long)} of the same tag, without any pool involved.
 */
public final class IgniteAccess {
  private IgniteAccess() {}

  /**
   * Returns this JVM's client node in the cluster.
   *
   * @param cluster the cluster
   * @return its client node
   * @throws IllegalStateException if the cluster is not connected (not yet, or closed)
   */
  public static Ignite driver(IgniteCluster cluster) {
    Ignite d = cluster.driver();
    if (d == null) {
      throw new IllegalStateException("cluster " + cluster.id() + " is not connected");
    }
    return d;
  }

  /**
   * Returns the Ignite node id of a worker.
   *
   * @param cluster the cluster
   * @param worker the worker index, {@code 0 <= worker < cluster.size()}
   * @return its node id
   * @throws IndexOutOfBoundsException if there is no such worker
   */
  public static UUID workerNode(IgniteCluster cluster, int worker) {
    if (worker < 0 || worker >= cluster.size()) {
      throw new IndexOutOfBoundsException(
          "worker " + worker + " of a cluster of " + cluster.size() + " workers");
    }
    return cluster.workerNode(worker);
  }

  /**
   * Returns the topic on which worker nodes listen for requests (and pings).
   *
   * @return the topic
   */
  public static String pingTopic() {
    return IgniteNodes.REQUEST_TOPIC;
  }

  /**
   * Returns a ping to send (as a {@code byte[]} message) to worker {@code worker} on {@link
   * #pingTopic()}; its answer comes on {@link #pongTopic(long) pongTopic(tag)}. Use a tag that no
   * pool uses (pools count up from 1; a large constant is safe).
   *
   * @param tag the tag of the answer's topic
   * @param worker the index of the worker the ping is for
   * @return a fresh message
   */
  public static byte[] pingMessage(long tag, int worker) {
    return new ClusterMessage(ClusterMessage.PING, tag, worker, 0).wire();
  }

  /**
   * Returns the topic on which the answers to pings of {@code tag} arrive at the sender.
   *
   * @param tag the tag given to {@link #pingMessage}
   * @return the topic
   */
  public static String pongTopic(long tag) {
    return WorkerService.replyTopic(tag);
  }
}
