package org.jmor.rb.algorithms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jmor.parallel.SplitRule;
import org.junit.jupiter.api.Test;

class LocalMaximaTest {

  private static final double TOL = TieRule.TOLERANCE.relativeTolerance();

  private static List<LocalMaxima> split(double[] est, int workers, SplitRule rule, double tol) {
    int[] bounds = rule.bounds(est.length, workers);
    List<LocalMaxima> parts = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      int from = bounds[w];
      int to = bounds[w + 1];
      int[] idx = new int[to - from];
      Arrays.setAll(idx, i -> from + i);
      parts.add(LocalMaxima.fromEstimates(idx, Arrays.copyOfRange(est, from, to), tol));
    }
    return parts;
  }

  private static int serialPick(double[] est, double tol) {
    return (int)
        split(est, 1, SplitRule.CEILING, tol).stream()
            .map(p -> LocalMaxima.select(List.of(p), tol))
            .findFirst()
            .orElseThrow()[0];
  }

  @Test
  void toleranceRule_picksTheFirstNearMaximum_evenIfALaterWorkerHasTheLargerValue() {
    double[] est = {0.5, 1.0 - 1e-15, 0.2, 1.0, 0.9};
    for (int workers = 1; workers <= 5; workers++) {
      double[] pick = LocalMaxima.select(split(est, workers, SplitRule.CEILING, TOL), TOL);
      assertThat((int) pick[0]).as("%d workers", workers).isEqualTo(1);
      assertThat(pick[1]).isEqualTo(1.0);
    }
  }

  @Test
  void firstMaximumRule_isNumpyArgmax() {
    double[] est = {0.5, 1.0 - 1e-15, 1.0, 0.2, 1.0};
    for (int workers = 1; workers <= 5; workers++) {
      double[] pick = LocalMaxima.select(split(est, workers, SplitRule.CEILING, 0.0), 0.0);
      assertThat((int) pick[0]).as("%d workers", workers).isEqualTo(2);
    }
  }

  @Test
  void emptySlices_reportNothing() {
    assertThat(LocalMaxima.fromEstimates(new int[0], new double[0], TOL).max())
        .isEqualTo(Double.NEGATIVE_INFINITY);
    double[] est = {0.1, 0.3, 0.3, 0.2, 0.1, 0.25, 0.05, 0.3, 0.1};
    List<LocalMaxima> parts = split(est, 4, SplitRule.CEILING, TOL); // 3,3,3,0
    assertThat(parts.get(3).indices()).isEmpty();
    assertThat((int) LocalMaxima.select(parts, TOL)[0]).isEqualTo(1);
    assertThat((int) LocalMaxima.select(List.of(LocalMaxima.EMPTY), TOL)[0]).isEqualTo(-1);
  }

  @Test
  void anySplit_selectsExactlyTheSerialPick() {
    Random rnd = new Random(42);
    for (int trial = 0; trial < 2000; trial++) {
      int n = rnd.nextInt(12);
      double[] est = new double[n];
      for (int i = 0; i < n; i++) {
        // few distinct levels plus round-off sized perturbations: many (near-)ties
        est[i] = rnd.nextInt(3) * (1 + (rnd.nextInt(3) - 1) * 1e-15 * rnd.nextInt(50));
      }
      for (double tol : new double[] {TOL, 0.0}) {
        int expected = n == 0 ? -1 : serialPick(est, tol);
        for (SplitRule rule : SplitRule.values()) {
          for (int workers = 1; workers <= 6; workers++) {
            double[] pick = LocalMaxima.select(split(est, workers, rule, tol), tol);
            assertThat((int) pick[0])
                .as("%s on %d workers, tol %s: %s", rule, workers, tol, Arrays.toString(est))
                .isEqualTo(expected);
          }
        }
      }
    }
  }

  @Test
  void streamingScan_selectsExactlyWhatTheWholeSliceSelects() {
    Random rnd = new Random(7);
    for (int trial = 0; trial < 3000; trial++) {
      int n = rnd.nextInt(40);
      double[] est = new double[n];
      for (int i = 0; i < n; i++) {
        est[i] = rnd.nextInt(4) * (1 + (rnd.nextInt(3) - 1) * 1e-15 * rnd.nextInt(50));
        if (rnd.nextInt(10) == 0) {
          est[i] = rnd.nextDouble(); // increasing records now and then
        }
      }
      for (double tol : new double[] {TOL, 0.0, 0.3}) {
        for (int workers = 1; workers <= 5; workers++) {
          int[] bounds = SplitRule.BALANCED.bounds(n, workers);
          List<LocalMaxima> whole = split(est, workers, SplitRule.BALANCED, tol);
          List<LocalMaxima> streamed = new ArrayList<>();
          for (int w = 0; w < workers; w++) {
            LocalMaxima.Scan scan = new LocalMaxima.Scan(tol);
            for (int i = bounds[w]; i < bounds[w + 1]; i++) {
              scan.add(i, est[i]);
            }
            LocalMaxima r = scan.result();
            assertThat(r.max()).isEqualTo(whole.get(w).max());
            assertThat(r.indices().length).isLessThanOrEqualTo(whole.get(w).indices().length);
            streamed.add(r);
          }
          assertThat(LocalMaxima.select(streamed, tol))
              .as("tol %s, %d workers: %s", tol, workers, Arrays.toString(est))
              .containsExactly(LocalMaxima.select(whole, tol));
        }
      }
    }
  }

  @Test
  void streamingScan_keepsFewCandidates_evenForManyEqualEstimates() {
    LocalMaxima.Scan scan = new LocalMaxima.Scan(TOL);
    for (int i = 0; i < 1_000_000; i++) {
      scan.add(i, 1.0);
    }
    LocalMaxima r = scan.result();
    assertThat(r.indices()).containsExactly(0);
    assertThat(new LocalMaxima.Scan(TOL).result()).isSameAs(LocalMaxima.EMPTY);
  }
}
