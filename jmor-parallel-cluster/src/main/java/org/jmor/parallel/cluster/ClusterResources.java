package org.jmor.parallel.cluster;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.jmor.parallel.spi.WorkerProcesses;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a cluster holds on this host, from the first step of its start to the end of its close: its
 * temporary directory (with the generated key store and the logs), {@code keytool} while it runs,
 * the worker JVMs, the class-data archive being recorded, and this JVM's client node. It is ended
 * exactly once, by {@link IgniteCluster#close()}, by a failed start, or by the JVM's shutdown hook
 * (Ctrl-C, SIGTERM, {@code System.exit}) that {@link #register} installs before anything is made,
 * whichever comes first; a second caller waits for the first.
 *
 * <p>Once the end has begun nothing new is made: every step of a start that makes a file or a
 * process runs under this object's lock and first checks that the end has not begun ({@link
 * #check}), and the end takes the same lock before it looks at what there is. The end interrupts
 * the thread that is starting the client node and waits (bounded) until it has left {@code
 * Ignition.start}, so that Ignite does not recreate the directory after it was deleted.
 *
 * <p>At the JVM's exit the workers are killed at once (SIGKILL, no grace: the exit must be quick,
 * and a class-data archive being recorded is dropped); {@link IgniteCluster#close()} lets them end
 * by themselves first.
 */
final class ClusterResources {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterResources.class);

  /** How long the end waits for the client node to stop, or for a start of it to give up. */
  private static final long DRIVER_WAIT_MILLIS = 3000;

  private final String name;
  private final Thread hook;
  private final CountDownLatch ended = new CountDownLatch(1);
  private boolean ending; // guarded by this
  private @Nullable Path dir; // guarded by this
  private ClusterKeyStore.@Nullable Generation keytool; // guarded by this
  private @Nullable ClusterKeyStore generatedKey; // guarded by this
  private @Nullable WorkerProcesses processes; // guarded by this
  private ClassDataSharing.@Nullable Plan cds; // guarded by this
  private @Nullable Thread driverStarter; // guarded by this
  private @Nullable Ignite driver; // guarded by this
  private Duration workerGrace = Duration.ofSeconds(4); // guarded by this

  private ClusterResources(String name) {
    this.name = name;
    this.hook = new Thread(() -> end(true), name + "-shutdown");
  }

  /**
   * Registers the shutdown hook that ends everything this object will hold.
   *
   * @param name a name for the hook's thread and messages, for example {@code jmor-cluster-ID}
   * @return the resources, holding nothing yet
   * @throws InterruptedIOException if the JVM is shutting down already (nothing was made)
   */
  static ClusterResources register(String name) throws InterruptedIOException {
    ClusterResources r = new ClusterResources(name);
    try {
      Runtime.getRuntime().addShutdownHook(r.hook);
    } catch (IllegalStateException e) {
      throw interrupted("the JVM is shutting down", e);
    }
    return r;
  }

  private static InterruptedIOException interrupted(String why, @Nullable Throwable cause) {
    InterruptedIOException e = new InterruptedIOException("interrupted: " + why);
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }

  /** Throws if the end has begun; call with this object's lock held. */
  private void check() throws InterruptedIOException {
    if (ending) {
      throw interrupted("the cluster " + name + " is being closed (the JVM is exiting?)", null);
    }
  }

  /** Whether the end has begun. */
  synchronized boolean ending() {
    return ending;
  }

  /**
   * Creates the temporary directory (mode 0700) that the end deletes.
   *
   * @param prefix the directory's name prefix
   * @return the directory
   * @throws IOException if it cannot be created, or the end has begun
   */
  synchronized Path createDirectory(String prefix) throws IOException {
    check();
    Path d = Files.createTempDirectory(prefix);
    dir = d;
    return d;
  }

  /**
   * Starts generating the cluster's key into the directory; the end stops keytool and deletes the
   * file.
   *
   * @param file the key store to create
   * @param subject the certificate's name
   * @return the running generation
   * @throws IOException if keytool cannot be started, or the end has begun
   */
  synchronized ClusterKeyStore.Generation startKeytool(Path file, String subject)
      throws IOException {
    check();
    ClusterKeyStore.Generation g = ClusterKeyStore.startGenerating(file, subject);
    keytool = g;
    generatedKey = g.store();
    return g;
  }

  /**
   * Waits for keytool, then moves the key store into place, unless the end has begun meanwhile.
   *
   * @param g the generation of {@link #startKeytool}
   * @throws IOException if keytool failed, or the end has begun (then no key file is left)
   */
  void awaitKey(ClusterKeyStore.Generation g) throws IOException {
    g.awaitProcess();
    synchronized (this) {
      check();
      g.install();
    }
  }

  /**
   * Starts the worker JVMs.
   *
   * @param launcher the launcher, with everything but the start
   * @param grace how long {@link IgniteCluster#close()} lets them end by themselves
   * @param plan the class-data archive they record, or null
   * @return the running workers
   * @throws IOException if they cannot be started, or the end has begun (then none runs)
   */
  synchronized WorkerProcesses launch(
      WorkerProcesses.Builder launcher, Duration grace, ClassDataSharing.@Nullable Plan plan)
      throws IOException {
    check();
    cds = plan;
    WorkerProcesses p = launcher.start();
    processes = p;
    workerGrace = grace;
    return p;
  }

  /** The worker JVMs, or null (not started, or a connected cluster). */
  synchronized @Nullable WorkerProcesses processes() {
    return processes;
  }

  /**
   * Starts this JVM's client node; the end interrupts the start and waits until it has given up.
   *
   * @param start starts the node ({@code Ignition.start})
   * @return the node
   * @throws InterruptedIOException if the end has begun (before or during the start)
   */
  Ignite startDriver(java.util.function.Supplier<Ignite> start) throws InterruptedIOException {
    synchronized (this) {
      check();
      driverStarter = Thread.currentThread();
    }
    Ignite node = null;
    try {
      node = start.get();
    } catch (RuntimeException e) {
      synchronized (this) {
        if (ending) {
          throw interrupted("the cluster " + name + " was closed while its node started", e);
        }
      }
      throw e;
    } finally {
      synchronized (this) {
        driverStarter = null;
        driver = node;
        notifyAll();
      }
    }
    synchronized (this) {
      // the end began during the start: it stops the node
      check();
    }
    return node;
  }

  /**
   * Ends everything, once: stops the client node (bounded), ends the workers (at the JVM's exit at
   * once, else with their grace), stops keytool, finishes or drops the class-data archive, and
   * deletes the key store and the directory. A second caller waits (bounded) for the first.
   *
   * @param atExit whether the JVM is exiting (the shutdown hook)
   */
  void end(boolean atExit) {
    boolean first;
    @Nullable Thread starter;
    ClusterKeyStore.@Nullable Generation kt;
    @Nullable WorkerProcesses wp;
    Duration grace;
    synchronized (this) {
      first = !ending;
      ending = true;
      starter = driverStarter;
      kt = keytool;
      wp = processes;
      grace = atExit ? Duration.ZERO : workerGrace;
    }
    if (!first) {
      awaitEnded();
      return;
    }
    try {
      if (kt != null) {
        kt.abort();
      }
      if (atExit && wp != null) {
        // first, so that the client node stops fast: nobody is left to say goodbye to
        wp.close(Duration.ZERO);
      }
      if (starter != null) {
        starter.interrupt();
      }
      awaitDriverStart();
      @Nullable Ignite node;
      synchronized (this) {
        node = driver;
      }
      if (node != null) {
        stopNode(node.name());
      }
      if (wp != null) {
        wp.close(grace);
      }
      ClassDataSharing.@Nullable Plan plan;
      @Nullable ClusterKeyStore key;
      @Nullable Path d;
      synchronized (this) {
        plan = cds;
        key = generatedKey;
        d = dir;
      }
      if (plan != null) {
        boolean ok = false;
        if (wp != null && !atExit) {
          Process worker0 = wp.process(0);
          ok = !worker0.isAlive() && worker0.exitValue() == 0;
        }
        plan.finish(ok);
      }
      if (key != null) {
        key.delete();
      }
      if (d != null) {
        IgniteWorkerMain.deleteTree(d);
        if (Files.exists(d)) {
          LOG.debug("{}: could not delete all of {}", name, d);
        }
      }
    } finally {
      ended.countDown();
      if (!atExit) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // the JVM is shutting down: the hook finds everything ended
        }
      }
    }
  }

  /** Stops a node, waiting at most {@link #DRIVER_WAIT_MILLIS}. */
  private void stopNode(String nodeName) {
    Thread stop = new Thread(() -> Ignition.stop(nodeName, true), name + "-stop");
    stop.setDaemon(true);
    stop.start();
    try {
      stop.join(DRIVER_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits (bounded) until no thread is inside the client node's start. */
  private synchronized void awaitDriverStart() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRIVER_WAIT_MILLIS);
    long left;
    while (driverStarter != null && (left = deadline - System.nanoTime()) > 0) {
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void awaitEnded() {
    try {
      if (!ended.await(15, TimeUnit.SECONDS)) {
        LOG.debug("{}: the end by another thread did not finish within 15 s", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "ClusterResources[" + name + "]";
  }
}
