package org.jmor.parallel.mpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How the MPI provider finds the size of the job it runs in, and its error for a pool size that is
 * not the rank count: the logic alone, with made-up environments (no launcher, no MPI).
 */
class MpiLaunchDetectionTest {

  private static Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void noLauncher_isNoJob() {
    assertThat(MpiProvider.worldSize(env()::get, 0)).isZero();
  }

  @Test
  void openMpiAndMpich_sayTheSize() {
    assertThat(MpiProvider.worldSize(env("OMPI_COMM_WORLD_SIZE", "3", "PMIX_RANK", "0")::get, 0))
        .isEqualTo(3);
    assertThat(MpiProvider.worldSize(env("PMI_RANK", "1", "PMI_SIZE", "4")::get, 0)).isEqualTo(4);
    assertThat(MpiProvider.worldSize(env("PMIX_RANK", "1", "PMIX_SIZE", "5")::get, 0)).isEqualTo(5);
  }

  /** What a task sees under {@code srun --mpi=pmix -n 2} (measured with Slurm 22.05). */
  @Test
  void srunWithPmix_sizeFromTheStepsTaskCount() {
    Map<String, String> task =
        env(
            "PMIX_RANK", "1",
            "PMIX_NAMESPACE", "slurm.pmix.2.0",
            "SLURM_PROCID", "1",
            "SLURM_NTASKS", "2",
            "SLURM_STEP_NUM_TASKS", "2");
    assertThat(MpiProvider.worldSize(task::get, 0)).isEqualTo(2);
    // the step's count wins over the job's
    task.put("SLURM_NTASKS", "4");
    assertThat(MpiProvider.worldSize(task::get, 0)).isEqualTo(2);
    task.remove("SLURM_STEP_NUM_TASKS");
    assertThat(MpiProvider.worldSize(task::get, 0)).isEqualTo(4);
  }

  /** A batch script, or a plain srun without an MPI plugin: Slurm's counts alone are no MPI job. */
  @Test
  void slurmWithoutPmix_isNoJob() {
    assertThat(
            MpiProvider.worldSize(
                env("SLURM_NTASKS", "2", "SLURM_STEP_NUM_TASKS", "2", "SLURM_PROCID", "0")::get, 0))
        .isZero();
  }

  @Test
  void theInitializedWorld_winsOverTheEnvironment() {
    assertThat(MpiProvider.worldSize(env()::get, 2)).isEqualTo(2);
    assertThat(MpiProvider.worldSize(env("PMIX_RANK", "0", "SLURM_NTASKS", "4")::get, 3))
        .isEqualTo(3);
    assertThat(MpiProvider.worldSize(env("OMPI_COMM_WORLD_SIZE", "2")::get, 1)).isEqualTo(1);
  }

  @Test
  void valuesThatAreNoPositiveCounts_areIgnored() {
    assertThat(
            MpiProvider.worldSize(
                env("OMPI_COMM_WORLD_SIZE", "x", "PMI_SIZE", "0", "PMIX_SIZE", " 2 ")::get, 0))
        .isEqualTo(2);
    assertThat(MpiProvider.worldSize(env("PMIX_RANK", "0", "SLURM_NTASKS", "-1")::get, 0)).isZero();
  }

  @Test
  void sizeMismatch_namesBothCountsAndTheLauncher() {
    String srun =
        MpiProvider.sizeMismatch(
            2, 3, env("PMIX_RANK", "0", "SLURM_STEP_NUM_TASKS", "2", "SLURM_NTASKS", "2")::get);
    assertThat(srun)
        .isEqualTo(
            "the MPI pool has exactly 2 workers (the ranks of this job, srun --mpi=pmix -n 2),"
                + " got 3; to run on 3 ranks, start the program with srun --mpi=pmix -n 3");
    String mpirun =
        MpiProvider.sizeMismatch(
            2, 3, env("OMPI_COMM_WORLD_SIZE", "2", "SLURM_STEP_NUM_TASKS", "1")::get);
    assertThat(mpirun)
        .isEqualTo(
            "the MPI pool has exactly 2 workers (the ranks of this job, mpirun -n 2), got 3; to"
                + " run on 3 ranks, start the program with mpirun -n 3 (./jmor mpi -n 3 --"
                + " COMMAND)");
    assertThat(mpirun).doesNotContain("\n");
  }

  @Test
  void sizeMismatch_underSrunWithoutAnMpiPlugin_saysSo() {
    String m =
        MpiProvider.sizeMismatch(1, 2, env("SLURM_STEP_NUM_TASKS", "2", "SLURM_NTASKS", "2")::get);
    assertThat(m)
        .startsWith("the MPI pool has exactly 1 worker (the ranks of this job, srun --mpi=pmix")
        .contains("got 2")
        .contains("srun started 2 tasks without an MPI plugin, each its own job of one rank")
        .endsWith("start the program with srun --mpi=pmix -n 2");
  }
}
