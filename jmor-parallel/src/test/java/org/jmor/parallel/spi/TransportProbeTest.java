package org.jmor.parallel.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.jmor.parallel.Task;
import org.jmor.parallel.Task1;
import org.junit.jupiter.api.Test;

/** The probe's frames, answered by a {@link WorkerRuntime} as a worker of any backend answers. */
class TransportProbeTest {
  /** Passes a frame through its joined form, as a transport that needs one byte array does. */
  private static Frame wire(Frame f) {
    return Frame.read(f.toByteArray());
  }

  private static WorkerRuntime opened(int index, int size) {
    WorkerRuntime w = new WorkerRuntime();
    TransportProbe.checkOpened(wire(w.handle(wire(TransportProbe.open(index, size, 42)))));
    return w;
  }

  @Test
  void openFrame_opensTheWorkerWithItsIndexAndSize() throws Exception {
    WorkerRuntime w = opened(1, 3);
    assertThat(w.isOpen()).isTrue();
    assertThat(w.workerIndex()).isEqualTo(1);
    Task<String> where = (ctx, args) -> ctx.workerIndex() + "/" + ctx.poolSize();
    TransportProbe.Call<String> c = TransportProbe.call(where);
    assertThat(c.decode(wire(w.handle(wire(c.frame()))))).isEqualTo("1/3");
  }

  @Test
  void openFrame_refusedAsAnotherWorker_failsTheCheckWithTheReason() {
    WorkerRuntime w = opened(0, 2);
    Frame reply = w.handle(TransportProbe.open(1, 2, 42));
    assertThatThrownBy(() -> TransportProbe.checkOpened(reply))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("open already");
  }

  @Test
  void openFrame_withTheCallersFilter_refusesWhatTheFilterRefuses() throws Exception {
    WorkerRuntime w = new WorkerRuntime();
    TransportProbe.checkOpened(w.handle(TransportProbe.open(0, 1, 42, "!java.util.ArrayList")));
    Task1<Object, Object> echo = (ctx, a) -> a;
    TransportProbe.Call<Object> c =
        TransportProbe.call(echo, new java.util.ArrayList<>(List.of(1)));
    assertThatThrownBy(() -> c.decode(w.handle(c.frame())))
        .hasStackTraceContaining("java.util.ArrayList");
  }

  @Test
  void open_checksTheIndex() {
    assertThatThrownBy(() -> TransportProbe.open(2, 2, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TransportProbe.open(-1, 2, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void checkOpened_refusesTheReplyToACall() {
    WorkerRuntime w = opened(0, 1);
    TransportProbe.Call<Integer> c = TransportProbe.call((ctx, args) -> 7);
    Frame reply = w.handle(c.frame());
    assertThatThrownBy(() -> TransportProbe.checkOpened(reply))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void call_withArguments_andTask1_returnTheTasksValue() throws Exception {
    WorkerRuntime w = opened(0, 1);
    Task<String> join = (ctx, args) -> args.get(0) + ":" + args.<Integer>get(1);
    TransportProbe.Call<String> c = TransportProbe.call(join, "a", 5);
    assertThat(c.decode(wire(w.handle(wire(c.frame()))))).isEqualTo("a:5");
    Task1<String, Integer> length = (ctx, s) -> s.length();
    TransportProbe.Call<Integer> c1 = TransportProbe.call(length, "four");
    assertThat(c1.decode(wire(w.handle(wire(c1.frame()))))).isEqualTo(4);
    Task1<Object, Boolean> isNull = (ctx, a) -> a == null;
    TransportProbe.Call<Boolean> c2 = TransportProbe.call(isNull, null);
    assertThat(c2.decode(w.handle(c2.frame()))).isTrue();
  }

  @Test
  void calls_haveIncreasingNumbers_andLargeArraysTravelOutOfBandWithoutCopy() throws Exception {
    double[] big = new double[4096];
    Arrays.fill(big, 2.5);
    Task1<double[], Double> sum = (ctx, a) -> Arrays.stream(a).sum();
    TransportProbe.Call<Double> a = TransportProbe.call(sum, big);
    TransportProbe.Call<Double> b = TransportProbe.call(sum, new double[] {1});
    assertThat(a.sequence()).isPositive();
    assertThat(b.sequence()).isGreaterThan(a.sequence());
    assertThat(a.frame().partCount()).isEqualTo(2);
    assertThat(a.frame().doubleArray(1)).isSameAs(big);
    assertThat(b.frame().partCount()).isEqualTo(1);
    WorkerRuntime w = opened(0, 1);
    assertThat(a.decode(wire(w.handle(wire(a.frame()))))).isEqualTo(4096 * 2.5);
    assertThat(a.toString()).contains("#" + a.sequence());
  }

  @Test
  void decode_throwsTheTasksException_checkedAndError() {
    WorkerRuntime w = opened(0, 1);
    Task<Object> io =
        (ctx, args) -> {
          throw new IOException("disk on fire");
        };
    TransportProbe.Call<Object> c = TransportProbe.call(io);
    Frame reply = wire(w.handle(wire(c.frame())));
    assertThatThrownBy(() -> c.decode(reply))
        .isInstanceOf(IOException.class)
        .hasMessage("disk on fire");
    Task<Object> error =
        (ctx, args) -> {
          throw new AssertionError("bad state");
        };
    TransportProbe.Call<Object> e = TransportProbe.call(error);
    Frame errorReply = w.handle(e.frame());
    assertThatThrownBy(() -> e.decode(errorReply))
        .isInstanceOf(AssertionError.class)
        .hasMessage("bad state");
  }

  @Test
  void decode_ofARefusalOrAnotherCallsReply_throwsIllegalState() {
    WorkerRuntime notOpened = new WorkerRuntime();
    TransportProbe.Call<Integer> c = TransportProbe.call((ctx, args) -> 1);
    Frame refusal = notOpened.handle(c.frame());
    assertThatThrownBy(() -> c.decode(refusal))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not opened");
    WorkerRuntime w = opened(0, 1);
    TransportProbe.Call<Integer> other = TransportProbe.call((ctx, args) -> 2);
    Frame otherReply = w.handle(other.frame());
    assertThatThrownBy(() -> c.decode(otherReply))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("#" + other.sequence());
    Frame garbage = w.handle(Frame.of(java.nio.ByteBuffer.allocate(3)));
    assertThatThrownBy(() -> c.decode(garbage))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a jmor frame");
  }

  @Test
  void aCall_mayBeAnsweredByEveryWorker() throws Exception {
    Task<Integer> index = (ctx, args) -> ctx.workerIndex();
    TransportProbe.Call<Integer> c = TransportProbe.call(index);
    for (int i = 0; i < 3; i++) {
      WorkerRuntime w = opened(i, 3);
      assertThat(c.decode(w.handle(c.frame()))).isEqualTo(i);
    }
  }
}
