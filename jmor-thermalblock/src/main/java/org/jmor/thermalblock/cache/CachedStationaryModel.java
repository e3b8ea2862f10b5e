package org.jmor.thermalblock.cache;

import java.util.List;
import org.jmor.cache.CacheKey;
import org.jmor.cache.CacheRegion;
import org.jmor.cache.CacheRegions;
import org.jmor.cache.CacheStatistics;
import org.jmor.cache.RegionSpec;
import org.jmor.discretizer.models.Product;
import org.jmor.discretizer.models.StationaryModel;
import org.jmor.discretizer.operators.CscMatrix;
import org.jmor.discretizer.operators.LinearSolver;
import org.jmor.vectors.ProductOperator;
import org.jspecify.annotations.Nullable;

/**
 * A {@link StationaryModel} whose {@link #solve} is cached in a {@link CacheRegion} (pyMOR's {@code
 * fom.enable_caching(region, cache_id)}, which caches {@code _compute_solution}); every other
 * method is the wrapped model's.
 *
 * <h2>Key</h2>
 *
 * The key of a solve is a digest of the model's discretization and the parameter, bit-exactly:
 * {@code SHA-256("StationaryModel.solve", modelDigest, mu)}. The model digest ({@link
 * #modelDigest()}) covers the caller's cache id (pyMOR's {@code cache_id}: the name of the problem
 * and of its solver), the wrapped model's class, its dimensions, and every number of its affine
 * decomposition, the pattern and values of {@code B}, of each {@code A_q}, and {@code f}: a
 * different grid, block layout or right-hand side is a different key even under the same cache id.
 * The cache id must name whatever else changes the solution (the solver and its settings).
 *
 * <h2>On pool workers</h2>
 *
 * The model is {@code Immutable} and serializable; it carries the region's description ({@link
 * RegionSpec}), never the open region. In process (sequential and thread pools, which share
 * immutable objects, and the strict thread pool, which deserializes copies) every copy uses the
 * region opened by the caller, so one count covers every worker. In another JVM (cluster and MPI
 * workers) a copy opens the region by its description: the same SQLite file for a disk or
 * persistent region, a new memory region for a memory region; its counts stay in that JVM.
 *
 * <p>A cached solution is bit-for-bit the solution computed: the region stores the doubles exactly,
 * so results do not depend on whether a solve was cached.
 *
 * <p>Thread-safe.
 */
public final class CachedStationaryModel implements StationaryModel {

  private static final long serialVersionUID = 1L;

  private final StationaryModel model;
  private final RegionSpec spec;
  private final CacheKey modelDigest;
  private transient volatile @Nullable CacheRegion region;

  private CachedStationaryModel(
      StationaryModel model, RegionSpec spec, CacheKey modelDigest, @Nullable CacheRegion region) {
    this.model = model;
    this.spec = spec;
    this.modelDigest = modelDigest;
    this.region = region;
  }

  /**
   * Wraps a model.
   *
   * @param model the full-order model; a {@code CachedStationaryModel} is unwrapped first
   * @param region the region (opened by {@link CacheRegions#open}); the wrapper does not close it
   * @param cacheId names what the digest of the matrices does not cover: the problem and its solver
   *     (pyMOR's {@code cache_id})
   * @return the caching model
   */
  public static CachedStationaryModel of(
      StationaryModel model, CacheRegion region, String cacheId) {
    StationaryModel inner = model instanceof CachedStationaryModel c ? c.model : model;
    return new CachedStationaryModel(inner, region.spec(), digest(inner, cacheId), region);
  }

  /**
   * The digest of a model's discretization (see the class documentation).
   *
   * @param model the model
   * @param cacheId the cache id
   * @return the digest
   */
  public static CacheKey digest(StationaryModel model, String cacheId) {
    CacheKey.Builder b =
        CacheKey.builder("jmor StationaryModel discretization")
            .add(cacheId)
            .add(model.getClass().getName())
            .add(model.dofs())
            .add(model.parameterDimension());
    add(b, model.boundaryPart());
    for (CscMatrix a : model.operators()) {
      add(b, a);
    }
    b.add(model.rhs());
    b.add(model.dirichletDofs());
    return b.build();
  }

  private static void add(CacheKey.Builder b, CscMatrix m) {
    b.add(m.rows()).add(m.cols()).add(m.columnPointers()).add(m.rowIndices()).add(m.values());
  }

  /**
   * @return the wrapped model
   */
  public StationaryModel model() {
    return model;
  }

  /**
   * @return the digest of the discretization, part of every key
   */
  public CacheKey modelDigest() {
    return modelDigest;
  }

  /**
   * @return the description of the region
   */
  public RegionSpec regionSpec() {
    return spec;
  }

  /**
   * @return the region this copy uses (attached on first use after deserialization)
   */
  public CacheRegion region() {
    CacheRegion r = region;
    if (r == null) {
      r = CacheRegions.attach(spec);
      region = r;
    }
    return r;
  }

  /**
   * @return the counts of the region in this JVM
   */
  public CacheStatistics statistics() {
    return region().statistics();
  }

  /**
   * The key of the solve for {@code mu}.
   *
   * @param mu the parameter (not modified)
   * @return the key
   */
  public CacheKey solveKey(double[] mu) {
    return CacheKey.builder("StationaryModel.solve").add(modelDigest).add(mu).build();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Returns the cached solution if the region has a usable entry for {@code mu}; otherwise
   * solves with the wrapped model and stores the solution. Invalid parameters are refused by the
   * wrapped model before any lookup.
   *
   * @throws IllegalArgumentException if the length is wrong or {@code mu} is not admissible
   */
  @Override
  public double[] solve(double[] mu) {
    if (mu.length != model.parameterDimension()) {
      // the wrapped model's own message
      return model.solve(mu);
    }
    return region().getOrCompute(solveKey(mu), () -> model.solve(mu));
  }

  @Override
  public int dofs() {
    return model.dofs();
  }

  @Override
  public int parameterDimension() {
    return model.parameterDimension();
  }

  @Override
  public CscMatrix boundaryPart() {
    return model.boundaryPart();
  }

  @Override
  public CscMatrix operator(int q) {
    return model.operator(q);
  }

  @Override
  public List<CscMatrix> operators() {
    return model.operators();
  }

  @Override
  public double[] rhs() {
    return model.rhs();
  }

  @Override
  public CscMatrix assembleOperator(double[] mu) {
    return model.assembleOperator(mu);
  }

  @Override
  public CscMatrix product(Product product) {
    return model.product(product);
  }

  @Override
  public ProductOperator productOperator(Product product) {
    return model.productOperator(product);
  }

  @Override
  public LinearSolver productSolver(Product product) {
    return model.productSolver(product);
  }

  @Override
  public double norm(double[] u, Product product) {
    return model.norm(u, product);
  }

  @Override
  public int[] dirichletDofs() {
    return model.dirichletDofs();
  }

  @Override
  public String toString() {
    return model + " cached in " + spec;
  }
}
