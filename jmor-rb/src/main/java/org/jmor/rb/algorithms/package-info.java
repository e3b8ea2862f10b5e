/**
 * The algorithms of pyMOR's thermalblock demo on any {@link org.jmor.parallel.WorkerPool}: the weak
 * greedy basis generation with the RB error estimator ({@link org.jmor.rb.algorithms.RbGreedy}),
 * POD basis generation ({@link org.jmor.rb.algorithms.Pod}), the error analysis on random test
 * parameters ({@link org.jmor.rb.algorithms.ErrorAnalysis}), and the training and test parameter
 * sets ({@link org.jmor.rb.algorithms.ParameterSpace}). They work on any {@link
 * org.jmor.discretizer.models.StationaryModel}; the example uses the thermal-block model of the
 * application module {@code jmor-thermalblock}, which this module does not depend on.
 *
 * <pre>{@code
 * StationaryModel fom = ThermalBlockProblem.of(2, 2).discretize(100);   // jmor-thermalblock
 * ParameterSpace space = ParameterSpace.of(fom.parameterDimension(), 0.1, 1.0);
 * CoerciveRBReductor reductor = CoerciveRBReductor.forThermalBlock(fom);
 * try (WorkerPool pool = WorkerPools.threads(2)) {
 *     GreedyResult greedy = RbGreedy.builder(reductor, space.sampleUniformly(3))
 *             .maxExtensions(5).pool(pool).run();
 *     ErrorAnalysisResult errors = ErrorAnalysis.run(fom, greedy.reducedModel(),
 *             greedy.reducedBasis(), space.sampleRandomly(10, Pcg64.defaultRng(42)), pool);
 * }
 * }</pre>
 *
 * <p>Results do not depend on the pool: the greedy's selection rule is evaluated so that every
 * number of workers (including workers with an empty slice) selects exactly the parameter the
 * serial algorithm selects, and the error analysis returns its results in input order.
 */
@NullMarked
package org.jmor.rb.algorithms;

import org.jspecify.annotations.NullMarked;
