package org.jmor.thermalblock.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jmor.cache.CacheRegion;
import org.jmor.cache.CacheRegions;
import org.jmor.cache.RegionKind;
import org.jmor.discretizer.models.Product;
import org.jmor.discretizer.models.StationaryModel;
import org.jmor.discretizer.operators.CscMatrix;
import org.jmor.discretizer.operators.LinearSolver;
import org.jmor.parallel.RemoteObject;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.thermalblock.ThermalBlockModel;
import org.jmor.thermalblock.ThermalBlockProblem;
import org.jmor.vectors.ProductOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CachedStationaryModelTest {

  private static final ThermalBlockModel FOM = ThermalBlockProblem.of(2, 2).discretize(8);

  @TempDir Path tmp;

  @BeforeEach
  void reset() {
    Counting.SOLVES.set(0);
  }

  static List<double[]> mus(int n) {
    List<double[]> m = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      m.add(new double[] {0.1 + 0.1 * i, 0.3, 0.7 - 0.05 * i, 1.0});
    }
    return m;
  }

  static long[] bits(double[] v) {
    return Arrays.stream(v).mapToLong(Double::doubleToRawLongBits).toArray();
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk", "persistent"})
  void cachedSolutions_areBitIdentical_andSolvedOnce(String kind) {
    try (CacheRegion r = CacheRegions.open(RegionKind.ofPymorName(kind), tmp)) {
      CachedStationaryModel m = CachedStationaryModel.of(new Counting(FOM), r, "test");
      for (int round = 0; round < 3; round++) {
        for (double[] mu : mus(5)) {
          assertThat(bits(m.solve(mu))).containsExactly(bits(FOM.solve(mu)));
        }
      }
      assertThat(Counting.SOLVES.get()).isEqualTo(5);
      assertThat(m.statistics().computedCount()).isEqualTo(5);
      assertThat(m.statistics().hits()).isEqualTo(10);
    }
  }

  @Test
  void persistent_secondRunSolvesNothing() {
    try (CacheRegion r = CacheRegions.open(RegionKind.PERSISTENT, tmp)) {
      CachedStationaryModel m = CachedStationaryModel.of(new Counting(FOM), r, "test");
      mus(6).forEach(m::solve);
    }
    assertThat(Counting.SOLVES.get()).isEqualTo(6);
    // a new model object, discretized again: the same digest, so the same entries
    ThermalBlockModel again = ThermalBlockProblem.of(2, 2).discretize(8);
    try (CacheRegion r = CacheRegions.open(RegionKind.PERSISTENT, tmp)) {
      CachedStationaryModel m = CachedStationaryModel.of(new Counting(again), r, "test");
      for (double[] mu : mus(6)) {
        assertThat(bits(m.solve(mu))).containsExactly(bits(FOM.solve(mu)));
      }
      assertThat(m.statistics().hits()).isEqualTo(6);
      assertThat(m.statistics().computedCount()).isZero();
    }
    assertThat(Counting.SOLVES.get()).isEqualTo(6);
  }

  @Test
  void digest_coversTheDiscretizationAndTheCacheId() {
    String d = CachedStationaryModel.digest(FOM, "a").hex();
    assertThat(CachedStationaryModel.digest(ThermalBlockProblem.of(2, 2).discretize(8), "a").hex())
        .isEqualTo(d);
    assertThat(CachedStationaryModel.digest(FOM, "b").hex()).isNotEqualTo(d);
    assertThat(CachedStationaryModel.digest(ThermalBlockProblem.of(2, 2).discretize(9), "a").hex())
        .isNotEqualTo(d);
    assertThat(CachedStationaryModel.digest(ThermalBlockProblem.of(4, 1).discretize(8), "a").hex())
        .isNotEqualTo(d);
  }

  @Test
  void parametersDifferingInTheLastBit_areDifferentKeys() {
    try (CacheRegion r = CacheRegions.open(RegionKind.MEMORY, null)) {
      CachedStationaryModel m = CachedStationaryModel.of(new Counting(FOM), r, "test");
      double[] mu = {0.3, 0.3, 0.3, 0.3};
      double[] next = mu.clone();
      next[2] = Math.nextUp(next[2]);
      m.solve(mu);
      m.solve(next);
      assertThat(Counting.SOLVES.get()).isEqualTo(2);
    }
  }

  /**
   * On the strict pool every worker deserializes its own copy of the pushed model: the copies
   * attach to the region opened here by its description, so each parameter is solved once and the
   * counts are the region's.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void onPoolWorkers_theCopiesShareTheRegion(boolean strict) {
    try (CacheRegion r = CacheRegions.open(RegionKind.DISK, null);
        WorkerPool pool = WorkerPools.builder().workers(2).strict(strict).build()) {
      CachedStationaryModel m = CachedStationaryModel.of(new Counting(FOM), r, "test");
      List<double[]> mus = mus(8);
      try (RemoteObject<StationaryModel> f = pool.push(m)) {
        for (int round = 0; round < 2; round++) {
          List<double[]> us =
              pool.map((ctx, mu, args) -> args.<StationaryModel>get(0).solve(mu), mus, f);
          for (int i = 0; i < mus.size(); i++) {
            assertThat(bits(us.get(i))).containsExactly(bits(FOM.solve(mus.get(i))));
          }
        }
      }
      assertThat(Counting.SOLVES.get()).isEqualTo(8);
      assertThat(r.statistics().computedCount()).isEqualTo(8);
      assertThat(r.statistics().hits()).isEqualTo(8);
    }
  }

  /** A model that counts its solves in this JVM (serializable, for the strict pool). */
  static final class Counting implements StationaryModel {
    private static final long serialVersionUID = 1L;
    static final AtomicInteger SOLVES = new AtomicInteger();
    private final StationaryModel m;

    Counting(StationaryModel m) {
      this.m = m;
    }

    @Override
    public double[] solve(double[] mu) {
      SOLVES.incrementAndGet();
      return m.solve(mu);
    }

    @Override
    public int dofs() {
      return m.dofs();
    }

    @Override
    public int parameterDimension() {
      return m.parameterDimension();
    }

    @Override
    public CscMatrix boundaryPart() {
      return m.boundaryPart();
    }

    @Override
    public CscMatrix operator(int q) {
      return m.operator(q);
    }

    @Override
    public List<CscMatrix> operators() {
      return m.operators();
    }

    @Override
    public double[] rhs() {
      return m.rhs();
    }

    @Override
    public CscMatrix assembleOperator(double[] mu) {
      return m.assembleOperator(mu);
    }

    @Override
    public CscMatrix product(Product product) {
      return m.product(product);
    }

    @Override
    public ProductOperator productOperator(Product product) {
      return m.productOperator(product);
    }

    @Override
    public LinearSolver productSolver(Product product) {
      return m.productSolver(product);
    }

    @Override
    public double norm(double[] u, Product product) {
      return m.norm(u, product);
    }

    @Override
    public int[] dirichletDofs() {
      return m.dirichletDofs();
    }
  }
}
