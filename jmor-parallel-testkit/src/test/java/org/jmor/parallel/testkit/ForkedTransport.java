package org.jmor.parallel.testkit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jmor.parallel.WorkerLostException;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.PendingReplies;
import org.jmor.parallel.spi.PoolProvider;
import org.jmor.parallel.spi.PoolSpec;
import org.jmor.parallel.spi.Transport;
import org.jmor.parallel.spi.WorkerHost;
import org.jmor.parallel.spi.WorkerProcesses;

/**
 * A test fixture, not a backend: a transport to worker JVMs on this host over loopback sockets,
 * written with the SPI kit only ({@link WorkerProcesses}, {@link PendingReplies}, {@link
 * WorkerHost}), so that the contracts are checked against workers in other processes (SIGKILL,
 * SIGSTOP, signals through files). No secret and no handshake: for tests only.
 *
 * <p>Messages, both ways: {@code byte kind} (0 frame, 1 cancel), {@code long sequence}, and for a
 * frame {@code int length} and the frame's joined bytes.
 */
final class ForkedTransport implements Transport {
  /** Every transport opened by the provider, newest last (tests find their pool's processes). */
  static final List<ForkedTransport> OPENED = new CopyOnWriteArrayList<>();

  private final WorkerProcesses processes;
  private final Socket[] sockets;
  private final DataOutputStream[] out;
  private final PendingReplies pending;
  private volatile boolean closed;

  ForkedTransport(int workers) throws IOException {
    sockets = new Socket[workers];
    out = new DataOutputStream[workers];
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      server.setSoTimeout(60_000);
      int port = server.getLocalPort();
      processes =
          WorkerProcesses.builder(Worker.class.getName())
              .name("forked")
              .workers(workers)
              .jvmOptions(List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-Xshare:auto"))
              .arguments(i -> List.of(Integer.toString(port), Integer.toString(i)))
              .start();
      try {
        for (int k = 0; k < workers; k++) {
          Socket s = server.accept();
          s.setTcpNoDelay(true);
          int index = new DataInputStream(s.getInputStream()).readInt();
          sockets[index] = s;
          out[index] = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
        }
      } catch (IOException e) {
        processes.close(Duration.ZERO);
        throw e;
      }
    }
    pending = new PendingReplies(workers, describe(), (w, seq) -> write(w, (byte) 1, seq, null));
    processes.onExit(pending::workerLost);
    for (int i = 0; i < workers; i++) {
      int worker = i;
      Thread reader = new Thread(() -> read(worker), "forked-reader-" + i);
      reader.setDaemon(true);
      reader.start();
    }
  }

  private void read(int worker) {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(sockets[worker].getInputStream(), 1 << 16))) {
      while (true) {
        in.readByte();
        long seq = in.readLong();
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        pending.complete(worker, seq, Frame.read(bytes));
      }
    } catch (IOException e) {
      if (!closed) {
        pending.workerLost(worker, "its connection ended (" + e + ")");
      }
    }
  }

  private void write(int worker, byte kind, long seq, byte[] frame) {
    DataOutputStream o = out[worker];
    try {
      synchronized (o) {
        o.writeByte(kind);
        o.writeLong(seq);
        if (frame != null) {
          o.writeInt(frame.length);
          o.write(frame);
        }
        o.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the worker processes, in worker order. */
  List<ProcessHandle> processes() {
    List<ProcessHandle> handles = new ArrayList<>();
    for (int i = 0; i < processes.size(); i++) {
      handles.add(processes.process(i).toHandle());
    }
    return handles;
  }

  @Override
  public int size() {
    return sockets.length;
  }

  @Override
  public CompletableFuture<Frame> send(int worker, Frame request) {
    Objects.requireNonNull(request, "request");
    Objects.checkIndex(worker, sockets.length);
    byte[] bytes = request.toByteArray();
    synchronized (out[worker]) { // numbers go out in order
      PendingReplies.Reply reply = pending.register(worker);
      if (!reply.isDone()) {
        try {
          write(worker, (byte) 0, reply.sequence(), bytes);
        } catch (UncheckedIOException e) {
          pending.workerLost(worker, "cannot send to it (" + e.getCause() + ")");
        }
      }
      return reply;
    }
  }

  @Override
  public String describe() {
    return "forked[" + sockets.length + "]";
  }

  @Override
  public List<String> close(Duration timeout) {
    closed = true;
    List<String> abandoned = new ArrayList<>(pending.close("the forked pool was closed"));
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // gone already
      }
    }
    processes.close(timeout);
    return abandoned;
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(2));
  }

  /** The worker JVM's main class. */
  static final class Worker {
    private Worker() {}

    public static void main(String[] args) throws IOException {
      WorkerProcesses.exitWithParent();
      Socket s = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0]));
      s.setTcpNoDelay(true);
      DataOutputStream o =
          new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
      o.writeInt(Integer.parseInt(args[1]));
      o.flush();
      WorkerHost host =
          new WorkerHost(
              "forked-worker-" + args[1],
              (pool, seq, reply) -> {
                byte[] bytes = reply.toByteArray();
                synchronized (o) {
                  o.writeByte(0);
                  o.writeLong(seq);
                  o.writeInt(bytes.length);
                  o.write(bytes);
                  o.flush();
                }
              });
      try (DataInputStream in =
          new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16))) {
        while (true) {
          byte kind = in.readByte();
          long seq = in.readLong();
          if (kind == 1) {
            host.cancel(0, seq);
            continue;
          }
          byte[] bytes = new byte[in.readInt()];
          in.readFully(bytes);
          host.receive(0, seq, Frame.read(bytes))
              .whenComplete(
                  (r, error) -> {
                    Throwable cause =
                        error instanceof CompletionException ? error.getCause() : error;
                    if (cause instanceof WorkerLostException) {
                      Runtime.getRuntime().halt(3); // the lane's thread died: so does the worker
                    }
                  });
        }
      } catch (EOFException e) {
        // the caller closed the connection
      }
      host.close(Duration.ofMillis(200));
      Runtime.getRuntime().halt(0);
    }
  }

  /** The {@link PoolProvider} of the fixture, backend name {@value #NAME}. */
  public static final class Provider implements PoolProvider {
    /** The backend name. */
    public static final String NAME = "forked-test";

    /** Creates the provider. */
    public Provider() {}

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String module() {
      return "org.jmor:jmor-parallel-testkit (tests)";
    }

    @Override
    public Transport open(PoolSpec spec) {
      try {
        ForkedTransport t = new ForkedTransport(spec.workers() == 0 ? 2 : spec.workers());
        OPENED.add(t);
        return t;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
