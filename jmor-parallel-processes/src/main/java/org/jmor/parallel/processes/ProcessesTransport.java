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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 *   <li><b>Start.</b> {@link #start} opens a server socket on 127.0.0.1 (an ephemeral port), starts
 *       the workers with {@link WorkerProcesses} (a fresh random 32-byte secret per pool, passed in
 *       the environment only), and waits for each to connect and send its index and the secret
 *       (compared in constant time). A connection with a wrong secret is closed before any frame is
 *       read.
 *   <li><b>Wire.</b> Each message is a 16-byte header (kind, length, sequence number) and {@code
 *       length} bytes. Kinds: {@code FRAME} (a frame that is one {@link FrameChunks} chunk), {@code
 *       PART} (one chunk of a larger frame; the chunks of a frame travel back to back), {@code
 *       CANCEL}, {@code CLOSE}, and {@code PING} (the workers' heartbeat).
 *   <li><b>Order and threads.</b> {@link #send} may be called from any thread and never waits for a
 *       reply: a small frame is written by the calling thread when the worker's connection is free,
 *       anything else is queued for the connection's writer thread, so each worker gets its frames
 *       in the order of the {@code send} calls. One reader thread per worker completes the replies
 *       ({@link PendingReplies}); futures complete on it.
 *   <li><b>Loss.</b> A connection that ends or fails, a worker process that exits, or (with a
 *       heartbeat timeout) a worker that sends nothing for that long fails exactly that worker's
 *       requests with a {@link org.jmor.parallel.WorkerLostException} naming its process.
 * </ul>
 */
public final class ProcessesTransport implements Transport {
  /** The environment variable that carries the pool's secret to its workers (base64). */
  static final String SECRET_ENV = "JMOR_PROCESSES_SECRET";

  /** The kinds of message. */
  static final int FRAME = 1, PART = 2, CANCEL = 3, CLOSE = 4, PING = 5;

  /** The header's bytes, the data bytes per chunk, the largest message a sender writes itself. */
  static final int HEADER = 16, CHUNK = 1 << 20, DIRECT = 64 << 10;

  private final String name;
  private final WorkerProcesses processes;
  private final ServerSocket server;
  private final Wire[] wires;
  private final PendingReplies pending;
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean ended;

  private ProcessesTransport(
      WorkerProcesses processes, ServerSocket server, Socket[] sockets, @Nullable Duration silence)
      throws IOException {
    this.name = "processes[" + sockets.length + "]";
    this.processes = processes;
    this.server = server;
    this.wires = new Wire[sockets.length];
    this.pending =
        new PendingReplies(wires.length, name, (w, s) -> wires[w].post(message(CANCEL, s, null)));
    for (int i = 0; i < wires.length; i++) {
      sockets[i].setSoTimeout(silence == null ? 0 : (int) Math.max(1, silence.toMillis()));
      wires[i] = new Wire(sockets[i], "jmor-" + name + "-" + i);
    }
    for (int i = 0; i < wires.length; i++) {
      int w = i;
      daemon(wires[i].name + "-reader", () -> read(w, silence));
    }
    processes.onExit(this::lost);
  }

  /**
   * Starts {@code workers} worker JVMs and connects to them; blocks until all have connected.
   *
   * @param workers at least 1
   * @param jvmOptions extra JVM options for the workers (after the caller's inherited ones)
   * @param startTimeout how long to wait for all workers to connect
   * @param silence how long a worker may send nothing (not even its heartbeat) before it counts as
   *     lost; null for no limit
   * @return the transport
   * @throws IOException if the server socket or a JVM cannot be started
   * @throws IllegalStateException "k of N workers failed to start" (with their last log lines) if
   *     some did not connect in time or exited first
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
      String port = Integer.toString(server.getLocalPort());
      processes =
          WorkerProcesses.builder(ProcessWorkerMain.class.getName())
              .name("jmor-processes")
              .workers(workers)
              .arguments(i -> List.of(port, Integer.toString(i), ping))
              .jvmOptions(jvmOptions)
              .environment(Map.of(SECRET_ENV, Base64.getEncoder().encodeToString(secret)))
              .start();
      RuntimeException failure = accept(server, processes, sockets, secret, startTimeout);
      if (failure == null) {
        return new ProcessesTransport(processes, server, sockets, silence);
      }
      throw failure;
    } catch (IOException | RuntimeException e) {
      for (Socket s : sockets) {
        closeQuietly(s);
      }
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
      try {
        Socket s = server.accept();
        s.setSoTimeout(2000);
        DataInputStream in = new DataInputStream(s.getInputStream());
        int index = in.readInt();
        byte[] got = new byte[secret.length];
        in.readFully(got);
        boolean ok = MessageDigest.isEqual(got, secret) && index >= 0 && index < sockets.length;
        if (ok && sockets[index] == null) {
          sockets[index] = s;
        } else {
          s.close(); // a stranger, or a second connection for an index: nothing of it is read
        }
      } catch (IOException e) {
        // a timeout, or a stranger that sent too little: look at the processes again
      }
    }
  }

  /** Returns a whole message: the header, then the frame's only chunk (if a plan is given). */
  static byte[] message(int kind, long sequence, FrameChunks.@Nullable Plan plan) {
    byte[] m = plan == null ? new byte[HEADER] : plan.toByteArray(0, HEADER);
    ByteBuffer.wrap(m).putInt(kind).putInt(m.length - HEADER).putLong(sequence);
    return m;
  }

  /** What a reader does with a message; {@code body} is a view, of a reused array for a PART. */
  interface Receiver {
    void receive(int kind, long sequence, ByteBuffer body);
  }

  /**
   * Reads messages until a {@code CLOSE}: a FRAME's body in a new array (so that {@link
   * FrameChunks#read} may return views into it), a PART's in one reused array.
   */
  static void read(Socket socket, Receiver receiver) throws IOException {
    DataInputStream in =
        new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 << 10));
    byte[] part = new byte[0];
    for (int kind = 0; kind != CLOSE; ) {
      kind = in.readInt();
      int length = in.readInt();
      long seq = in.readLong();
      if (length < 0 || kind < FRAME || kind > PING) {
        throw new IOException("a corrupt message (kind " + kind + ", " + length + " bytes)");
      }
      part = kind == PART && part.length < length ? new byte[length] : part;
      byte[] b = kind == PART ? part : new byte[length];
      in.readFully(b, 0, length);
      receiver.receive(kind, seq, ByteBuffer.wrap(b, 0, length));
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
   * Sends a request to one worker and returns at once: the frame is written now (a small frame, if
   * the connection is free) or queued behind the worker's earlier frames.
   *
   * @param worker the worker index
   * @param request the request; not modified
   * @return the reply; failed with a {@link org.jmor.parallel.WorkerLostException} if the worker is
   *     lost, with an {@link IllegalStateException} after {@link #close}
   * @throws IndexOutOfBoundsException if there is no such worker
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
    String why;
    try {
      read(
          wires[worker].socket,
          (kind, seq, body) -> {
            if (kind == FRAME || kind == PART) {
              pending.chunk(worker, seq, body);
            }
          });
      why = "it closed its connection";
    } catch (SocketTimeoutException e) {
      why = "it sent nothing for " + silence + " (a frozen or stopped process?)";
    } catch (IOException e) {
      why = "its connection failed: " + e;
    }
    Process p = processes.process(worker); // its exit code, if it exits within a second
    if (!ended && !p.onExit().completeOnTimeout(p, 1, TimeUnit.SECONDS).join().isAlive()) {
      why = "its process " + p.pid() + " exited with code " + p.exitValue();
    }
    lost(worker, why.startsWith("its process") ? why : why + " (process " + p.pid() + ")");
  }

  private void lost(int worker, String why) {
    if (!ended) {
      pending.workerLost(worker, why);
      wires[worker].shutdown();
    }
  }

  /** Same as {@code close(Duration.ZERO)}: pending requests fail, the workers end now. */
  @Override
  public void close() {
    close(Duration.ZERO);
  }

  /**
   * Lets pending requests finish until {@code timeout}, then fails the rest, tells the workers to
   * stop and ends their processes (killed if they take more than half a second). Blocks for at most
   * about {@code timeout} plus 6 seconds. Idempotent: later calls return an empty list at once.
   *
   * @param timeout how long to let pending requests finish
   * @return one line per request that was abandoned
   */
  @Override
  public List<String> close(Duration timeout) {
    if (!closing.compareAndSet(false, true)) {
      return List.of();
    }
    pending.awaitIdle(timeout);
    List<String> abandoned = pending.close("the " + name + " pool was closed");
    ended = true;
    for (Wire w : wires) {
      w.post(message(CLOSE, 0, null)); // written now if the connection is free
      w.shutdown(); // the worker interrupts its task and exits on CLOSE or the end of the stream
    }
    var exits = IntStream.range(0, wires.length).mapToObj(i -> processes.process(i).onExit());
    var unused = CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new));
    unused.completeOnTimeout(null, 500, TimeUnit.MILLISECONDS).join();
    processes.close(Duration.ZERO); // then killed
    closeQuietly(server);
    return abandoned;
  }

  /** A frame queued for a writer thread. */
  private record Outgoing(long sequence, FrameChunks.Plan plan) {}

  /**
   * The writing side of a connection, at either end: a small message is written by the thread that
   * posts it when nothing else is being written, anything else by the connection's writer thread,
   * in the order posted. A failed write closes the socket, which ends the reader.
   */
  static final class Wire {
    final String name;
    final Socket socket;
    private final OutputStream out;
    private final Thread writer;
    private final ArrayDeque<Object> queue = new ArrayDeque<>(); // byte[] or Outgoing
    private boolean busy; // a thread writes to out; guarded by this
    private boolean shut; // guarded by this
    private byte[] buffer = new byte[0]; // for Outgoing frames, guarded by busy

    Wire(Socket socket, String name) throws IOException {
      this.name = name;
      this.socket = socket;
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      writer = daemon(name + "-writer", this::writeQueued);
    }

    /** Sends a frame as chunks; one small chunk is written now if the connection is free. */
    void send(long sequence, Frame frame) {
      FrameChunks.Plan plan = FrameChunks.plan(frame, CHUNK);
      boolean small = plan.count() == 1 && plan.length(0) <= DIRECT - HEADER;
      post(small ? message(FRAME, sequence, plan) : new Outgoing(sequence, plan));
    }

    /** Writes a small message now if nothing else is being written, else queues it. */
    void post(Object m) {
      synchronized (this) {
        if (shut || busy || !queue.isEmpty() || !(m instanceof byte[] b && b.length <= DIRECT)) {
          queue.add(m); // never written once shut
          notifyAll();
          return;
        }
        busy = true;
      }
      write(m);
    }

    private void write(Object m) {
      try {
        if (m instanceof Outgoing o) {
          for (int c = 0, count = o.plan().count(); c < count; c++) {
            int length = o.plan().length(c);
            buffer = buffer.length < HEADER + length ? new byte[HEADER + length] : buffer;
            ByteBuffer b = ByteBuffer.wrap(buffer).putInt(count == 1 ? FRAME : PART).putInt(length);
            o.plan().write(c, b.putLong(o.sequence()));
            out.write(buffer, 0, HEADER + length);
          }
        } else {
          out.write((byte[]) m);
        }
      } catch (IOException | RuntimeException e) {
        closeQuietly(socket); // the reader reports the loss
      } finally {
        synchronized (this) {
          busy = false;
          notifyAll();
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

    private synchronized Object next() throws InterruptedException {
      while (shut || busy || queue.isEmpty()) {
        wait();
      }
      busy = true;
      return queue.remove();
    }

    /** Stops the writer thread and disconnects; what is queued is dropped. */
    void shutdown() {
      synchronized (this) {
        shut = true;
        queue.clear();
      }
      writer.interrupt();
      closeQuietly(socket);
    }
  }
}
