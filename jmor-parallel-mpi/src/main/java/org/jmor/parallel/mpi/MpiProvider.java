package org.jmor.parallel.mpi;

import java.util.Locale;
import java.util.function.Function;
import org.jmor.parallel.mpi.jni.Mpi;
import org.jmor.parallel.spi.ConfigView;
import org.jmor.parallel.spi.PoolProvider;
import org.jmor.parallel.spi.PoolSpec;
import org.jmor.parallel.spi.Transport;
import org.jspecify.annotations.Nullable;

/**
 * The {@code mpi} backend: a pool whose workers are the ranks of the MPI job that runs this program
 * (pyMOR's {@code MPIPool}). Chosen automatically when the process was started by {@code mpirun}
 * with more than one rank, unless {@value #ALLOW} is false.
 *
 * <p>On rank 0 {@link #open} returns the pool. On every other rank it runs the event loop and ends
 * the process when rank 0 is done, like pyMOR, which enters the event loop on import: so the same
 * program can run on every rank. {@link MpiMain} does this before the program's {@code main} runs,
 * so that the other ranks never run the program at all.
 */
public final class MpiProvider implements PoolProvider {
  /** The backend name. */
  public static final String NAME = "mpi";

  /**
   * Whether an MPI run may give an MPI pool (pyMOR's {@code allow_mpi}): {@code true} (default) or
   * {@code false}; environment variable {@code JMOR_MPI_ALLOW}.
   */
  public static final String ALLOW = "jmor.mpi.allow";

  /** Creates the provider (for {@link java.util.ServiceLoader}). */
  public MpiProvider() {}

  /** The keys this backend reads, from where they are declared (for the factory's check). */
  @Override
  public java.util.Set<String> keys() {
    return org.jmor.parallel.spi.ConfigKeys.declaredIn(
        MpiProvider.class, Mpi.class, MpiWorld.class);
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Returns why the MPI pool cannot {@linkplain org.jmor.parallel.OnWorkerLoss#SHRINK shrink}: a
   * lost rank ends the whole MPI job.
   */
  @Override
  public @Nullable String shrinkUnsupported() {
    return "a lost rank ends the whole MPI job (mpirun stops every rank), so no rank survives to go"
        + " on; checkpoint the run and resume it instead";
  }

  @Override
  public String module() {
    return "org.jmor:jmor-parallel-mpi";
  }

  @Override
  public int priority() {
    return PRIORITY_LAUNCHER;
  }

  @Override
  public boolean detects(ConfigView config) {
    String allow = config.get(ALLOW);
    if (allow != null) {
      String a = allow.trim().toLowerCase(Locale.ROOT);
      if (a.equals("false")) {
        return false;
      }
      if (!a.equals("true")) {
        throw new IllegalArgumentException(
            ALLOW
                + " from "
                + config.source(ALLOW)
                + ": '"
                + allow
                + "' is not valid; expected true or false");
      }
    }
    return worldSize(config) > 1;
  }

  /**
   * Returns the size of the MPI job that started this process, or 0 when it was not started by an
   * MPI launcher. Once MPI is initialized in this process (by {@link MpiMain} or an MPI pool), this
   * is the size of the MPI world itself; before, it comes from the launcher's environment ({@link
   * #worldSize(Function, int)}).
   *
   * @param config the configuration view (its environment)
   * @return the size, or 0
   */
  static int worldSize(ConfigView config) {
    return worldSize(config::env, initializedWorldSize());
  }

  /**
   * The size of the MPI job, in this order: the size of the MPI world when MPI is initialized in
   * this process ({@code initialized > 0}); Open MPI's {@code OMPI_COMM_WORLD_SIZE}; MPICH's and
   * PMIx launchers' {@code PMI_SIZE}, {@code PMIX_SIZE}; and, when a PMIx or PMI launcher started
   * the process ({@code PMIX_RANK} or {@code PMI_RANK} set) without saying the size, as {@code srun
   * --mpi=pmix} does, Slurm's task count of the step ({@code SLURM_STEP_NUM_TASKS}, else {@code
   * SLURM_NTASKS}). Slurm's task count alone is no MPI launch (a plain {@code srun} or a batch
   * script): then 0. Values that are not positive integers are ignored.
   *
   * @param env the environment (a variable's value, or null when unset)
   * @param initialized the size of the initialized MPI world, or 0 when MPI is not initialized
   * @return the size, or 0
   */
  static int worldSize(Function<String, @Nullable String> env, int initialized) {
    if (initialized > 0) {
      return initialized;
    }
    for (String var : new String[] {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
      Integer n = parse(env.apply(var));
      if (n != null) {
        return n;
      }
    }
    if (env.apply("PMIX_RANK") != null || env.apply("PMI_RANK") != null) {
      for (String var : new String[] {"SLURM_STEP_NUM_TASKS", "SLURM_NTASKS"}) {
        Integer n = parse(env.apply(var));
        if (n != null) {
          return n;
        }
      }
    }
    return 0;
  }

  /**
   * The size of the MPI world when MPI is initialized (and not finalized) in this process, else 0.
   * Loads the shim only when an MPI launcher's environment is present (so a program that was not
   * launched by MPI never loads it here).
   */
  private static int initializedWorldSize() {
    if (!Mpi.isLaunchedByMpirun() || !Mpi.isAvailable()) {
      return 0;
    }
    try {
      return Mpi.isInitialized() && !Mpi.isFinalized() ? Mpi.size() : 0;
    } catch (MpiException e) {
      return 0; // initialized outside this binding: the environment decides
    }
  }

  private static @Nullable Integer parse(@Nullable String v) {
    if (v == null) {
      return null;
    }
    try {
      int n = Integer.parseInt(v.trim());
      return n > 0 ? n : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public Transport open(PoolSpec spec) {
    if (!Mpi.isAvailable()) {
      throw new IllegalStateException("the MPI pool cannot start: " + Mpi.unavailableReason());
    }
    MpiWorld world = MpiWorld.get();
    if (!world.isDriver()) {
      MpiMain.runWorker(world); // never returns
    }
    if (spec.workers() != 0 && spec.workers() != world.size) {
      throw new IllegalArgumentException(sizeMismatch(world.size, spec.workers(), System::getenv));
    }
    return new MpiTransport(world);
  }

  /**
   * The one-line error for a pool size that is not the job's rank count, naming both and the
   * launcher's command line that would give the asked size: {@code srun --mpi=pmix -n N} under a
   * Slurm step that is not an Open MPI launch, else {@code mpirun -n N}. A job of one rank in a
   * Slurm step of several tasks was started without an MPI plugin: the message says so.
   *
   * @param ranks the number of ranks of this job
   * @param requested the pool size asked for
   * @param env the environment (a variable's value, or null when unset)
   * @return the message
   */
  static String sizeMismatch(int ranks, int requested, Function<String, @Nullable String> env) {
    boolean srun =
        env.apply("OMPI_COMM_WORLD_SIZE") == null && env.apply("SLURM_STEP_NUM_TASKS") != null;
    String launch = srun ? "srun --mpi=pmix -n " : "mpirun -n ";
    StringBuilder m =
        new StringBuilder("the MPI pool has exactly ")
            .append(ranks)
            .append(ranks == 1 ? " worker" : " workers")
            .append(" (the ranks of this job, ")
            .append(launch)
            .append(ranks)
            .append("), got ")
            .append(requested);
    Integer tasks = parse(env.apply("SLURM_STEP_NUM_TASKS"));
    if (srun && ranks == 1 && tasks != null && tasks > 1) {
      m.append("; srun started ")
          .append(tasks)
          .append(" tasks without an MPI plugin, each its own job of one rank");
    }
    m.append("; to run on ")
        .append(requested)
        .append(" ranks, start the program with ")
        .append(launch)
        .append(requested);
    if (!srun) {
      m.append(" (./jmor mpi -n ").append(requested).append(" -- COMMAND)");
    }
    return m.toString();
  }
}
