package org.jmor.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jmor.bench.ThermalBlockBench.Case;
import org.jmor.bench.ThermalBlockBench.Options;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.rb.algorithms.CartesianGrid;
import org.jmor.rb.algorithms.GreedyResult;
import org.jmor.rb.algorithms.ParameterSpace;
import org.jmor.rb.algorithms.RbGreedy;
import org.jmor.rb.reductors.CoerciveRBReductor;
import org.jmor.thermalblock.ThermalBlockModel;
import org.jmor.thermalblock.ThermalBlockProblem;

/**
 * The warm runs of {@code jmor bench thermalblock}: {@link RbGreedy} in this JVM on the demo's
 * model and training set, warm-up runs first, then timed runs with the pools alternating; an {@code
 * mpi:N} pool in its own {@code mpirun -n N} job ({@link ThermalBlockBench.MpiWarm} on rank 0).
 */
final class ThermalBlockWarmRuns {

  private ThermalBlockWarmRuns() {}

  static void warmRuns(
      Options o, Case c, Map<String, List<Double>> times, Map<String, double[]> errors)
      throws IOException, InterruptedException {
    ThermalBlockModel fom = ThermalBlockProblem.of(c.xBlocks(), c.yBlocks()).discretize(c.grid());
    CartesianGrid training = training(c);
    List<String> local = o.pools.stream().filter(p -> ThermalBlockBench.mpiRanks(p) == 0).toList();
    List<WorkerPool> pools = new ArrayList<>();
    try {
      for (String pool : local) {
        int n = pool.indexOf(':') < 0 ? 0 : Integer.parseInt(pool.substring(pool.indexOf(':') + 1));
        pools.add(
            pool.equals("sequential")
                ? WorkerPools.sequential()
                : pool.startsWith("cluster:")
                    ? WorkerPools.builder().backend("cluster").workers(n).build()
                    : WorkerPools.threads(n));
      }
      for (int i = 0; i < local.size(); i++) {
        for (int w = 0; w < o.warmup; w++) {
          greedy(fom, training, c, pools.get(i));
        }
      }
      for (int rep = 0; rep < o.warmReps; rep++) {
        for (int i = 0; i < local.size(); i++) {
          GreedyResult g = greedy(fom, training, c, pools.get(i));
          String k = c.label() + "|" + local.get(i);
          times.computeIfAbsent(k, x -> new ArrayList<>()).add(g.seconds());
          errors.put(k, g.maxErrors());
        }
      }
    } finally {
      for (WorkerPool p : pools) {
        p.close();
      }
    }
    // an MPI pool needs its own job: the same loop on rank 0 of mpirun -n N (MpiWarm)
    for (String pool : o.pools) {
      int ranks = ThermalBlockBench.mpiRanks(pool);
      if (ranks == 0) {
        continue;
      }
      MpiLaunch.requireMpirun();
      List<String> cmd = MpiLaunch.prefix(ranks);
      cmd.addAll(MpiLaunch.java(o.javaOpts, MpiLaunch.ownClassPath()));
      cmd.addAll(
          List.of(
              "org.jmor.parallel.mpi.MpiMain",
              ThermalBlockBench.MpiWarm.class.getName(),
              c.label(),
              Integer.toString(o.warmup),
              Integer.toString(o.warmReps)));
      String out = MpiLaunch.run(cmd, o.timeoutSeconds).stdout();
      String k = c.label() + "|" + pool;
      for (String line : out.lines().toList()) {
        if (line.startsWith(ThermalBlockBench.MpiWarm.PREFIX)) {
          String[] f =
              line.substring(ThermalBlockBench.MpiWarm.PREFIX.length()).trim().split("\\s+");
          times.computeIfAbsent(k, x -> new ArrayList<>()).add(Double.parseDouble(f[0]));
          errors.put(k, Arrays.stream(f[1].split(",")).mapToDouble(Double::parseDouble).toArray());
        }
      }
      if (!times.containsKey(k)) {
        throw new IllegalStateException("no warm times from '" + String.join(" ", cmd) + "'");
      }
    }
    for (String pool : o.pools) {
      System.out.printf(
          Locale.ROOT,
          "warm %-20s %-10s greedy median %.4f s%n",
          c.label(),
          pool,
          ThermalBlockReport.median(times.get(c.label() + "|" + pool)));
    }
  }

  /** The training set as the demo builds it: a grid, computed from indices on the workers. */
  static CartesianGrid training(Case c) {
    return ParameterSpace.of(
            c.xBlocks() * c.yBlocks(),
            ThermalBlockProblem.MIN_DIFFUSION,
            ThermalBlockProblem.MAX_DIFFUSION)
        .uniformGrid(c.snapshots());
  }

  static GreedyResult greedy(
      ThermalBlockModel fom, CartesianGrid training, Case c, WorkerPool pool) {
    return RbGreedy.builder(CoerciveRBReductor.forThermalBlock(fom), training)
        .maxExtensions(c.rbSize())
        .pool(pool)
        .run();
  }
}
