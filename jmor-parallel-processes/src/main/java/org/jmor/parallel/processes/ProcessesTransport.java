package org.jmor.parallel.processes;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.FrameChunks;
import org.jmor.parallel.spi.PendingReplies;
import org.jmor.parallel.spi.Transport;
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
 *   <li><b>Wire.</b> Per message a 16-byte header (kind, length, sequence number), then {@code
 *       length} bytes: {@code FRAME} (a frame that is one {@link FrameChunks} chunk), {@code PART}
 *       (a chunk of a larger frame; its chunks travel back to back), {@code CANCEL}, {@code CLOSE},
 *       {@code PING} (the workers' heartbeat).
 *   <li><b>Threads.</b> {@link #send} never waits ({@link Wire}: per-worker FIFO); a reader thread
 *       per worker completes its replies ({@link PendingReplies}).
 *   <li><b>Loss.</b> A connection that ends or fails, a process that exits, or a worker silent for
 *       the heartbeat timeout fails that worker's requests with a {@link
 *       org.jmor.parallel.WorkerLostException} naming its process.
 * </ul>
 */
public final class ProcessesTransport implements Transport {
  /** The environment variable that carries the pool's secret to its workers (base64). */
  static final String SECRET_ENV = "JMOR_PROCESSES_SECRET";

  /** The kinds of message. */
  static final int FRAME = 1, PART = 2, CANCEL = 3, CLOSE = 4, PING = 5;

  /** The header's bytes, the data bytes per chunk, the largest message a sender writes itself. */
  static final int HEADER = 16, CHUNK = 1 << 20, DIRECT = 64 << 10;

  /** How long a caller blocked on a reply polls for it before it parks. */
  static final long SPIN_MICROS = 1000;

  private final String name;
  private final WorkerProcesses processes;
  private final ServerSocket server;
  private final Wire[] wires;
  private final PendingReplies pending;

  private ProcessesTransport(
      WorkerProcesses processes, ServerSocket server, Socket[] sockets, @Nullable Duration silence)
      throws IOException {
    this.name = "processes[" + sockets.length + "]";
    this.processes = processes;
    this.server = server;
    this.wires = new Wire[sockets.length];
    this.pending =
        new PendingReplies(
            wires.length, name, (w, s) -> wires[w].post(new Outgoing(CANCEL, s, null)));
    for (int i = 0; i < wires.length; i++) {
      int w = i;
      sockets[i].setSoTimeout(silence == null ? 0 : (int) Math.max(1, silence.toMillis()));
      wires[i] = new Wire(sockets[i], "jmor-" + name + "-" + i);
      daemon("jmor-" + name + "-" + i + "-reader", () -> read(w, silence));
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

  /** What a reader does with a message; {@code body} is a view, of a reused array for a PART. */
  interface Receiver {
    void receive(int kind, long sequence, ByteBuffer body);
  }

  /** Reads a connection's messages one at a time (not thread-safe). */
  static final class Inbox {
    private final DataInputStream in;
    private byte[] part = new byte[0];

    Inbox(Socket socket) throws IOException {
      in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 << 10));
    }

    /** Hands the next message to {@code r} (a FRAME's body in a new array); false after CLOSE. */
    boolean next(Receiver r) throws IOException {
      int kind = in.readInt();
      int length = in.readInt();
      long seq = in.readLong();
      if (length < 0 || kind < FRAME || kind > PING) {
        throw new IOException("a corrupt message (kind " + kind + ", " + length + " bytes)");
      }
      part = kind == PART && part.length < length ? new byte[length] : part;
      byte[] b = kind == PART ? part : new byte[length];
      in.readFully(b, 0, length);
      r.receive(kind, seq, ByteBuffer.wrap(b, 0, length));
      return kind != CLOSE;
    }
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
    return wires.length;
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
    Wire wire = wires[Objects.checkIndex(worker, wires.length)];
    PendingReplies.Reply reply = pending.register(worker);
    if (!reply.isDone()) {
      wire.send(reply.sequence(), request);
    }
    return reply;
  }

  /**
   * Polls for the reply in the calling thread for up to {@value #SPIN_MICROS} µs ({@link
   * PendingReplies.Reply#spinUntilSettled}): the reader thread that completes it then wakes no one.
   */
  @Override
  public void progress(CompletableFuture<Frame> reply, long deadline) {
    if (reply instanceof PendingReplies.Reply) {
      ((PendingReplies.Reply) reply).spinUntilSettled(deadline, Long.getLong("xspin", SPIN_MICROS) * 1000L);
    }
  }

  @Override
  public String describe() {
    return name;
  }

  /** The worker processes, for tests (to kill one). */
  WorkerProcesses processes() {
    return processes;
  }

  /** Completes the replies of a worker until its connection ends, which loses the worker. */
  private void read(int worker, @Nullable Duration silence) {
    String why = "it closed its connection";
    try {
      Inbox in = new Inbox(wires[worker].socket);
      // (a PING is numbered -1 here, which is never pending: it is ignored)
      Receiver r = (kind, seq, body) -> pending.chunk(worker, kind == PING ? -1 : seq, body);
      while (in.next(r)) {
        // a reply completes its future here: see progress
      }
    } catch (SocketTimeoutException e) {
      why = "it sent nothing for " + silence + " (a frozen or stopped process?)";
    } catch (IOException e) {
      why = "its connection failed: " + e;
    }
    Process p = processes.process(worker); // its exit code, if it exits within a second
    if (!pending.isClosed()
        && !p.onExit().completeOnTimeout(p, 1, TimeUnit.SECONDS).join().isAlive()) {
      why = "its process " + p.pid() + " exited with code " + p.exitValue();
    }
    lost(worker, why.startsWith("its process") ? why : why + " (process " + p.pid() + ")");
  }

  private void lost(int worker, String why) {
    pending.workerLost(worker, why); // nothing is pending after close
    wires[worker].shutdown();
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
    for (Wire w : wires) {
      w.post(new Outgoing(CLOSE, 0, null)); // written now if the connection is free
      w.shutdown(); // the worker interrupts its task and exits on CLOSE or the end of the stream
    }
    var exits = IntStream.range(0, wires.length).mapToObj(i -> processes.process(i).onExit());
    var unused = CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new));
    unused.completeOnTimeout(null, 500, TimeUnit.MILLISECONDS).join();
    processes.close(Duration.ZERO); // then killed
    closeQuietly(server);
    return abandoned;
  }

  /** A message to write: a frame's chunks ({@code FRAME} or {@code PART}), or a header alone. */
  record Outgoing(int kind, long sequence, FrameChunks.@Nullable Plan plan) {}

  /**
   * The writing side of a connection, at either end: a small message is written by the thread that
   * posts it when nothing else is being written, anything else by the connection's writer thread,
   * in the order posted. A failed write closes the socket, which ends the reader.
   */
  static final class Wire {
    final Socket socket;
    private final OutputStream out;
    private final Thread writer;
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private boolean busy; // a thread writes to out; guarded by this
    private byte[] buffer = new byte[0]; // guarded by busy

    Wire(Socket socket, String name) throws IOException {
      this.socket = socket;
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      writer = daemon(name + "-writer", this::writeQueued);
    }

    /** Sends a frame as chunks. */
    void send(long sequence, Frame frame) {
      post(new Outgoing(FRAME, sequence, FrameChunks.plan(frame, CHUNK)));
    }

    /** Writes a small message now if nothing else is being written, else queues it. */
    void post(Outgoing m) {
      FrameChunks.Plan p = m.plan();
      boolean small = p == null || (p.count() == 1 && p.length(0) <= DIRECT);
      synchronized (this) {
        if (busy || !queue.isEmpty() || !small) {
          queue.add(m); // never written after shutdown
          notifyAll();
          return;
        }
        busy = true;
      }
      write(m);
    }

    private void write(Outgoing m) {
      FrameChunks.Plan p = m.plan();
      try {
        for (int c = 0, count = p == null ? 1 : p.count(); c < count; c++) {
          int length = p == null ? 0 : p.length(c);
          buffer = buffer.length < HEADER + length ? new byte[HEADER + length] : buffer;
          ByteBuffer b = ByteBuffer.wrap(buffer).putInt(count > 1 ? PART : m.kind()).putInt(length);
          b.putLong(m.sequence());
          if (p != null) {
            p.write(c, b);
          }
          out.write(buffer, 0, HEADER + length);
        }
      } catch (IOException | RuntimeException e) {
        closeQuietly(socket); // the reader reports the loss
      } finally {
        synchronized (this) {
          busy = false;
          if (!queue.isEmpty()) {
            notifyAll(); // (only then: a writer woken for nothing costs a thread hop per message)
          }
        }
      }
    }

    private void writeQueued() {
      try {
        while (true) {
          write(next());
        }
      } catch (InterruptedException e) {
        // shut down
      }
    }

    private synchronized Outgoing next() throws InterruptedException {
      while (busy || queue.isEmpty()) {
        wait();
      }
      busy = true;
      return queue.remove();
    }

    /** Stops the writer thread and disconnects; what is queued is dropped. */
    void shutdown() {
      synchronized (this) {
        queue.clear();
      }
      writer.interrupt(); // ends its wait
      closeQuietly(socket);
    }
  }
}
