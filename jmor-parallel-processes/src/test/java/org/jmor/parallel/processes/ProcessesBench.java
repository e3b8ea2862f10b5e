package org.jmor.parallel.processes;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jmor.parallel.RemoteObject;
import org.jmor.parallel.Task;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;

/**
 * The {@code processes} pool's figures beside a raw JDK socket between this JVM and others, in one
 * run: the start of a 2-worker pool (build, and build plus the first {@code apply}), the {@code
 * applyOnly} round trip to one worker and {@code apply} on 2 workers against a 1-byte socket
 * ping-pong with one echo JVM, and a {@code push} of 8 MiB of doubles to 2 workers (then {@code
 * remove}) against 8 MiB written to each of 2 echo JVMs at once, as aggregate GB/s (2 × 8 MiB per
 * operation, as {@code ./jmor bench cluster} counts); and the loopback transport of the test kit
 * (the same kit, core and thread hops in this JVM, without sockets) as the floor of the round trip.
 * Not a test: run it with {@code java -cp target/test-classes:target/classes:<dependencies>
 * org.jmor.parallel.processes.ProcessesBench}.
 */
public final class ProcessesBench {
  private ProcessesBench() {}

  private static final Task<Integer> TRIVIAL = (ctx, args) -> ctx.workerIndex();

  @SuppressWarnings("unused")
  private static volatile Object sink;

  interface Op {
    Object run() throws Exception;
  }

  /** Times {@code iters} runs after {@code warm}, returns sorted microseconds. */
  static double[] time(int warm, int iters, Op op) throws Exception {
    for (int i = 0; i < warm; i++) {
      sink = op.run();
    }
    double[] t = new double[iters];
    for (int i = 0; i < iters; i++) {
      long t0 = System.nanoTime();
      sink = op.run();
      t[i] = (System.nanoTime() - t0) / 1e3;
    }
    Arrays.sort(t);
    return t;
  }

  static String row(String what, double[] us) {
    return String.format(
        Locale.ROOT,
        "| %-52s | %10.1f | %10.1f | %5d |",
        what,
        us[0],
        us[us.length / 2],
        us.length);
  }

  /**
   * Runs the benchmark and prints a Markdown table.
   *
   * @param args optional: the number of timed round trips (default 5000)
   * @throws Exception if something fails
   */
  public static void main(String[] args) throws Exception {
    int iters = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    List<String> rows = new ArrayList<>();
    // 1. start of a 2-worker pool
    double[] build = new double[5];
    double[] first = new double[5];
    for (int i = 0; i < build.length; i++) {
      long t0 = System.nanoTime();
      try (WorkerPool pool = WorkerPools.builder().backend("processes").workers(2).build()) {
        build[i] = (System.nanoTime() - t0) / 1e3;
        sink = pool.apply(TRIVIAL);
        first[i] = (System.nanoTime() - t0) / 1e3;
      }
    }
    Arrays.sort(build);
    Arrays.sort(first);
    rows.add(row("start processes:2 (build) [us]", build));
    rows.add(row("start processes:2 (build + first apply) [us]", first));
    // 2. round trips, and 3. bulk, beside the raw socket in the same run
    double[] data = new double[8 * 1024 * 1024 / 8];
    for (int i = 0; i < data.length; i++) {
      data[i] = i * 0.5;
    }
    byte[] bytes = new byte[8 * 1024 * 1024];
    try (Echo a = new Echo();
        Echo b = new Echo();
        WorkerPool pool = WorkerPools.builder().backend("processes").workers(2).build();
        WorkerPool loopback = WorkerPools.builder().backend("loopback").workers(2).build()) {
      for (int round = 0; round < 3; round++) { // interleaved, so that both see the same machine
        rows.add(row("raw socket ping-pong, 1 byte, 2 JVMs [us]", time(2000, iters, a::ping)));
        rows.add(
            row(
                "applyOnly(0) round trip [us]",
                time(2000, iters, () -> pool.applyOnly(0, TRIVIAL))));
        rows.add(row("apply on 2 workers [us]", time(2000, iters, () -> pool.apply(TRIVIAL))));
        rows.add(
            row(
                "loopback (same kit and hops, no socket): applyOnly(0) [us]",
                time(2000, iters, () -> loopback.applyOnly(0, TRIVIAL))));
        rows.add(
            row(
                "raw socket 8 MiB to each of 2 echo JVMs at once [us]",
                time(
                    20,
                    100,
                    () -> {
                      CompletableFuture<Void> other =
                          CompletableFuture.runAsync(
                              () -> {
                                try {
                                  b.bulk(bytes);
                                } catch (IOException e) {
                                  throw new java.io.UncheckedIOException(e);
                                }
                              });
                      a.bulk(bytes);
                      other.join();
                      return null;
                    })));
        rows.add(
            row(
                "push 8 MiB of doubles to 2 workers, then remove [us]",
                time(
                    20,
                    100,
                    () -> {
                      RemoteObject<double[]> h = pool.push(data);
                      h.remove();
                      return h;
                    })));
      }
    }
    System.out.println("| what | min | median | n |");
    System.out.println("|---|---:|---:|---:|");
    rows.forEach(System.out::println);
    System.out.println(
        "GB/s = 2 * 8 MiB / time; ratio targets: applyOnly / ping-pong <= 1.5, push >= 1.5 GB/s");
  }

  /** A raw socket echo in another JVM: 'p' gets one byte back; 'b' + length + bytes gets one. */
  static final class Echo implements AutoCloseable {
    private final Process process;
    private final Socket socket;
    private final DataOutputStream out;
    private final InputStream in;

    Echo() throws IOException {
      process =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-XX:+UseParallelGC",
                  "-cp",
                  System.getProperty("java.class.path"),
                  Echo.class.getName())
              .redirectErrorStream(true)
              .start();
      java.io.BufferedReader r =
          new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()));
      String line = r.readLine();
      if (line == null || !line.startsWith("port=")) {
        process.destroyForcibly();
        throw new IOException("the echo JVM did not start: " + line);
      }
      socket = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(line.substring(5)));
      socket.setTcpNoDelay(true);
      out = new DataOutputStream(socket.getOutputStream());
      in = socket.getInputStream();
    }

    Object ping() throws IOException {
      out.write('p');
      return in.read();
    }

    void bulk(byte[] data) throws IOException {
      out.write('b');
      out.writeLong(data.length);
      out.write(data);
      if (in.read() < 0) {
        throw new IOException("the echo JVM closed the connection");
      }
    }

    @Override
    public void close() throws Exception {
      socket.close();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }

    /**
     * The echo server.
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
          DataInputStream din =
              new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
          OutputStream o = s.getOutputStream();
          byte[] buf = new byte[1 << 20];
          for (int op = din.read(); op >= 0; op = din.read()) {
            if (op == 'b') {
              for (long n = din.readLong(); n > 0; ) {
                int r = din.read(buf, 0, (int) Math.min(buf.length, n));
                if (r < 0) {
                  return;
                }
                n -= r;
              }
            }
            o.write(1);
          }
        }
      }
    }
  }
}
