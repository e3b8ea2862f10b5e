package org.jmor.thermalblock.rb.algorithms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.jmor.discretizer.models.Product;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.random.Pcg64;
import org.jmor.rb.algorithms.ErrorAnalysis;
import org.jmor.rb.algorithms.ErrorAnalysisResult;
import org.jmor.rb.algorithms.ParameterSpace;
import org.jmor.rb.algorithms.SampleAnalysis;
import org.jmor.rb.reductors.BasisExtension;
import org.jmor.rb.reductors.CoerciveRBReductor;
import org.jmor.rb.reductors.ReducedModel;
import org.jmor.thermalblock.ThermalBlockModel;
import org.jmor.thermalblock.ThermalBlockProblem;
import org.junit.jupiter.api.Test;

/** analyze_pickle's computations agree with the error analysis and do not depend on the pool. */
class SampleAnalysisTest {

  @Test
  void agreesWithErrorAnalysis_onEveryPool() {
    ThermalBlockModel fom = ThermalBlockProblem.of(2, 2).discretize(8);
    CoerciveRBReductor reductor = CoerciveRBReductor.forThermalBlock(fom);
    ParameterSpace space = ParameterSpace.of(4, 0.1, 1.0);
    for (double[] mu : space.sampleRandomly(3, Pcg64.defaultRng(1))) {
      reductor.extendBasis(fom.solve(mu), BasisExtension.GRAM_SCHMIDT);
    }
    ReducedModel rom = reductor.reduce();
    List<double[]> mus = space.sampleRandomly(5, Pcg64.defaultRng(2));
    List<ReducedModel> roms = List.of(reductor.reduce(0), reductor.reduce(2), rom);
    try (WorkerPool seq = WorkerPools.sequential();
        WorkerPool threads = WorkerPools.builder().backend("threads").workers(2).build()) {
      ErrorAnalysisResult a = ErrorAnalysis.run(fom, rom, reductor.reducedBasis(), mus, seq);
      List<SampleAnalysis.Reduced> r = SampleAnalysis.solveAndEstimate(rom, mus, seq);
      List<double[]> us = new ArrayList<>();
      r.forEach(x -> us.add(x.solution()));
      double[] errs =
          SampleAnalysis.errors(fom, reductor.reducedBasis(), mus, us, Product.H1_0_SEMI, seq);
      List<SampleAnalysis.Convergence> c =
          SampleAnalysis.convergence(
              fom, reductor.reducedBasis(), roms, mus, Product.H1_0_SEMI, seq);
      for (int i = 0; i < mus.size(); i++) {
        assertThat(r.get(i).estimate()).isEqualTo(a.results().get(i).estimate());
        assertThat(errs[i]).isEqualTo(a.results().get(i).h1Error());
        assertThat(c.get(i).errors()[2]).isEqualTo(a.results().get(i).h1Error());
        assertThat(c.get(i).estimates()[2]).isEqualTo(a.results().get(i).estimate());
        assertThat(c.get(i).estimates()[1]).isEqualTo(roms.get(1).estimateError(mus.get(i)));
        // N = 0: the error is the norm of the solution
        assertThat(c.get(i).errors()[0]).isEqualTo(a.results().get(i).h1Norm());
      }
      // the same numbers on two threads
      List<SampleAnalysis.Reduced> r2 = SampleAnalysis.solveAndEstimate(rom, mus, threads);
      double[] errs2 = SampleAnalysis.errors(fom, reductor.reducedBasis(), mus, us, null, threads);
      double[] errsEuclidean =
          SampleAnalysis.errors(fom, reductor.reducedBasis(), mus, us, null, seq);
      List<SampleAnalysis.Convergence> c2 =
          SampleAnalysis.convergence(
              fom, reductor.reducedBasis(), roms, mus, Product.H1_0_SEMI, threads);
      assertThat(errs2).isEqualTo(errsEuclidean);
      for (int i = 0; i < mus.size(); i++) {
        assertThat(r2.get(i).solution()).isEqualTo(r.get(i).solution());
        assertThat(r2.get(i).estimate()).isEqualTo(r.get(i).estimate());
        assertThat(c2.get(i).errors()).isEqualTo(c.get(i).errors());
        assertThat(c2.get(i).estimates()).isEqualTo(c.get(i).estimates());
      }
    }
  }
}
