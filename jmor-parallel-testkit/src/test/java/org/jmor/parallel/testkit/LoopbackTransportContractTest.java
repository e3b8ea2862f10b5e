package org.jmor.parallel.testkit;

import org.jmor.parallel.spi.Transport;

class LoopbackTransportContractTest extends TransportContract {
  @Override
  protected Transport createTransport(int workers) {
    return new LoopbackTransport(workers, 42);
  }
}
