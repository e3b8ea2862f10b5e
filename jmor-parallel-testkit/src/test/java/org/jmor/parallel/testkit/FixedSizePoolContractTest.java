package org.jmor.parallel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.jmor.parallel.PoolBuilder;
import org.junit.jupiter.api.AfterAll;

/**
 * The contract on threads configured like a backend whose environment fixes one pool per launch (an
 * MPI world of 3): {@link #configure(PoolBuilder)} refuses a second pool, so this class checks that
 * the kit opens exactly one pool for the whole suite and skips the tests that need another one.
 */
class FixedSizePoolContractTest extends WorkerPoolContract {
  private final AtomicInteger opened = new AtomicInteger();

  @Override
  protected PoolBuilder configure(PoolBuilder builder) {
    if (opened.incrementAndGet() > 1) {
      throw new IllegalStateException("one pool per launch, but the kit opened pool #" + opened);
    }
    return builder.backend("threads");
  }

  @Override
  protected boolean fixedSize() {
    return true;
  }

  @Override
  protected boolean supportsSeveralPools() {
    return false;
  }

  @Override
  protected boolean supportsSplitRule() {
    return false;
  }

  @Override
  protected int[] workerCounts() {
    return new int[] {3};
  }

  @AfterAll
  void openedExactlyOnePool() {
    assertEquals(1, opened.get(), "pools opened for the whole class");
  }

  @Override
  protected boolean isInProcess() {
    return true;
  }
}
