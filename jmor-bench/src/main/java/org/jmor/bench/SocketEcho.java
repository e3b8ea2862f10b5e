package org.jmor.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The other JVM of the raw socket baseline of {@code ./jmor bench cluster}: listens on a loopback
 * port (printed as {@code port=N} on standard output), then answers one connection: {@code 'p'}
 * gets one byte back (a ping-pong), {@code 'b'} followed by a length and that many bytes gets one
 * byte back once every byte is read (a bulk transfer). Ends when the connection closes.
 */
public final class SocketEcho {
  private SocketEcho() {}

  /**
   * Runs the server.
   *
   * @param args ignored
   * @throws IOException if the socket fails
   */
  public static void main(String[] args) throws IOException {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      System.out.println("port=" + server.getLocalPort());
      System.out.flush();
      try (Socket s = server.accept()) {
        s.setTcpNoDelay(true);
        DataInputStream in =
            new DataInputStream(new java.io.BufferedInputStream(s.getInputStream(), 1 << 16));
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[1 << 20];
        while (true) {
          int op = in.read();
          if (op < 0) {
            return;
          }
          if (op == 'b') {
            long n = in.readLong();
            while (n > 0) {
              int r = in.read(buf, 0, (int) Math.min(buf.length, n));
              if (r < 0) {
                return;
              }
              n -= r;
            }
          }
          out.write(1);
          out.flush();
        }
      }
    }
  }

  /** The client side, in the harness's JVM. */
  static final class Client implements AutoCloseable {
    private final Process process;
    private final Socket socket;
    private final DataOutputStream out;
    private final java.io.InputStream in;

    Client(String java, String classPath) throws IOException {
      process =
          new ProcessBuilder(
                  java, "-XX:+UseParallelGC", "-cp", classPath, SocketEcho.class.getName())
              .redirectErrorStream(true)
              .start();
      java.io.BufferedReader r =
          new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()));
      String line = r.readLine();
      if (line == null || !line.startsWith("port=")) {
        process.destroyForcibly();
        throw new IOException("the socket echo JVM did not start: " + line);
      }
      socket = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(line.substring(5)));
      socket.setTcpNoDelay(true);
      out = new DataOutputStream(socket.getOutputStream());
      in = socket.getInputStream();
    }

    void ping() throws IOException {
      out.write('p');
      out.flush();
      if (in.read() < 0) {
        throw new IOException("the echo JVM closed the connection");
      }
    }

    void bulk(byte[] data) throws IOException {
      out.write('b');
      out.writeLong(data.length);
      out.write(data);
      out.flush();
      if (in.read() < 0) {
        throw new IOException("the echo JVM closed the connection");
      }
    }

    @Override
    public void close() throws IOException {
      try {
        socket.close();
        process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        process.destroyForcibly();
      }
    }
  }
}
