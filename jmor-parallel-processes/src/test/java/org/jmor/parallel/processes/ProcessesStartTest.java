package org.jmor.parallel.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.parallel.internal.FrameCodec;
import org.jmor.parallel.internal.Protocol;
import org.jmor.parallel.spi.ConfigView;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.PoolSpec;
import org.jmor.parallel.spi.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Starting and ending worker JVMs: the handshake, failed starts, and no process left behind. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProcessesStartTest {

  /** The worker JVMs of this JVM that are still alive. */
  private static List<ProcessHandle> liveWorkers() {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().orElse("").contains("ProcessWorkerMain"))
        .toList();
  }

  @Test
  void close_endsEveryWorkerProcess_andIsIdempotent() throws Exception {
    ProcessesTransport t =
        ProcessesTransport.start(3, List.of(), Duration.ofSeconds(30), Duration.ofSeconds(8));
    List<ProcessHandle> workers = new java.util.ArrayList<>();
    for (int i = 0; i < t.size(); i++) {
      workers.add(t.processes().process(i).toHandle());
    }
    assertThat(workers).allMatch(ProcessHandle::isAlive);
    // the secret travels in the environment only: the arguments are the port, index and heartbeat
    for (int i = 0; i < workers.size(); i++) {
      String[] args = workers.get(i).info().arguments().orElseThrow();
      assertThat(args[args.length - 2]).isEqualTo("" + i);
      assertThat(String.join(" ", args)).doesNotContain("SECRET").doesNotContainPattern("[=]$");
    }
    long t0 = System.nanoTime();
    assertThat(t.close(Duration.ofSeconds(1))).isEmpty();
    assertThat(t.close(Duration.ofSeconds(1))).isEmpty();
    assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(8));
    assertThat(workers).noneMatch(ProcessHandle::isAlive);
    assertThat(liveWorkers()).isEmpty();
  }

  @Test
  void wrongSecret_isRefusedBeforeAnyFrameIsRead_andThePoolStartsAnyway() throws Throwable {
    CompletableFuture<Transport> starting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return ProcessesTransport.start(
                    2, List.of(), Duration.ofSeconds(30), Duration.ofSeconds(8));
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    Optional<ProcessHandle> worker = Optional.empty();
    for (int i = 0; i < 3000 && worker.isEmpty(); i++) {
      worker = liveWorkers().stream().findFirst();
      Thread.sleep(1);
    }
    String[] args = worker.orElseThrow().info().arguments().orElseThrow();
    int port = Integer.parseInt(args[args.length - 3]);
    try (Socket intruder = new Socket(InetAddress.getLoopbackAddress(), port)) {
      intruder.setSoTimeout(20_000);
      // worker 0's index, a wrong secret, then a whole FRAME message (16-byte header, 8 bytes)
      ByteBuffer m = ByteBuffer.allocate(4 + 32 + 16 + 8).putInt(0).put(new byte[32]);
      m.putInt(org.jmor.parallel.spi.FrameStreams.FRAME).putInt(8).putLong(0).putLong(42);
      intruder.getOutputStream().write(m.array());
      InputStream in = intruder.getInputStream();
      try {
        assertThat(in.read()).as("the caller closes the connection").isEqualTo(-1);
      } catch (SocketException e) {
        assertThat(e.getMessage()).contains("reset"); // closed with unread bytes
      }
    }
    try (Transport t = starting.get(60, TimeUnit.SECONDS);
        WorkerPool pool =
            WorkerPools.builder().backend(ProcessesProvider.NAME).workers(1).build()) {
      assertThat(t.size()).isEqualTo(2);
      for (int i = 0; i < 2; i++) { // both real workers answer: the intruder took no one's place
        Frame reply = t.send(i, Protocol.open(i, 2, 42, null)).get(30, TimeUnit.SECONDS);
        assertThat(Protocol.decodeReply(reply, 0, FrameCodec.filter())).isNull();
      }
      assertThat(pool.apply((ctx, a) -> ctx.workerIndex())).containsExactly(0);
    }
    assertThat(liveWorkers()).isEmpty();
  }

  @Test
  void failedStart_namesTheWorkers_withTheirLog_andLeavesNoProcess() {
    assertThatThrownBy(
            () ->
                ProcessesTransport.start(
                    2, List.of("-XX:+NoSuchJmorFlag"), Duration.ofSeconds(30), null))
        .isInstanceOf(IllegalStateException.class)
        // the first worker found dead fails the start at once: 1 or 2 of them are named
        .hasMessageMatching("(?s)[12] of 2 workers failed to start: exited before connecting.*")
        .hasMessageContaining("NoSuchJmorFlag");
    assertThatThrownBy(() -> ProcessesTransport.start(2, List.of(), Duration.ofMillis(1), null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("of 2 workers failed to start: no connection within 1 ms");
    assertThat(liveWorkers()).isEmpty();
  }

  @Test
  void provider_startsOneWorkerPerProcessor_andNamesBadKeys() throws Exception {
    ProcessesProvider p = new ProcessesProvider();
    assertThat(p.name()).isEqualTo("processes");
    assertThat(p.module()).isEqualTo("org.jmor:jmor-parallel-processes");
    try (Transport t = p.open(new PoolSpec(0, 42, Map.of()))) {
      assertThat(t.size()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors()));
      assertThat(t.describe()).isEqualTo("processes[" + t.size() + "]");
    }
    assertThatThrownBy(
            () -> p.open(new PoolSpec(1, 42, Map.of(ProcessesProvider.START_TIMEOUT, "soon"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "jmor.processes.start-timeout: 'soon' is not a duration such as 500ms, 30s, 2m, PT30S"
                + " or none");
    // keys resolved by the configuration (system properties, JMOR_PROCESSES_* variables) count too
    assertThatThrownBy(
            () ->
                p.open(
                    new PoolSpec(
                        1,
                        42,
                        Map.of(),
                        ConfigView.of(Map.of(ProcessesProvider.HEARTBEAT_TIMEOUT, "-1s")))))
        .hasMessageStartingWith("jmor.processes.heartbeat-timeout: '-1s' is not a duration");
    assertThat(ProcessesProvider.duration(Map.of("k", "250ms"), "k", Duration.ZERO))
        .isEqualTo(Duration.ofMillis(250));
    assertThat(ProcessesProvider.duration(Map.of("k", "none"), "k", Duration.ZERO)).isNull();
    assertThat(liveWorkers()).isEmpty();
  }

  @Test
  void worker_withoutItsSecret_exitsWithUsage() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            ProcessWorkerMain.class.getName(),
            "1",
            "0",
            "0");
    pb.environment().remove(ProcessesTransport.SECRET_ENV);
    Process w = pb.redirectErrorStream(true).start();
    try {
      String out =
          new String(w.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(w.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(w.exitValue()).isEqualTo(2);
      assertThat(out).contains("usage: ProcessWorkerMain");
    } finally {
      w.destroyForcibly();
    }
  }
}
