import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.random.Pcg64;
import org.jmor.rb.algorithms.AdaptiveGreedy;
import org.jmor.rb.algorithms.AdaptiveGreedyResult;
import org.jmor.rb.algorithms.ParameterSpace;
import org.jmor.rb.reductors.CoerciveRBReductor;
import org.jmor.thermalblock.ThermalBlockModel;
import org.jmor.thermalblock.ThermalBlockProblem;

/** args: grid validationMus rho extensions pool(0=sequential, n=threads:n) runs */
public class Warm {
  public static void main(String[] a) {
    int grid = Integer.parseInt(a[0]), val = Integer.parseInt(a[1]);
    double rho = Double.parseDouble(a[2]);
    int ext = Integer.parseInt(a[3]), workers = Integer.parseInt(a[4]), runs = Integer.parseInt(a[5]);
    ThermalBlockModel fom = ThermalBlockProblem.of(2, 2).discretize(grid);
    try (WorkerPool pool = workers == 0 ? WorkerPools.sequential() : WorkerPools.threads(workers)) {
      for (int r = 0; r < runs; r++) {
        AdaptiveGreedyResult res = AdaptiveGreedy.builder(CoerciveRBReductor.forThermalBlock(fom),
                ParameterSpace.of(4, 0.1, 1.0), Pcg64.defaultRng(42))
            .validationMus(val).rho(rho).maxExtensions(ext).pool(pool).run();
        System.out.println("run " + r + " greedy " + res.seconds() + " s");
      }
    }
  }
}
