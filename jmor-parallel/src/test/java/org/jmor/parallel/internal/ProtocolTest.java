package org.jmor.parallel.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ObjectInputFilter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jmor.parallel.MapTask;
import org.jmor.parallel.Task;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.RemoteThrowable;
import org.jmor.parallel.spi.WorkerRuntime;
import org.jmor.vectors.VectorArray;
import org.junit.jupiter.api.Test;

class ProtocolTest {
  private final ObjectInputFilter filter = FrameCodec.filter();

  private Object roundTrip(WorkerRuntime worker, Command command) throws Throwable {
    Frame request = Protocol.request(7, command);
    Frame reply = Frame.read(worker.handle(Frame.read(request.toByteArray())).toByteArray());
    return Protocol.decodeReply(reply, 7, filter);
  }

  @Test
  void call_roundTripsThroughTheJoinedForm() throws Throwable {
    WorkerRuntime worker = new WorkerRuntime(1, 3, 42);
    Task<String> task = (ctx, args) -> ctx.workerIndex() + ":" + args.<String>get(0);
    assertThat(roundTrip(worker, Commands.call(task, new Object[] {"x"}))).isEqualTo("1:x");
  }

  @Test
  void largeArrays_travelOutOfBand_andArriveIntact() throws Throwable {
    double[] big = new double[100_000];
    Arrays.setAll(big, i -> Math.sin(i) * 1e300);
    VectorArray u = VectorArray.fromRowMajor(100, 1000, big.clone());
    Frame request = Protocol.request(1, Commands.call((ctx, args) -> null, new Object[] {big, u}));
    assertThat(request.partCount()).as("two arrays, each out of band").isEqualTo(3);
    assertThat(request.partSize(0)).as("the header stays small").isLessThan(4096);
    assertThat(request.doubleArray(1)).as("sent without a copy").isSameAs(big);

    WorkerRuntime worker = new WorkerRuntime(0, 1, 42);
    Task<List<Object>> echo = (ctx, args) -> List.of(args.get(0), args.get(1));
    @SuppressWarnings("unchecked")
    List<Object> back =
        (List<Object>) roundTrip(worker, Commands.call(echo, new Object[] {big, u}));
    assertThat((double[]) back.get(0)).isNotSameAs(big);
    assertThat(Arrays.equals((double[]) back.get(0), big)).isTrue();
    assertThat(Arrays.equals(((VectorArray) back.get(1)).toRowMajor(), big)).isTrue();
  }

  @Test
  void smallArrays_stayInTheStream() {
    Frame request =
        Protocol.request(1, Commands.call((ctx, args) -> null, new Object[] {new double[10]}));
    assertThat(request.partCount()).isEqualTo(1);
  }

  @Test
  void requestOfAnotherVersion_isRefusedNamingBothVersions() {
    Frame request = Protocol.request(3, Commands.clear());
    ByteBuffer header = copy(request.part(0));
    header.putShort(4, (short) 99);
    Frame reply = new WorkerRuntime(0, 1, 42).handle(Frame.of(header));
    assertThatThrownBy(() -> Protocol.decodeReply(reply, 3, filter))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("version 99")
        .hasMessageContaining("version " + Protocol.VERSION);
  }

  @Test
  void replyOfAnotherVersion_isRefusedNamingBothVersions() {
    Frame reply = new WorkerRuntime(0, 1, 42).handle(Protocol.request(3, Commands.clear()));
    ByteBuffer header = copy(reply.part(0));
    header.putShort(4, (short) 77);
    assertThatThrownBy(() -> Protocol.decodeReply(Frame.of(header), 3, filter))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("version 77")
        .hasMessageContaining("version " + Protocol.VERSION);
  }

  @Test
  void replyToAnotherRequest_isRefused() {
    Frame reply = new WorkerRuntime(0, 1, 42).handle(Protocol.request(3, Commands.clear()));
    assertThatThrownBy(() -> Protocol.decodeReply(reply, 4, filter))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("#3")
        .hasMessageContaining("#4");
  }

  @Test
  void handle_neverThrows_onGarbage() {
    WorkerRuntime worker = new WorkerRuntime(0, 1, 42);
    Frame reply = worker.handle(Frame.of(ByteBuffer.wrap(new byte[] {1, 2, 3})));
    assertThatThrownBy(() -> Protocol.decodeReply(reply, -1, filter))
        .hasMessageContaining("not a jmor frame");
  }

  static final class Unserializable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("unused")
    private final transient Object lock = new Object();

    final Thread notSerializable = Thread.currentThread();

    Unserializable(String message) {
      super(message);
    }
  }

  @Test
  void failure_keepsClassNameMessageAndStack_evenIfTheExceptionDoesNotSerialize() {
    WorkerRuntime worker = new WorkerRuntime(0, 1, 42);
    Task<Object> fails =
        (ctx, args) -> {
          throw new Unserializable("boom on the worker");
        };
    assertThatThrownBy(() -> roundTrip(worker, Commands.call(fails, new Object[0])))
        .isInstanceOfSatisfying(
            RemoteThrowable.class,
            r -> {
              assertThat(r.originalClass()).isEqualTo(Unserializable.class.getName());
              assertThat(r.getStackTrace()).isNotEmpty();
            })
        .hasMessageContaining("boom on the worker");
  }

  static final class Secret extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Secret(String message) {
      super(message);
    }
  }

  @Test
  void failure_whoseClassTheCallerRefusesOrLacks_fallsBackToThePortableCopy() throws Throwable {
    WorkerRuntime worker = new WorkerRuntime(0, 1, 42);
    Task<Object> fails =
        (ctx, args) -> {
          throw new Secret("only the worker has this class");
        };
    Frame reply = worker.handle(Protocol.request(5, Commands.call(fails, new Object[0])));
    ObjectInputFilter lacksSecret =
        info ->
            info.serialClass() == Secret.class
                ? ObjectInputFilter.Status.REJECTED
                : ObjectInputFilter.Status.UNDECIDED;
    assertThatThrownBy(() -> Protocol.decodeReply(reply, 5, lacksSecret))
        .isInstanceOfSatisfying(
            RemoteThrowable.class,
            r -> assertThat(r.originalClass()).isEqualTo(Secret.class.getName()))
        .hasMessageContaining("only the worker has this class");
    // a caller that has the class gets the exception itself
    assertThatThrownBy(() -> Protocol.decodeReply(reply, 5, filter)).isInstanceOf(Secret.class);
  }

  @Test
  void mapElementFailure_carriesTheElementIndex() {
    WorkerRuntime worker = new WorkerRuntime(0, 1, 42);
    MapTask<Integer, Integer> task =
        (ctx, x, args) -> {
          if (x == 3) {
            throw new IllegalStateException("three");
          }
          return x;
        };
    List<?>[] block = {new ArrayList<>(List.of(1, 2, 3))};
    assertThatThrownBy(() -> roundTrip(worker, Commands.map(task, block, false, 10, new Object[0])))
        .isInstanceOfSatisfying(ElementFailure.class, f -> assertThat(f.element()).isEqualTo(12))
        .hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void filter_refusesKnownGadgetClasses() {
    Task<Object> carriesGadget = (ctx, args) -> null;
    Object gadget = new javax.management.BadAttributeValueExpException("x");
    Frame request = Protocol.request(1, Commands.call(carriesGadget, new Object[] {gadget}));
    Frame reply = new WorkerRuntime(0, 1, 42).handle(request);
    assertThatThrownBy(() -> Protocol.decodeReply(reply, 1, filter))
        .hasMessageContaining("javax.management.BadAttributeValueExpException");
  }

  @Test
  void filter_malformedPattern_isRejectedNamingTheProperty() {
    assertThatThrownBy(() -> FrameCodec.filter("maxdepth=abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(FrameCodec.FILTER_PROPERTY);
  }

  @Test
  void smallResults_travelWithoutASerializationStream_andComeBackEqual() throws Throwable {
    StringBuilder longText = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      longText.append('x');
    }
    String tooLong = longText.toString();
    Object[] values = {null, true, false, 7, -3L, 2.5, Double.NaN, -0.0, "h\u00e9llo", "", tooLong};
    WorkerRuntime worker = new WorkerRuntime(0, 1, 42);
    long seq = 10;
    for (Object v : values) {
      Task<Object> task = (ctx, args) -> args.get(0);
      Frame reply = worker.handle(Protocol.request(++seq, Commands.call(task, new Object[] {v})));
      Object back = Protocol.decodeReply(reply, seq, filter);
      assertThat(back).isEqualTo(v);
      if (v != null) {
        assertThat(back).hasSameClassAs(v);
      }
      boolean simple = (reply.part(0).get(7) & 1) != 0;
      assertThat(simple).as("the fast path for %s", v).isEqualTo(v != tooLong);
    }
  }

  @Test
  void aLambdaThatCapturesNothing_isResolvedOncePerWorker_andOneThatCapturesIsNot()
      throws Throwable {
    ObjectInputFilter f = FrameCodec.filter();
    Task<Integer> stateless = (ctx, args) -> ctx.workerIndex() + 1;
    Frame a = Protocol.request(1, Commands.call(stateless, new Object[0]));
    Frame b = Protocol.request(2, Commands.call(stateless, new Object[0]));
    // such a call travels in the compact form (CompactCall), which resolves through the same cache
    Object first = ((Commands.Call) CompactCall.decode(a.part(0), a, f)).task();
    Object second = ((Commands.Call) CompactCall.decode(b.part(0), b, f)).task();
    assertThat(first).isSameAs(second);
    WorkerRuntime worker = new WorkerRuntime(2, 3, 42);
    assertThat(Protocol.decodeReply(worker.handle(a), 1, f)).isEqualTo(3);
    for (int k = 0; k < 3; k++) {
      int captured = k;
      Task<Integer> capturing = (ctx, args) -> captured * 10;
      Frame c = Protocol.request(5 + k, Commands.call(capturing, new Object[0]));
      assertThat(Protocol.decodeReply(worker.handle(c), 5 + k, f)).isEqualTo(10 * k);
    }
  }

  private static ByteBuffer copy(ByteBuffer b) {
    ByteBuffer c = ByteBuffer.allocate(b.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    c.put(b.duplicate());
    return c.flip();
  }
}
