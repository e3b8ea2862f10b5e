package org.jmor.parallel.processes;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.FrameStreams;
import org.jmor.parallel.spi.PendingReplies;
import org.jmor.parallel.spi.Transport;
import org.jmor.parallel.spi.TurnReader;
import org.jmor.parallel.spi.WorkerProcesses;
import org.jspecify.annotations.Nullable;

/**
 * The caller's side of the {@code processes} backend: a {@link Transport} to worker JVMs on this
 * host ({@link ProcessWorkerMain}), one loopback TCP connection each.
 *
 * <ul>
 *   <li><b>Start.</b> A server socket on 127.0.0.1 (an ephemeral port); the workers get a fresh
 *       random 32-byte secret per pool in their environment, connect, and send their index and the
 *       secret (compared in constant time): a wrong one is closed before any frame is read.
 *   <li><b>Wire.</b> {@link FrameStreams}: frames as chunks, and {@code CANCEL}, {@code CLOSE},
 *       {@code PING} (the workers' heartbeat).
 *   <li><b>Threads.</b> {@link #send} never waits (per-worker FIFO; a small frame is written by the
 *       calling thread). The replies of a worker are read by whichever thread holds its
 *       connection's turn: a caller that waits for a reply ({@link #progress}) takes the free turn
 *       and reads its reply itself, as a raw socket ping-pong does (no thread hop); a standby
 *       thread per worker reads when no caller does (replies of callers that wait on their future,
 *       heartbeats, the end of the connection), taking the turn only after a pause that doubles up
 *       to {@value #STANDBY_PAUSE_MILLIS} ms while callers hold it.
 *   <li><b>Loss.</b> A connection that ends or fails, a process that exits, or a worker silent for
 *       the heartbeat timeout fails that worker's requests with a {@link
 *       org.jmor.parallel.WorkerLostException} naming its process.
 * </ul>
 */
public final class ProcessesTransport implements Transport {
  /** The environment variable that carries the pool's secret to its workers (base64). */
  static final String SECRET_ENV = "JMOR_PROCESSES_SECRET";

  /** The kinds of message after {@link FrameStreams#FRAME} and {@link FrameStreams#PART}. */
  static final int CANCEL = 3, CLOSE = 4, PING = 5;

  /**
   * How long a waiting caller polls: on its reply while another thread reads it, before it parks;
   * the socket when it reads its reply itself and no other request is pending, before it blocks.
   */
  static final long SPIN_MICROS = 250;

  /** The longest wait of one read by the turn's holder, so that it can look up between reads. */
  static final int READ_WAIT_MILLIS = 10;

  /** The longest pause of the standby reader between two tries to take a free turn. */
  static final int STANDBY_PAUSE_MILLIS = 10;

  private final String name;
  private final WorkerProcesses processes;
  private final ServerSocket server;
  private final Socket[] sockets;
  private final FrameStreams.Writer[] writers;
  private final TurnReader[] readers;
  private final Thread[] standby;
  private final PendingReplies pending;

  private ProcessesTransport(
      WorkerProcesses processes, ServerSocket server, Socket[] sockets, @Nullable Duration silence)
      throws IOException {
    this.name = "processes[" + sockets.length + "]";
    this.processes = processes;
    this.server = server;
    this.sockets = sockets;
    int n = sockets.length;
    this.writers = new FrameStreams.Writer[n];
    this.readers = new TurnReader[n];
    this.standby = new Thread[n];
    this.pending = new PendingReplies(n, name, (w, s) -> writers[w].post(CANCEL, s));
    for (int i = 0; i < n; i++) {
      int w = i;
      writers[i] = writer(sockets[i], "jmor-" + name + "-" + i + "-writer");
      // (a PING is numbered -1 here, which is never pending: it is ignored)
      FrameStreams.Receiver r = (kind, s, b) -> pending.chunk(w, kind == PING ? -1 : s, b);
      readers[i] = new TurnReader(sockets[i], PING, CLOSE, r, silence);
      standby[i] = daemon("jmor-" + name + "-" + i + "-reader", () -> standby(w));
    }
    processes.onExit(this::lost);
  }

  /**
   * Starts {@code workers} worker JVMs and blocks until all have connected.
   *
   * @param workers at least 1
   * @param jvmOptions extra JVM options for the workers (after the caller's inherited ones)
   * @param startTimeout how long to wait for all workers to connect
   * @param silence how long a worker may send nothing before it is lost; null for ever
   * @return the transport
   * @throws IOException if the server socket or a JVM cannot be started (nothing is left running)
   * @throws IllegalStateException "k of N workers failed to start" with their last log lines
   */
  public static ProcessesTransport start(
      int workers, List<String> jvmOptions, Duration startTimeout, @Nullable Duration silence)
      throws IOException {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    String ping = silence == null ? "0" : "" + Math.max(50, Math.min(1000, silence.toMillis() / 4));
    ServerSocket server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    Socket[] sockets = new Socket[workers];
    WorkerProcesses processes = null;
    try { // on any failure, nothing is left running
      processes =
          WorkerProcesses.builder(ProcessWorkerMain.class.getName())
              .name("jmor-processes")
              .workers(workers)
              .arguments(i -> List.of("" + server.getLocalPort(), "" + i, ping))
              .jvmOptions(jvmOptions)
              .environment(Map.of(SECRET_ENV, Base64.getEncoder().encodeToString(secret)))
              .start();
      RuntimeException failure = accept(server, processes, sockets, secret, startTimeout);
      if (failure == null) {
        return new ProcessesTransport(processes, server, sockets, silence);
      }
      throw failure;
    } catch (IOException | RuntimeException e) {
      Arrays.stream(sockets).forEach(ProcessesTransport::closeQuietly);
      closeQuietly(server);
      if (processes != null) {
        processes.close(Duration.ZERO);
      }
      throw e;
    }
  }

  /** Accepts the workers' connections; returns the start failure, built before anything closes. */
  private static @Nullable RuntimeException accept(
      ServerSocket server, WorkerProcesses processes, Socket[] sockets, byte[] secret, Duration t)
      throws IOException {
    long deadline = System.nanoTime() + t.toNanos();
    while (true) {
      List<Integer> missing =
          IntStream.range(0, sockets.length).filter(i -> sockets[i] == null).boxed().toList();
      List<Integer> dead = missing.stream().filter(i -> !processes.process(i).isAlive()).toList();
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (missing.isEmpty()) {
        return null;
      } else if (!dead.isEmpty() || left <= 0) {
        return dead.isEmpty()
            ? processes.startFailure(missing, "no connection within " + t.toMillis() + " ms")
            : processes.startFailure(dead, "exited before connecting");
      }
      server.setSoTimeout((int) Math.max(1, Math.min(200, left)));
      Socket s = null;
      try {
        s = server.accept();
        s.setSoTimeout(2000);
        DataInputStream in = new DataInputStream(s.getInputStream());
        int index = in.readInt();
        byte[] got = new byte[secret.length];
        in.readFully(got);
        boolean ok = MessageDigest.isEqual(got, secret) && index >= 0 && index < sockets.length;
        if (ok && sockets[index] == null) {
          sockets[index] = s;
          s = null; // kept open
        }
      } catch (IOException e) {
        // a timeout, or a stranger that sent too little: look at the processes again
      } finally {
        closeQuietly(s); // a stranger, or a second connection for an index: nothing of it is read
      }
    }
  }

  /** The writing side of a connection, at either end: its failure closes the socket. */
  static FrameStreams.Writer writer(Socket socket, String name) throws IOException {
    socket.setTcpNoDelay(true);
    return new FrameStreams.Writer(socket.getOutputStream(), name, () -> closeQuietly(socket));
  }

  static Thread daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  static void closeQuietly(@Nullable AutoCloseable c) {
    try (c) {
      // only closed
    } catch (Exception e) {
      // closing anyway
    }
  }

  @Override
  public int size() {
    return sockets.length;
  }

  /**
   * Sends a request and returns at once (a small frame is written now if the connection is free,
   * else queued behind the worker's earlier frames). The reply fails with a {@link
   * org.jmor.parallel.WorkerLostException} if the worker is lost, with an {@link
   * IllegalStateException} after {@link #close}; an unknown worker throws {@link
   * IndexOutOfBoundsException}.
   */
  @Override
  public CompletableFuture<Frame> send(int worker, Frame request) {
    Objects.requireNonNull(request, "request");
    FrameStreams.Writer writer = writers[Objects.checkIndex(worker, sockets.length)];
    PendingReplies.Reply reply = pending.register(worker);
    if (!reply.isDone()) {
      writer.send(reply.sequence(), request);
    }
    return reply;
  }

  /**
   * Reads the reply in the calling thread if the worker's connection is free (a caller reads the
   * socket as in a raw ping-pong, polling it first, and completes its reply itself), else polls for
   * it for up to {@value #SPIN_MICROS} µs ({@link PendingReplies.Reply#spinUntilSettled}) while the
   * turn's holder reads it. Returns when the reply is done, at {@code deadline}, when the calling
   * thread is interrupted (within {@value #READ_WAIT_MILLIS} ms), or when the connection ended.
   */
  @Override
  public void progress(CompletableFuture<Frame> reply, long deadline) {
    if (!(reply instanceof PendingReplies.Reply r)) {
      return;
    }
    int w = r.worker();
    long spinEnd = System.nanoTime() + SPIN_MICROS * 1000L;
    while (!r.isDone()) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || readers[w].ended() != null || Thread.currentThread().isInterrupted()) {
        return; // an interrupted caller leaves at once
      } else if (readers[w].tryTake()) {
        int wait = (int) Math.max(1, Math.min(READ_WAIT_MILLIS, left / 1_000_000));
        try {
          long spin = pending.pendingCount() == 1 ? SPIN_MICROS * 1000 : 0; // a free core
          if (!r.isDone() && readers[w].read(wait, spin) != 0 && readers[w].ended() != null) {
            LockSupport.unpark(standby[w]); // it reports the loss
          }
        } finally {
          readers[w].release();
          if (pending.pendingCount(w) > 0) {
            LockSupport.unpark(standby[w]); // it reads on for the others
          }
        }
      } else if (System.nanoTime() - spinEnd >= 0) {
        return; // the holder completes the reply; the core blocks on it
      } else {
        Thread.onSpinWait();
      }
    }
    r.spinUntilSettled(deadline, SPIN_MICROS * 1000L); // completed by another thread
  }

  @Override
  public String describe() {
    return name;
  }

  /** The worker processes, for tests (to kill one). */
  WorkerProcesses processes() {
    return processes;
  }

  /**
   * The standby reader of a worker: reads when no caller does, pausing between its tries to take
   * the turn (up to {@value #STANDBY_PAUSE_MILLIS} ms, less while requests wait), and reports the
   * worker lost when its connection ends.
   */
  private void standby(int worker) {
    long pause = 100_000;
    TurnReader reader = readers[worker];
    while (reader.ended() == null) {
      if (reader.tryTake()) {
        try {
          reader.read(READ_WAIT_MILLIS);
        } finally {
          reader.release();
        }
        if (pending.pendingCount(worker) > 0) {
          continue; // a caller may wait on its future: read on
        }
      }
      LockSupport.parkNanos(pause); // callers read their own replies meanwhile
      pause = Math.min(2 * pause, STANDBY_PAUSE_MILLIS * 1_000_000L);
    }
    String why = java.util.Objects.requireNonNull(reader.ended());
    Process p = processes.process(worker); // its exit code, if it exits within a second
    if (!pending.isClosed()
        && !p.onExit().completeOnTimeout(p, 1, TimeUnit.SECONDS).join().isAlive()) {
      why = "its process " + p.pid() + " exited with code " + p.exitValue();
    }
    lost(worker, why.startsWith("its process") ? why : why + " (process " + p.pid() + ")");
  }

  private void lost(int worker, String why) {
    pending.workerLost(worker, why); // nothing is pending after close
    writers[worker].shutdown();
    closeQuietly(sockets[worker]);
  }

  /** Same as {@code close(Duration.ZERO)}: pending requests fail, the workers end now. */
  @Override
  public void close() {
    close(Duration.ZERO);
  }

  /**
   * Lets pending requests finish until {@code timeout}, fails the rest, tells the workers to stop
   * and ends their processes (killed after half a second). Blocks for at most about {@code timeout}
   * plus 6 s. Idempotent: later calls return an empty list at once.
   *
   * @param timeout how long to let pending requests finish
   * @return one line per request that was abandoned
   */
  @Override
  public synchronized List<String> close(Duration timeout) {
    if (pending.isClosed()) {
      return List.of();
    }
    pending.awaitIdle(timeout);
    List<String> abandoned = pending.close("the " + name + " pool was closed");
    for (int i = 0; i < sockets.length; i++) {
      writers[i].post(CLOSE, 0); // written now if the connection is free
      writers[i].shutdown();
      closeQuietly(sockets[i]); // the worker interrupts its task, exits on CLOSE or end of stream
    }
    var exits = IntStream.range(0, sockets.length).mapToObj(i -> processes.process(i).onExit());
    var unused = CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new));
    unused.completeOnTimeout(null, 500, TimeUnit.MILLISECONDS).join();
    processes.close(Duration.ZERO); // then killed
    closeQuietly(server);
    return abandoned;
  }
}
