package org.jmor.cli.thermalblock;

import org.jmor.cli.PoolOptions;
import org.jmor.parallel.WorkerPool;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * pyMOR's spellings of the thermal-block demo's options that have no counterpart of their own here
 * (a picocli mixin), so that a pyMOR user's command line works or fails with one line saying why:
 * {@code --ipython-engines N} and {@code --ipython-profile PROFILE} choose the cluster pool ({@code
 * --pool cluster:N}), {@code --list-vector-array}, {@code --fenics} and {@code --order} (other than
 * pyMOR's default 1) are refused. typer's negations ({@code --no-fenics}, {@code
 * --no-list-vector-array}) are pyMOR's defaults and accepted.
 */
public final class PymorFlags {

  /** The module that provides the cluster backend. */
  static final String CLUSTER_MODULE = "org.jmor:jmor-parallel-cluster";

  @Option(
      names = "--ipython-engines",
      paramLabel = "N",
      description =
          "pyMOR's name: N > 0 runs on a cluster pool of N workers (--pool cluster:N; the "
              + "backend is in the module "
              + CLUSTER_MODULE
              + "); 0 as if not given.")
  @Nullable Integer ipythonEngines;

  @Option(
      names = "--ipython-profile",
      paramLabel = "PROFILE",
      description =
          "pyMOR's name: run on the cluster that this profile names (jmor.cluster.profile:"
              + " ~/.jmor/cluster/PROFILE.properties with jmor.cluster.addresses, .id, .key-store).")
  @Nullable String ipythonProfile;

  @Option(
      names = "--list-vector-array",
      negatable = true,
      description = "pyMOR's ListVectorArray: refused, there is one vector array type here.")
  boolean listVectorArray;

  @Option(
      names = "--fenics",
      negatable = true,
      description = "pyMOR's FEniCS model: refused, there is no FEniCS model in Java.")
  boolean fenics;

  @Option(
      names = "--order",
      paramLabel = "ORDER",
      defaultValue = "1",
      description =
          "Polynomial order of the finite elements: only pyMOR's default 1 (higher orders need "
              + "pyMOR's FEniCS model).")
  int order;

  /** Creates the options (for picocli). */
  public PymorFlags() {}

  /**
   * Refuses what has no counterpart here, with one line each; before any work.
   *
   * @throws IllegalArgumentException naming the option and the reason
   */
  void validate() {
    if (fenics) {
      throw new IllegalArgumentException(
          "--fenics is not supported: there is no FEniCS model in Java (FEniCS is a C++/Python "
              + "library); the thermal block is discretized by jmor-discretizer's P1 finite "
              + "elements, pyMOR's own discretizer");
    }
    if (order != 1) {
      throw new IllegalArgumentException(
          "--order "
              + order
              + " is not supported: higher-order finite elements need pyMOR's FEniCS model, and "
              + "there is no FEniCS model in Java (P1 elements only, pyMOR's --order 1)");
    }
    if (listVectorArray) {
      throw new IllegalArgumentException(
          "--list-vector-array is not supported: there is one vector array type here "
              + "(VectorArray, one contiguous double[] per array), so there is no list-based "
              + "array to switch to; pyMOR's flag only exercises its ListVectorArray, the numbers "
              + "are the same");
    }
    if (ipythonProfile != null && ipythonProfile.isBlank()) {
      throw new IllegalArgumentException(
          "--ipython-profile: the profile is empty (give a profile name or a file)");
    }
    if (ipythonEngines != null && ipythonEngines < 0) {
      throw new IllegalArgumentException("--ipython-engines must be >= 0, got " + ipythonEngines);
    }
  }

  /** Whether pyMOR's options choose the pool (a cluster), as pyMOR's {@code new_parallel_pool}. */
  boolean choosePool() {
    return (ipythonEngines != null && ipythonEngines > 0) || ipythonProfile != null;
  }

  /** The pool that pyMOR's options choose ({@code cluster:N} or {@code cluster}), if they do. */
  String chosenPool() {
    return ipythonEngines != null && ipythonEngines > 0 ? "cluster:" + ipythonEngines : "cluster";
  }

  /**
   * Opens the pool: the cluster pool that {@code --ipython-engines} / {@code --ipython-profile}
   * choose, else the one of {@code --pool} or the configuration.
   *
   * @param poolOptions {@code --pool}, {@code --force}
   * @param recorder the run's recorder
   * @return the pool
   * @throws IllegalArgumentException if the cluster backend is not on the class path (one line
   *     naming its module), or {@code --pool} was given too
   */
  WorkerPool open(PoolOptions poolOptions, org.jmor.parallel.events.Recorder recorder) {
    if (!choosePool()) {
      return poolOptions.open(recorder);
    }
    boolean engines = ipythonEngines != null && ipythonEngines > 0;
    String pool = chosenPool();
    String label =
        engines
            ? "--ipython-engines " + ipythonEngines
            : "--ipython-profile " + org.jmor.cli.Shown.cut(ipythonProfile);
    return poolOptions.open(pool, label, ipythonProfile, recorder);
  }
}
