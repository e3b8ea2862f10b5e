package org.jmor.parallel.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TurnReaderTest {
  private static final int CLOSE = 4;
  private static final int PING = 5;

  private ServerSocket server;
  private Socket near;
  private Socket far;
  private final List<String> received = new ArrayList<>();

  @BeforeEach
  void connect() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    far = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
    near = server.accept();
  }

  @AfterEach
  void close() throws IOException {
    far.close();
    near.close();
    server.close();
  }

  private TurnReader reader(Duration silence) throws IOException {
    return new TurnReader(
        near,
        PING,
        CLOSE,
        (kind, seq, body) -> received.add(kind + ":" + seq + ":" + body.remaining()),
        silence);
  }

  private static byte[] message(int kind, long seq, int bodyBytes) {
    return ByteBuffer.allocate(FrameStreams.HEADER + bodyBytes)
        .putInt(kind)
        .putInt(bodyBytes)
        .putLong(seq)
        .array();
  }

  @Test
  void aWaitWithoutMessage_consumesNothing_andAMessageSplitByPausesIsReadWhole() throws Exception {
    TurnReader r = reader(Duration.ofSeconds(10));
    assertThat(r.tryTake()).isTrue();
    assertThat(r.tryTake()).as("one holder at a time").isFalse();
    assertThat(r.read(5)).isZero();
    byte[] m = message(FrameStreams.FRAME, 7, 100);
    OutputStream out = far.getOutputStream();
    Thread writer =
        new Thread(
            () -> {
              try {
                out.write(m, 0, 10); // within the header
                out.flush();
                Thread.sleep(50); // several read waits of 5 ms
                out.write(m, 10, 40);
                out.flush();
                Thread.sleep(50);
                out.write(m, 50, m.length - 50);
                out.flush();
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    writer.start();
    assertThat(r.read(5)).isEqualTo(FrameStreams.FRAME);
    writer.join();
    assertThat(received).containsExactly("1:7:100");
    assertThat(r.ended()).isNull();
    r.release();
    assertThat(r.tryTake()).isTrue();
  }

  @Test
  void silence_endsTheConnection_namingTheTime() throws Exception {
    TurnReader r = reader(Duration.ofMillis(100));
    assertThat(r.tryTake()).isTrue();
    int kind = 0;
    for (int i = 0; i < 100 && kind == 0; i++) {
      kind = r.read(10);
    }
    assertThat(kind).isEqualTo(-1);
    assertThat(r.ended()).contains("sent nothing for PT0.1S");
    r.release();
    assertThat(r.tryTake()).as("no turn after the end").isFalse();
  }

  @Test
  void aSpinningRead_readsAMessageThatArrivesDuringOrAfterTheSpin_andItsWaitBoundsTheSpin()
      throws Exception {
    TurnReader r = reader(null);
    assertThat(r.tryTake()).isTrue();
    long hour = Duration.ofHours(1).toNanos();
    assertThat(r.read(50, hour)).as("a spin of an hour ends with the wait of 50 ms").isEqualTo(0);
    var later = java.util.concurrent.CompletableFuture.runAsync(() -> write(message(PING, 7, 0)));
    assertThat(r.read(0, hour)).as("arrives while the read spins").isEqualTo(PING);
    later.join();
    var blocked = java.util.concurrent.CompletableFuture.supplyAsync(() -> r.read(0, 1000));
    Thread.sleep(100); // the spin of 1 µs is over: the read blocks
    write(message(FrameStreams.FRAME, 8, 3));
    write(new byte[3]);
    assertThat(blocked.get(10, java.util.concurrent.TimeUnit.SECONDS))
        .isEqualTo(FrameStreams.FRAME);
    assertThat(received).containsExactly(PING + ":7:0", FrameStreams.FRAME + ":8:3");
  }

  private void write(byte[] bytes) {
    try {
      far.getOutputStream().write(bytes);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theCloseKind_endsTheConnection_once_andTheEndOfTheStreamToo() throws Exception {
    TurnReader r = reader(null);
    far.getOutputStream().write(message(PING, -1, 0));
    far.getOutputStream().write(message(CLOSE, 0, 0));
    assertThat(r.tryTake()).isTrue();
    assertThat(r.read(0)).isEqualTo(PING);
    assertThat(r.read(0)).isEqualTo(CLOSE);
    assertThat(r.ended()).isEqualTo(TurnReader.CLOSED);
    assertThat(r.read(0)).isEqualTo(-1);

    TurnReader other = new TurnReader(far, PING, CLOSE, (k, s, b) -> {}, null);
    near.close();
    assertThat(other.tryTake()).isTrue();
    assertThat(other.read(0)).isEqualTo(-1);
    assertThat(other.ended()).startsWith("its connection failed: java.io.EOFException");
  }

  @Test
  void awaitTurn_leavesTheTurnToAThreadRunningAShortRequest_andTakesItFromALongOne()
      throws Exception {
    TurnReader r = reader(null);
    assertThat(r.tryTake()).isTrue();
    r.running(true); // read a request, runs it
    r.release();
    var waiter =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> r.awaitTurn(Duration.ofHours(1).toNanos(), 1_000_000));
    Thread.sleep(200);
    assertThat(waiter).as("the request has not run for an hour").isNotDone();
    r.running(false); // done: the turn is free for whoever looks first
    assertThat(waiter.get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    r.release();

    assertThat(r.tryTake()).isTrue();
    r.running(true);
    r.release();
    assertThat(r.awaitTurn(1_000_000, 1_000_000)).as("a request that runs long").isTrue();
    r.release();
    far.close();
    assertThat(r.tryTake()).isTrue();
    assertThat(r.read(0)).isEqualTo(-1);
    r.release();
    assertThat(r.awaitTurn(0, 1_000_000)).as("the connection ended").isFalse();
  }
}
