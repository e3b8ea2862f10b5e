package org.jmor.parallel.processes;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.FrameChunks;
import org.jmor.parallel.spi.FrameStreams;
import org.jmor.parallel.spi.TurnReader;
import org.jmor.parallel.spi.WorkerHost;
import org.jmor.parallel.spi.WorkerProcesses;
import org.jspecify.annotations.Nullable;

/**
 * The main class of a worker JVM of the {@code processes} pool, started by {@link
 * ProcessesTransport#start} with the caller's port, the worker's index and the heartbeat interval,
 * and the pool's secret in {@value ProcessesTransport#SECRET_ENV}. It connects, sends its index and
 * the secret, then feeds each request frame to one {@link WorkerHost}; {@code CANCEL} cancels one.
 * Two threads take turns to read: the one that read a request gives up the turn and runs the
 * request itself if its pool is idle ({@link WorkerHost#receiveHere}; else it waits on the pool's
 * lane) and writes the reply, so a small request crosses no thread. The other thread takes the free
 * turn only once a request has run for {@value #TAKE_OVER_MICROS} µs (it polls, every 100 µs at
 * first, backing off to {@value #POLL_MAX_MICROS} µs, so that no thread is woken for a short
 * request and the two do not swap roles), so a cancel or close is read while a request runs. It
 * exits on {@code CLOSE}, at the end of the connection, when the caller dies ({@link
 * WorkerProcesses#exitWithParent()}), and with code 70 when a task kills its lane ({@link
 * ThreadDeath}): the caller sees it lost.
 */
public final class ProcessWorkerMain {
  /** The longest time between two looks of a thread without the turn: 100 wake-ups/s when idle. */
  static final long POLL_MAX_MICROS = 10_000;

  /** How long a request runs before the other thread takes over the reading. */
  static final long TAKE_OVER_MICROS = 200;

  private final WorkerHost host;
  private final TurnReader in; // read by the thread that holds its turn
  private FrameChunks.@Nullable Assembly assembly; // the frame whose chunks arrive; guarded by turn
  private @Nullable Frame request; // read, not yet received; guarded by turn
  private long sequence; // its number; guarded by turn

  private ProcessWorkerMain(WorkerHost host, Socket socket) throws IOException {
    this.host = host;
    this.in =
        new TurnReader(
            socket, ProcessesTransport.PING, ProcessesTransport.CLOSE, this::receive, null);
  }

  /**
   * Runs a worker until the caller closes the pool or goes away, then exits the JVM: 0 after a
   * close, 2 on bad arguments, 1 after a failure (its stack trace goes to the worker's log).
   *
   * @param args the port, the worker index and the heartbeat interval in milliseconds
   * @throws IOException if the connection cannot be made
   */
  public static void main(String[] args) throws IOException {
    WorkerProcesses.exitWithParent(); // every thread but main is a daemon: a failure ends the JVM
    String secret = System.getenv(ProcessesTransport.SECRET_ENV);
    if (args.length != 3 || secret == null) {
      System.err.println("usage: ProcessWorkerMain PORT INDEX PING_MILLIS (the pool starts it)");
      System.exit(2);
      return;
    }
    int index = Integer.parseInt(args[1]);
    long ping = Long.parseLong(args[2]);
    byte[] key = Base64.getDecoder().decode(secret);
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0]));
    byte[] hello = ByteBuffer.allocate(4 + key.length).putInt(index).put(key).array();
    socket.getOutputStream().write(hello); // then frames, once the caller checked the secret
    String name = "jmor-processes-worker-" + index;
    FrameStreams.Writer out = ProcessesTransport.writer(socket, name + "-writer");
    ProcessWorkerMain worker =
        new ProcessWorkerMain(
            new WorkerHost(name, (pool, seq, reply) -> out.send(seq, reply)), socket);
    if (ping > 0) {
      ProcessesTransport.daemon(
          name + "-heartbeat",
          () -> {
            while (true) {
              LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ping));
              out.post(ProcessesTransport.PING, 0);
            }
          });
    }
    ProcessesTransport.daemon(name + "-reader", worker::serve);
    worker.serve();
  }

  /** Takes turns reading; exits the JVM when the connection ends (from whichever thread). */
  private void serve() {
    try {
      while (true) {
        Frame r;
        long seq;
        if (!in.awaitTurn(TAKE_OVER_MICROS * 1000, POLL_MAX_MICROS * 1000)) {
          break; // the other thread read the end
        }
        try {
          if (in.read(0) < 0 || in.ended() != null) {
            break; // CLOSE, or the connection ended
          }
          r = request;
          seq = sequence;
          request = null;
          in.running(r != null);
        } finally {
          in.release(); // the other thread reads on if this one runs a long request
        }
        if (r != null) {
          CompletableFuture<Frame> f = host.receiveHere(0, seq, r);
          in.running(false);
          var unused =
              f.whenComplete(
                  (reply, e) -> {
                    if (e != null && !f.isCancelled()) { // not cancelled: its lane died
                      System.err.println("the worker's lane died, so the worker exits: " + e);
                      Runtime.getRuntime().halt(70); // the caller sees the worker as lost
                    }
                  });
        }
      }
    } catch (RuntimeException e) {
      e.printStackTrace(); // into the worker's log
    }
    String why = in.ended();
    System.err.println("the connection to the caller ended: " + why); // into the worker's log
    host.close(Duration.ZERO); // the caller waited already: interrupt what runs
    WorkerProcesses.deleteLogIfOrphaned(); // a caller that died leaves nobody to delete it
    System.exit(TurnReader.CLOSED.equals(why) ? 0 : 1);
  }

  /** Handles a message; a whole request is left in {@link #request}. Holds the reader's turn. */
  private void receive(int kind, long seq, ByteBuffer body) {
    if (kind == FrameStreams.FRAME) {
      request = FrameChunks.read(body);
    } else if (kind == FrameStreams.PART) {
      FrameChunks.Assembly a = assembly == null ? new FrameChunks.Assembly() : assembly;
      request = a.add(body);
      assembly = request == null ? a : null; // the chunks of a frame come back to back
    } else if (kind == ProcessesTransport.CANCEL) {
      host.cancel(0, seq);
    }
    sequence = seq;
  }
}
