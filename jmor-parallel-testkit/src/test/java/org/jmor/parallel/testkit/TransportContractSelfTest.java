package org.jmor.parallel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.Transport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.MethodSelector;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Checks that the new tests of {@link TransportContract} catch what they are about, by running them
 * through the JUnit launcher against loopback transports with one fault each.
 */
class TransportContractSelfTest {
  /** Set while the launcher below runs the fixtures; surefire never selects nested classes. */
  private static volatile boolean launched;

  /** A loopback transport with a fault; the rest is delegated. */
  abstract static class Faulty extends TransportContract {
    @BeforeEach
    void onlyThroughTheLauncher() {
      assumeTrue(launched, "a fixture of TransportContractSelfTest");
    }

    abstract CompletableFuture<Frame> send(Transport t, int worker, Frame request);

    @Override
    protected Transport createTransport(int workers) {
      LoopbackTransport t = new LoopbackTransport(workers, 42);
      return new Transport() {
        @Override
        public int size() {
          return t.size();
        }

        @Override
        public CompletableFuture<Frame> send(int worker, Frame request) {
          return Faulty.this.send(t, worker, request);
        }

        @Override
        public List<CompletableFuture<Frame>> broadcast(Frame request) {
          return Faulty.this.broadcast(t, request);
        }

        @Override
        public String describe() {
          return "faulty " + t.describe();
        }

        @Override
        public void close() {
          t.close();
        }
      };
    }

    List<CompletableFuture<Frame>> broadcast(Transport t, Frame request) {
      return t.broadcast(request);
    }
  }

  /** Writes into the caller's arrays after sending them. */
  static class Scribbling extends Faulty {
    @Override
    CompletableFuture<Frame> send(Transport t, int worker, Frame request) {
      CompletableFuture<Frame> reply = t.send(worker, request);
      for (int i = 0; i < request.partCount(); i++) {
        double[] d = request.doubleArray(i);
        if (d != null && d.length > 0) {
          d[0] += 1;
        }
      }
      return reply;
    }
  }

  /** Hands out futures whose cancellation never reaches the worker. */
  static class DeafToCancel extends Faulty {
    @Override
    CompletableFuture<Frame> send(Transport t, int worker, Frame request) {
      CompletableFuture<Frame> mine = new CompletableFuture<>();
      t.send(worker, request)
          .whenComplete(
              (r, e) -> {
                if (e != null) {
                  mine.completeExceptionally(e);
                } else {
                  mine.complete(r);
                }
              });
      return mine;
    }
  }

  /** Broadcasts to every worker twice, returning the first replies. */
  static class BroadcastTwice extends Faulty {
    @Override
    CompletableFuture<Frame> send(Transport t, int worker, Frame request) {
      return t.send(worker, request);
    }

    @Override
    List<CompletableFuture<Frame>> broadcast(Transport t, Frame request) {
      List<CompletableFuture<Frame>> first = t.broadcast(request);
      t.broadcast(request);
      return first;
    }
  }

  private static Set<String> failures(Class<?> fixture, String... methods) {
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    List<MethodSelector> selectors = new ArrayList<>();
    for (String m : methods) {
      selectors.add(selectMethod(fixture.getName() + "#" + m));
    }
    launched = true;
    try {
      LauncherFactory.create()
          .execute(
              LauncherDiscoveryRequestBuilder.request().selectors(selectors).build(), listener);
    } finally {
      launched = false;
    }
    TestExecutionSummary summary = listener.getSummary();
    assertEquals(methods.length, summary.getTestsStartedCount(), "tests started");
    Set<String> failed = new TreeSet<>();
    summary.getFailures().forEach(f -> failed.add(f.getTestIdentifier().getDisplayName()));
    return failed;
  }

  @Test
  void aTransportThatWritesIntoSentArrays_failsTheUnchangedFramesTest() {
    assertEquals(
        Set.of("sentFrames_areLeftUnchanged_forByteArrayBufferAndDoubleArrayParts()"),
        failures(
            Scribbling.class,
            "sentFrames_areLeftUnchanged_forByteArrayBufferAndDoubleArrayParts",
            "broadcast_repliesInWorkerOrder_andEachWorkerRunsItOnce"));
  }

  @Test
  void aTransportThatDoesNotPassCancellationOn_failsBothCancelTests() {
    assertEquals(
        Set.of(
            "cancelRunningRequest_interruptsItsTask_andTheNextFramesAreAnsweredInOrder()",
            "cancelQueuedRequest_dropsIt_andTheOthersAreAnsweredInOrder()"),
        failures(
            DeafToCancel.class,
            "cancelRunningRequest_interruptsItsTask_andTheNextFramesAreAnsweredInOrder",
            "cancelQueuedRequest_dropsIt_andTheOthersAreAnsweredInOrder",
            "frames_toOneWorker_areAnsweredInOrder"));
  }

  @Test
  void aTransportThatBroadcastsTwice_failsTheBroadcastTest() {
    assertEquals(
        Set.of("broadcast_repliesInWorkerOrder_andEachWorkerRunsItOnce()"),
        failures(
            BroadcastTwice.class,
            "broadcast_repliesInWorkerOrder_andEachWorkerRunsItOnce",
            "concurrentSends_from8Threads_keepEachThreadsOrderPerWorker_andMatchReplies"));
  }
}
