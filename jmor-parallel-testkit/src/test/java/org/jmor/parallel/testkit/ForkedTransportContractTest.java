package org.jmor.parallel.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.Transport;

/**
 * The transport contract against workers in other JVMs ({@link ForkedTransport}): a killed worker
 * is SIGKILLed, and the signals of the tasks travel through files.
 */
class ForkedTransportContractTest extends TransportContract {
  @Override
  protected Transport createTransport(int workers) {
    try {
      return new ForkedTransport(workers);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected CompletableFuture<Frame> killWorker(Transport transport, int worker) {
    ((ForkedTransport) transport).processes().get(worker).destroyForcibly();
    return null;
  }

  @Override
  protected long largestFrame() {
    return 64L << 20; // worker heaps of 512 MiB, and 2 cores shared with other builds
  }
}
