package org.jmor.parallel.mpi;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.jmor.parallel.PoolBuilder;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.testkit.FailureModelContract;

/**
 * The kit's failure model on the MPI pool, run by {@link ContractRunner} on rank 0 of an {@code
 * mpirun} job with 1, 2 and 3 ranks. Call deadlines, {@code cancel(true)} and bounded close
 * interrupt a task on any rank: a rank runs requests on the thread that receives them, and rank 0's
 * cancels and closes reach its control thread with a tag of their own ({@link MpiWorkerLoop}). Two
 * cases cannot happen on MPI and are skipped with the reason: a killed rank ends the whole job (MPI
 * cannot go on without it; {@link MpiPoolTest#rankKilledWithSigkill_endsTheJobWithin10Seconds}
 * checks that the job ends within 10 s and leaves no process), and a frozen rank cannot be made
 * here (the test does not own the ranks' processes; a frozen rank would be noticed by a call
 * deadline only, whose end of a stuck rank's call the deadline cases check).
 */
class MpiPoolFailureModelSuite extends FailureModelContract {
  @Override
  protected PoolBuilder configure(PoolBuilder builder) {
    return builder.backend(MpiProvider.NAME);
  }

  /** A lost rank ends the MPI job: the suite checks that a shrinking MPI pool is refused. */
  @Override
  protected boolean supportsShrink() {
    return false;
  }

  @Override
  protected int workers() {
    return ContractRunner.worldSize();
  }

  @Override
  protected void killWorker(WorkerPool pool, int worker) {
    assumeTrue(
        worker == 0,
        "a killed rank ends the whole MPI job (MpiPoolTest checks that it ends within 10 s)");
    super.killWorker(pool, worker);
  }

  @Override
  protected void freezeWorker(WorkerPool pool, int worker) {
    assumeTrue(
        worker == 0,
        "a rank cannot be frozen from the test (mpirun owns its process); a call deadline is what"
            + " would notice it, which the callDeadline cases check");
    super.freezeWorker(pool, worker);
  }

  @Override
  protected FreezeDetection freezeDetection() {
    return FreezeDetection.CALL_TIMEOUT;
  }
}
