package org.jmor.parallel.mpi;

import java.util.Locale;
import org.jmor.parallel.PoolConfig;
import org.jmor.parallel.spi.ConfigView;
import org.jmor.parallel.spi.PoolProvider;
import org.jmor.parallel.spi.PoolSpec;
import org.jmor.parallel.spi.Transport;
import org.jspecify.annotations.Nullable;

/**
 * The {@code mpi} backend: a pool whose workers are the ranks of the MPI job that runs this program
 * (pyMOR's {@code MPIPool}). Chosen automatically when the process was started by {@code mpirun}
 * with more than one rank, unless {@value PoolConfig#ALLOW_MPI} is false.
 *
 * <p>On rank 0 {@link #open} returns the pool. On every other rank it runs the event loop and ends
 * the process when rank 0 is done, like pyMOR, which enters the event loop on import: so the same
 * program can run on every rank. {@link MpiMain} does this before the program's {@code main} runs,
 * so that the other ranks never run the program at all.
 */
public final class MpiProvider implements PoolProvider {
  /** The backend name. */
  public static final String NAME = "mpi";

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
    String allow = config.get(PoolConfig.ALLOW_MPI);
    if (allow != null) {
      String a = allow.trim().toLowerCase(Locale.ROOT);
      if (a.equals("false")) {
        return false;
      }
      if (!a.equals("true")) {
        throw new IllegalArgumentException(
            PoolConfig.ALLOW_MPI
                + " from "
                + config.source(PoolConfig.ALLOW_MPI)
                + ": '"
                + allow
                + "' is not valid; expected true or false");
      }
    }
    return worldSize(config) > 1;
  }

  /**
   * Returns the size of the MPI job that started this process, from the launcher's environment
   * (Open MPI: {@code OMPI_COMM_WORLD_SIZE}; MPICH and PMIx launchers: {@code PMI_SIZE}, {@code
   * PMIX_SIZE}), or 0 when it was not started by an MPI launcher.
   *
   * @param config the configuration view (its environment)
   * @return the size, or 0
   */
  static int worldSize(ConfigView config) {
    for (String var : new String[] {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
      Integer n = parse(config.env(var));
      if (n != null) {
        return n;
      }
    }
    return 0;
  }

  private static @Nullable Integer parse(@Nullable String v) {
    if (v == null) {
      return null;
    }
    try {
      return Integer.parseInt(v.trim());
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
      throw new IllegalArgumentException(
          "the MPI pool has exactly "
              + world.size
              + (world.size == 1 ? " worker" : " workers")
              + " (the ranks of this job, mpirun -n "
              + world.size
              + "), got "
              + spec.workers()
              + "; to run on "
              + spec.workers()
              + " ranks, start the program with mpirun -n "
              + spec.workers()
              + " (./jmor mpi -n "
              + spec.workers()
              + " -- COMMAND)");
    }
    return new MpiTransport(world);
  }
}
