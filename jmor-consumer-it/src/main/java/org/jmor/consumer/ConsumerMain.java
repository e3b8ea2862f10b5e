package org.jmor.consumer;

import java.util.List;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;

/**
 * Opens a {@code threads:2} pool, applies a task on every worker and prints one line: {@code
 * consumer module=<name or unnamed> backend=<backend> workers=<indices> sum=<sum>}.
 */
public final class ConsumerMain {
  private ConsumerMain() {}

  /**
   * Runs the example.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    try (WorkerPool pool = WorkerPools.builder().backend("threads:2").build()) {
      List<Integer> workers = pool.apply((ctx, a) -> ctx.workerIndex());
      List<Double> squares = pool.map((ctx, x, a) -> x * x, List.of(1.0, 2.0, 3.0));
      double sum = squares.stream().mapToDouble(Double::doubleValue).sum();
      Module m = ConsumerMain.class.getModule();
      System.out.println(
          "consumer module="
              + (m.isNamed() ? m.getName() : "unnamed")
              + " library="
              + (WorkerPool.class.getModule().isNamed()
                  ? WorkerPool.class.getModule().getName()
                  : "unnamed")
              + " backend="
              + pool.backend()
              + " workers="
              + workers
              + " sum="
              + sum);
    }
  }
}
