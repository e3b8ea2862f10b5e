package org.jmor.parallel.mpi;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jmor.parallel.spi.Frame;
import org.jmor.parallel.spi.PoolSpec;
import org.jmor.parallel.spi.Transport;
import org.jmor.parallel.testkit.TransportContract;

/**
 * The transport contract on the MPI world (a fixed size: every transport has the job's ranks), run
 * by {@link ContractRunner} on rank 0 of an {@code mpirun} job with 1, 2 and 3 ranks. A dead worker
 * cannot be tested inside a job: a lost rank ends the whole job ({@link MpiPoolTest} checks that).
 * Frames up to 64 MiB (the ranks' heaps are the default's quarter of the machine, shared by 3 ranks
 * and the JUnit launcher).
 */
class MpiTransportContractSuite extends TransportContract {
  @Override
  protected Transport createTransport(int workers) {
    return new MpiProvider().open(new PoolSpec(0, 42, Map.of()));
  }

  @Override
  protected CompletableFuture<Frame> killWorker(Transport transport, int worker) {
    assumeTrue(false, "a lost rank ends the whole MPI job (MpiPoolTest checks that it ends)");
    throw new AssertionError("unreachable");
  }

  @Override
  protected long largestFrame() {
    return 64L << 20;
  }
}
