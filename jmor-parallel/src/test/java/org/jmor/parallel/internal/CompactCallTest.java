package org.jmor.parallel.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ObjectInputFilter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.jmor.parallel.Task;
import org.jmor.parallel.spi.Frame;
import org.junit.jupiter.api.Test;

/** The compact form of a call ({@link CompactCall}) against the stream form of the same call. */
class CompactCallTest {
  private final ObjectInputFilter filter = FrameCodec.filter();

  private static byte[] bytes(Frame request) {
    ByteBuffer p = request.part(0);
    byte[] b = new byte[p.remaining()];
    p.get(b);
    return b;
  }

  private static boolean isCompact(Frame request) {
    return (request.part(0).get(7) & Protocol.COMPACT) != 0;
  }

  /** The same command as a stream, as every call was written before the compact form. */
  private static Frame streamForm(long sequence, Command command) {
    FrameCodec.Bytes out = new FrameCodec.Bytes(256);
    ByteBuffer h = ByteBuffer.allocate(Protocol.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(Protocol.MAGIC).putShort(Protocol.VERSION).put(Protocol.REQUEST).put((byte) 0);
    h.putLong(sequence).putLong(-1);
    out.write(h.array(), 0, Protocol.HEADER_BYTES);
    List<Object> parts = new java.util.ArrayList<>(List.of(ByteBuffer.allocate(0)));
    FrameCodec.write(command, out, parts);
    parts.set(0, out.buffer());
    return Frame.of(parts);
  }

  private @org.jspecify.annotations.Nullable Object run(WorkerState worker, Frame request)
      throws Throwable {
    Frame wire = Frame.read(request.toByteArray()); // as a remote worker receives it
    return Protocol.decodeReply(Protocol.handle(worker, wire, filter), 5, filter);
  }

  @Test
  void statelessLambdaWithSmallArguments_travelsCompact_andAnswersAsTheStreamForm()
      throws Throwable {
    Task<String> task =
        (ctx, args) ->
            ctx.workerIndex()
                + "|"
                + Arrays.toString(
                    new Object[] {
                      args.get(0),
                      args.get(1),
                      args.get(2),
                      args.get(3),
                      args.get(4),
                      args.get(5),
                      args.get(6),
                      args.get(7)
                    });
    WorkerState worker = new WorkerState(2, 3, 42);
    worker.execute(Commands.store(9, List.of("stored"), false));
    Object[] args = {null, true, false, 7, 8L, 0.1 + 0.2, "é€ text", Commands.ref(9, "handle #9")};
    Frame compact = Protocol.request(5, Commands.call(task, args));
    assertThat(isCompact(compact)).isTrue();
    assertThat(compact.partCount()).isEqualTo(1);

    Object viaCompact = run(worker, compact);
    Object viaStream = run(worker, streamForm(5, Commands.call(task, args)));
    assertThat(viaCompact)
        .isEqualTo(viaStream)
        .isEqualTo("2|[null, true, false, 7, 8, 0.30000000000000004, é€ text, [stored]]");
  }

  @Test
  void lambdaThatCaptures_orArgumentsOtherThanSmallValues_travelAsAStream() throws Throwable {
    String captured = "c";
    Task<String> capturing = (ctx, args) -> captured + args.size();
    Task<Integer> stateless = (ctx, args) -> args.size();
    WorkerState worker = new WorkerState(0, 1, 42);

    Frame a = Protocol.request(5, Commands.call(capturing, new Object[0]));
    Frame b = Protocol.request(5, Commands.call(stateless, new Object[] {new int[] {1}}));
    Frame c = Protocol.request(5, Commands.call(stateless, new Object[] {"x".repeat(1025)}));
    Frame d = Protocol.request(5, Commands.call(stateless, new Object[] {1, List.of()}));
    for (Frame f : List.of(a, b, c, d)) {
      assertThat(isCompact(f)).isFalse();
    }
    assertThat(run(worker, a)).isEqualTo("c0");
    assertThat(run(worker, d)).isEqualTo(2);
    assertThat(isCompact(Protocol.request(5, Commands.call(stateless, new Object[0])))).isTrue();
  }

  /** A task that is no lambda (a class of its own) has no compact form. */
  static final class NamedTask implements Task<Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer run(org.jmor.parallel.WorkerContext ctx, org.jmor.parallel.Args args) {
      return 11;
    }
  }

  @Test
  void taskOfANamedClass_travelsAsAStream() throws Throwable {
    Frame f = Protocol.request(5, Commands.call(new NamedTask(), new Object[0]));
    assertThat(isCompact(f)).isFalse();
    assertThat(run(new WorkerState(0, 1, 42), f)).isEqualTo(11);
  }

  @Test
  void filterThatRejectsTheCapturingClass_refusesTheCompactCall_asTheStreamWould() {
    Task<Integer> task = (ctx, args) -> 1;
    Frame compact = Protocol.request(5, Commands.call(task, new Object[0]));
    assertThat(isCompact(compact)).isTrue();
    ObjectInputFilter denyTests = FrameCodec.filter("!org.jmor.parallel.internal.CompactCallTest");
    Frame reply = Protocol.handle(new WorkerState(0, 1, 42), compact, denyTests);
    assertThatThrownBy(() -> Protocol.decodeReply(reply, 5, filter))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("org.jmor.parallel.internal.CompactCallTest")
        .hasMessageContaining("refused by the deserialization filter")
        .hasMessageContaining(FrameCodec.FILTER_PROPERTY);
  }

  @Test
  void aLambdaDecodedBefore_isStillCheckedByTheFilter_everyTime() throws Throwable {
    Task<Integer> task = (ctx, args) -> 7;
    WorkerState worker = new WorkerState(0, 1, 42);
    for (int i = 0; i < 3; i++) { // the second and third find it among this thread's last lambdas
      Frame compact = Protocol.request(5, Commands.call(task, new Object[0]));
      assertThat(Protocol.decodeReply(Protocol.handle(worker, compact, filter), 5, filter))
          .isEqualTo(7);
    }
    Frame compact = Protocol.request(5, Commands.call(task, new Object[0]));
    ObjectInputFilter denyTests = FrameCodec.filter("!org.jmor.parallel.internal.CompactCallTest");
    Frame reply = Protocol.handle(worker, compact, denyTests);
    assertThatThrownBy(() -> Protocol.decodeReply(reply, 5, filter))
        .hasMessageContaining("org.jmor.parallel.internal.CompactCallTest")
        .hasMessageContaining("refused by the deserialization filter");
    byte[] whole = bytes(Protocol.request(5, Commands.call(task, new Object[0])));
    Frame cut = Frame.of(ByteBuffer.wrap(Arrays.copyOf(whole, whole.length - 1)));
    Frame cutReply = Protocol.handle(worker, cut, filter);
    assertThatThrownBy(() -> Protocol.decodeReply(cutReply, 5, filter))
        .as("a body cut short after a known lambda")
        .hasMessageContaining("corrupt request");
  }

  @Test
  void filterThatRejectsAnArgumentClass_refusesTheCompactCall() {
    Task<Integer> task = (ctx, args) -> 1;
    Frame compact = Protocol.request(5, Commands.call(task, new Object[] {"s"}));
    assertThat(isCompact(compact)).isTrue();
    Frame reply =
        Protocol.handle(new WorkerState(0, 1, 42), compact, FrameCodec.filter("!java.lang.String"));
    assertThatThrownBy(() -> Protocol.decodeReply(reply, 5, filter))
        .hasMessageContaining("java.lang.String")
        .hasMessageContaining("refused by the deserialization filter");
  }

  @Test
  void corruptOrCutCompactBodies_areAnsweredWithAFailure_neverThrown() {
    Task<Integer> task = (ctx, args) -> 1;
    byte[] whole = bytes(Protocol.request(5, Commands.call(task, new Object[] {3, "x"})));
    WorkerState worker = new WorkerState(0, 1, 42);
    for (int cut : new int[] {Protocol.HEADER_BYTES, Protocol.HEADER_BYTES + 1, whole.length - 1}) {
      Frame f = Frame.of(ByteBuffer.wrap(Arrays.copyOf(whole, cut)));
      Frame reply = Protocol.handle(worker, f, filter);
      assertThatThrownBy(() -> Protocol.decodeReply(reply, 5, filter))
          .as("cut at %d of %d bytes", cut, whole.length)
          .hasMessageContaining("corrupt request");
    }
    byte[] badTag = whole.clone();
    badTag[whole.length - 6] = 99; // the tag of the last argument: tag, int length, 1 byte
    Frame reply = Protocol.handle(worker, Frame.of(ByteBuffer.wrap(badTag)), filter);
    assertThatThrownBy(() -> Protocol.decodeReply(reply, 5, filter))
        .hasMessageContaining("unknown argument tag 99");
  }

  @Test
  void unknownCapturingClass_isReportedAsMissingOnThisSide() {
    Task<Integer> task = (ctx, args) -> 1;
    byte[] whole = bytes(Protocol.request(5, Commands.call(task, new Object[0])));
    String name = CompactCallTest.class.getName();
    byte[] renamed =
        new String(whole, java.nio.charset.StandardCharsets.ISO_8859_1)
            .replaceFirst(name, name.replace("CompactCallTest", "CompactCallTesX"))
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    Frame reply =
        Protocol.handle(new WorkerState(0, 1, 42), Frame.of(ByteBuffer.wrap(renamed)), filter);
    assertThatThrownBy(() -> Protocol.decodeReply(reply, 5, filter))
        .hasMessageContaining("class not found on this side")
        .hasMessageContaining("CompactCallTesX");
  }
}
