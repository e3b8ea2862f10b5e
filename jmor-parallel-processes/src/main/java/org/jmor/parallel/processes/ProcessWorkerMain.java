package org.jmor.parallel.processes;

import static org.jmor.parallel.processes.ProcessesTransport.CANCEL;
import static org.jmor.parallel.processes.ProcessesTransport.FRAME;
import static org.jmor.parallel.processes.ProcessesTransport.PART;
import static org.jmor.parallel.processes.ProcessesTransport.PING;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.FrameChunks;
import org.jmor.parallel.spi.WorkerHost;
import org.jmor.parallel.spi.WorkerProcesses;
import org.jspecify.annotations.Nullable;

/**
 * The main class of a worker JVM of the {@code processes} backend, started by {@link
 * ProcessesTransport#start}; not for direct use. Arguments: the caller's port on 127.0.0.1, the
 * worker's index, and the heartbeat interval in milliseconds (0 for none); the pool's secret comes
 * in the environment variable {@value ProcessesTransport#SECRET_ENV}.
 *
 * <p>The worker connects, sends its index and the secret, and then feeds every request frame to one
 * {@link WorkerHost}, which runs them in order on its lane and hands each reply back to be written
 * as chunks; {@code CANCEL} cancels a request. The worker exits on {@code CLOSE}, when the
 * connection ends, when the caller's process dies ({@link WorkerProcesses#exitWithParent()}), and
 * with code 70 when its lane's thread dies (a task threw {@link ThreadDeath}), so that the caller
 * sees the worker as lost.
 */
public final class ProcessWorkerMain {
  private final WorkerHost host;
  private FrameChunks.@Nullable Assembly assembly; // the frame whose chunks are arriving

  private ProcessWorkerMain(WorkerHost host) {
    this.host = host;
  }

  /**
   * Runs a worker until the caller closes the pool or goes away, then exits the JVM: 0 after a
   * close, 1 after a failure (printed to standard error, the worker's log), 2 on bad arguments.
   *
   * @param args the port, the worker index and the heartbeat interval in milliseconds
   */
  public static void main(String[] args) {
    WorkerProcesses.exitWithParent();
    int status = 1;
    try {
      status = run(args);
    } catch (Exception | Error e) {
      e.printStackTrace();
    }
    System.exit(status);
  }

  private static int run(String[] args) throws IOException {
    String secret = System.getenv(ProcessesTransport.SECRET_ENV);
    if (args.length != 3 || secret == null) {
      System.err.println("usage: ProcessWorkerMain PORT INDEX PING_MILLIS (the pool starts it)");
      return 2;
    }
    int index = Integer.parseInt(args[1]);
    long ping = Long.parseLong(args[2]);
    byte[] key = Base64.getDecoder().decode(secret);
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0]))) {
      socket
          .getOutputStream()
          .write(ByteBuffer.allocate(4 + key.length).putInt(index).put(key).array());
      String name = "jmor-processes-worker-" + index;
      ProcessesTransport.Wire wire = new ProcessesTransport.Wire(socket, name);
      ProcessWorkerMain worker =
          new ProcessWorkerMain(new WorkerHost(name, (pool, seq, reply) -> wire.send(seq, reply)));
      if (ping > 0) {
        ProcessesTransport.daemon(name + "-heartbeat", () -> heartbeat(wire, ping));
      }
      try {
        ProcessesTransport.read(socket, worker::receive);
      } catch (EOFException e) {
        // the caller closed the connection
      } finally {
        worker.host.close(Duration.ZERO); // the caller waited already: interrupt what runs
      }
    }
    return 0;
  }

  private void receive(int kind, long seq, ByteBuffer body) {
    Frame request = null;
    if (kind == FRAME) {
      request = FrameChunks.read(body);
    } else if (kind == PART) {
      FrameChunks.Assembly a = assembly == null ? new FrameChunks.Assembly() : assembly;
      request = a.add(body);
      assembly = request == null ? a : null; // the chunks of a frame come back to back
    } else if (kind == CANCEL) {
      host.cancel(0, seq);
    }
    if (request != null) {
      var unused =
          host.receive(0, seq, request)
              .whenComplete(
                  (reply, error) -> {
                    Throwable e = error instanceof CompletionException ? error.getCause() : error;
                    if (e != null && !(e instanceof CancellationException)) {
                      System.err.println("the worker's lane died, so the worker exits: " + e);
                      Runtime.getRuntime().halt(70); // the caller sees the worker as lost
                    }
                  });
    }
  }

  private static void heartbeat(ProcessesTransport.Wire wire, long millis) {
    try {
      while (true) {
        Thread.sleep(millis);
        wire.post(ProcessesTransport.message(PING, 0, null));
      }
    } catch (InterruptedException e) {
      // ends with the JVM
    }
  }
}
