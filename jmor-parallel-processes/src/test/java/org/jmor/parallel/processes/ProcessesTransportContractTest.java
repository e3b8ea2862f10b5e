package org.jmor.parallel.processes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.Transport;
import org.jmor.parallel.testkit.TransportContract;

/** The transport contract on 1 to 3 worker JVMs; a killed worker gets SIGKILL. */
class ProcessesTransportContractTest extends TransportContract {
  @Override
  protected Transport createTransport(int workers) {
    try {
      return ProcessesTransport.start(
          workers, List.of(), Duration.ofSeconds(30), Duration.ofSeconds(8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected CompletableFuture<Frame> killWorker(Transport transport, int worker) {
    ((ProcessesTransport) transport).processes().process(worker).destroyForcibly();
    return null;
  }
}
