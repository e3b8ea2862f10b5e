package org.jmor.thermalblock.rb.algorithms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.random.Pcg64;
import org.jmor.rb.algorithms.ErrorAnalysis;
import org.jmor.rb.algorithms.ErrorAnalysisResult;
import org.jmor.rb.algorithms.GreedyResult;
import org.jmor.rb.algorithms.ParameterSpace;
import org.jmor.rb.algorithms.Pod;
import org.jmor.rb.algorithms.RbGreedy;
import org.jmor.rb.algorithms.TestResult;
import org.jmor.rb.reductors.BasisExtension;
import org.jmor.rb.reductors.SimpleCoerciveRBReductor;
import org.jmor.rb.reductors.StationaryRBReductor;
import org.jmor.thermalblock.ThermalBlockModel;
import org.jmor.thermalblock.ThermalBlockProblem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pyMOR 2022.2.0's {@code SimpleCoerciveRBReductor} ({@code --reductor=traditional}) on the default
 * grid ({@code N = 100}, 20 201 DOFs), against numbers recorded from pyMOR itself with {@code
 * PYTHONPATH=/tmp/pymor/src python3 bench/pymor/thermalblock_reference.py ARGS}, which runs {@code
 * pymordemos/thermalblock.py ARGS} and prints the greedy's {@code max_errs} and the error analysis'
 * per-parameter values with {@code repr} (full precision).
 */
class TraditionalReductorReferenceTest {

  /**
   * {@code thermalblock.py --alg=naive --reductor=traditional 2 2 10 5} (pyMOR's CI case), per test
   * mu: h1_0_semi error, l2 error, estimate, effectivity, condition.
   */
  private static final double[][] NAIVE = {
    {
      0.0044446796553366695,
      0.0003859370145330385,
      0.006928978309880878,
      0.6414624864676596,
      973.5237283926665
    },
    {
      0.12303894562647505,
      0.012110128478296431,
      0.19824431036615425,
      0.6206430106328095,
      1450.4757681499166
    },
    {
      0.012782033290307224,
      0.001201366396438977,
      0.02907200680767582,
      0.43966807571510375,
      749.9306970473592
    },
    {
      0.027402554335086003,
      0.0025538540438753217,
      0.03749472037049107,
      0.7308376769933785,
      996.3397598339025
    },
    {
      0.03206433086236273,
      0.0033265822780883664,
      0.0561476379289665,
      0.5710717680221554,
      763.8881372766348
    },
    {
      0.01839824949468692,
      0.0016901030651820424,
      0.027984452102374633,
      0.6574454067344676,
      968.7674562778672
    },
    {
      0.021883202269895454,
      0.0021636092463308675,
      0.027932991982886086,
      0.7834177693282123,
      1109.907385476442
    },
    {
      0.11193200593128687,
      0.010133033679769227,
      0.2117730055345038,
      0.5285470905452583,
      1532.7552020184219
    },
    {
      0.009016934344021427,
      0.0008855486858261052,
      0.009882133523275036,
      0.9124481391375824,
      932.9253291221232
    },
    {
      0.06068563137812956,
      0.00610101644102123,
      0.07191293671485137,
      0.8438764171008586,
      1140.2443289898051
    },
  };

  /**
   * {@code thermalblock.py --reductor=traditional 2 2 3 5} with pyMOR's greedy patched to the
   * tolerance tie rule ({@code thermalblock_reference.py --tie-rule}): the greedy's {@code
   * max_errs}.
   */
  private static final double[] GREEDY_MAX_ERRORS = {
    1.8745731821514844,
    1.3381139146441627,
    1.2568636472496986,
    1.2116458597594921,
    0.8106668240232663
  };

  /** The same run: per test mu, as {@link #NAIVE}. */
  private static final double[][] GREEDY = {
    {
      0.021058860921825157,
      0.0020464706532502294,
      0.02387583234686922,
      0.8820157813089416,
      1.3579951926602285
    },
    {
      0.15634275733218977,
      0.018486248190485714,
      0.2772555714563861,
      0.5638940148648497,
      1.9476287808462596
    },
    {
      0.09736490985282216,
      0.011274915491638648,
      0.1504954499331157,
      0.6469624822284913,
      2.460528402606997
    },
    {
      0.04149389653395153,
      0.0039004524021797734,
      0.06538805194248636,
      0.6345791823015081,
      1.8376905643169255
    },
    {
      0.16342849192564854,
      0.016619833162686788,
      0.20859493148570457,
      0.7834729768438723,
      2.146560148337567
    },
    {
      0.03104654410200827,
      0.0030044795959838764,
      0.0367261091966908,
      0.8453534768884723,
      1.5661160116490969
    },
    {
      0.13894164975816453,
      0.01301200047501986,
      0.28143384099101204,
      0.49369204950232626,
      3.4692604366075144
    },
    {
      0.09942482345082262,
      0.011732526255739636,
      0.16583006236681,
      0.5995585000197284,
      2.11841723708139
    },
    {
      0.025814960413070496,
      0.0020685229223497484,
      0.03618065285819714,
      0.7135017854500053,
      1.5969175262532063
    },
    {
      0.0924559760342526,
      0.010483496600969559,
      0.14032520248074093,
      0.6588693577473498,
      2.3201560424400083
    },
  };

  /**
   * {@code thermalblock.py --alg=pod --reductor=traditional 2 2 3 5}: per test mu, as {@link
   * #NAIVE}.
   */
  private static final double[][] POD = {
    {
      0.06287664734318249,
      0.007202727037111395,
      0.09191049315625723,
      0.6841073873500577,
      1.542476188217888
    },
    {
      0.064868089920356,
      0.006005589472412904,
      0.23501215871229417,
      0.2760201441312175,
      2.801989153949031
    },
    {
      0.06481795897991782,
      0.006928385009350487,
      0.16178572767835617,
      0.4006407728917934,
      3.0892611323101615
    },
    {
      0.07042971365813093,
      0.0077990965674454085,
      0.1342308514030397,
      0.5246909553352951,
      2.1064107144593356
    },
    {
      0.06683689755793326,
      0.006384440767201398,
      0.2663228359320271,
      0.2509619474576032,
      3.112141456416043
    },
    {
      0.05486156231341095,
      0.0062051504372073,
      0.1032861643002158,
      0.5311608063394443,
      1.8679794768451161
    },
    {
      0.059556508810065634,
      0.005948154445035667,
      0.20324153941810613,
      0.29303315149343895,
      3.763436141158864
    },
    {
      0.05152722277119475,
      0.005556693962895476,
      0.17099739776994308,
      0.30133337374243896,
      2.676929979506586
    },
    {
      0.11052515077838611,
      0.01256952125441428,
      0.16268835143797555,
      0.679367329015707,
      1.5691227572781123
    },
    {
      0.08601516458828354,
      0.009259522317974462,
      0.1689820412456341,
      0.5090195618080562,
      2.535169775428931
    },
  };

  private static ThermalBlockModel fom;
  private static ParameterSpace space;

  @BeforeAll
  static void discretize() {
    fom = ThermalBlockProblem.of(2, 2).discretize(100);
    space = ParameterSpace.of(4, 0.1, 1.0);
  }

  private static void assertRelative(double actual, double expected, double rtol, String what) {
    assertThat(actual).as(what).isCloseTo(expected, within(rtol * Math.abs(expected)));
  }

  private static void assertRows(ErrorAnalysisResult a, double[][] expected) {
    List<TestResult> results = a.results();
    assertThat(results).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      TestResult r = results.get(i);
      assertRelative(r.h1Error(), expected[i][0], 1e-10, "h1 error " + i);
      assertRelative(r.l2Error(), expected[i][1], 1e-10, "l2 error " + i);
      assertRelative(r.estimate(), expected[i][2], 1e-10, "estimate " + i);
      assertRelative(r.effectivity(), expected[i][3], 1e-10, "effectivity " + i);
      assertRelative(r.condition(), expected[i][4], 1e-10, "condition " + i);
    }
  }

  /** The naive algorithm: RBSIZE random training parameters, then the test parameters. */
  private static ErrorAnalysisResult naive(WorkerPool pool) {
    Pcg64 rng = Pcg64.defaultRng(42);
    StationaryRBReductor reductor = SimpleCoerciveRBReductor.forThermalBlock(fom);
    for (double[] mu : space.sampleRandomly(5, rng)) {
      reductor.extendBasis(fom.solve(mu), BasisExtension.TRIVIAL);
    }
    List<double[]> test = space.sampleRandomly(10, rng);
    return ErrorAnalysis.run(fom, reductor.reduce(pool), reductor.reducedBasis(), test, pool);
  }

  @Test
  void naive_2_2_10_5_matchesPymor_onEveryPool() {
    ErrorAnalysisResult seq;
    try (WorkerPool pool = WorkerPools.sequential()) {
      seq = naive(pool);
    }
    assertRows(seq, NAIVE);
    assertThat(seq.argmax(TestResult::h1Error)).isEqualTo(1);
    assertThat(seq.argmax(TestResult::estimate)).isEqualTo(7);
    assertThat(seq.argmin(TestResult::effectivity)).isEqualTo(2);
    assertThat(seq.argmax(TestResult::effectivity)).isEqualTo(8);
    assertThat(seq.argmax(TestResult::condition)).isEqualTo(7);
    ErrorAnalysisResult par;
    try (WorkerPool pool = WorkerPools.threads(2)) {
      par = naive(pool);
    }
    for (int i = 0; i < 10; i++) {
      assertThat(par.results().get(i).estimate()).isEqualTo(seq.results().get(i).estimate());
      assertThat(par.results().get(i).h1Error()).isEqualTo(seq.results().get(i).h1Error());
    }
  }

  /** POD of the snapshots on the training grid, then the test parameters. */
  private static ErrorAnalysisResult pod(WorkerPool pool) {
    StationaryRBReductor reductor = SimpleCoerciveRBReductor.forThermalBlock(fom);
    Pod.Result pod =
        Pod.compute(fom, space.sampleUniformly(3), 5, reductor.product(), pool, done -> {});
    for (int i = 0; i < pod.modes().len(); i++) {
      reductor.extendBasis(pod.modes().row(i), BasisExtension.TRIVIAL);
    }
    List<double[]> test = space.sampleRandomly(10, Pcg64.defaultRng(42));
    return ErrorAnalysis.run(fom, reductor.reduce(pool), reductor.reducedBasis(), test, pool);
  }

  @Test
  void pod_2_2_3_5_matchesPymor_onEveryPool() {
    ErrorAnalysisResult seq;
    try (WorkerPool pool = WorkerPools.sequential()) {
      seq = pod(pool);
    }
    assertRows(seq, POD);
    ErrorAnalysisResult par;
    try (WorkerPool pool = WorkerPools.threads(2)) {
      par = pod(pool);
    }
    for (int i = 0; i < 10; i++) {
      assertThat(par.results().get(i).estimate()).isEqualTo(seq.results().get(i).estimate());
      assertThat(par.results().get(i).h1Error()).isEqualTo(seq.results().get(i).h1Error());
    }
  }

  private static GreedyResult greedy(WorkerPool pool) {
    return RbGreedy.builder(SimpleCoerciveRBReductor.forThermalBlock(fom), space.uniformGrid(3))
        .maxExtensions(5)
        .pool(pool)
        .run();
  }

  @Test
  void greedy_2_2_3_5_matchesPymor_onEveryPool() {
    GreedyResult seq;
    ErrorAnalysisResult analysis;
    List<double[]> test = space.sampleRandomly(10, Pcg64.defaultRng(42));
    try (WorkerPool pool = WorkerPools.sequential()) {
      seq = greedy(pool);
      analysis = ErrorAnalysis.run(fom, seq.reducedModel(), seq.reducedBasis(), test, pool);
    }
    assertThat(seq.maxErrorIndices()).containsExactly(0, 2, 6, 8, 18);
    for (int k = 0; k < 5; k++) {
      assertRelative(seq.maxErrors()[k], GREEDY_MAX_ERRORS[k], 1e-12, "max error after " + k);
    }
    assertThat(seq.reducedModel().hasGramEstimator()).isTrue();
    assertRows(analysis, GREEDY);
    GreedyResult par;
    try (WorkerPool pool = WorkerPools.threads(2)) {
      par = greedy(pool);
    }
    assertThat(par.maxErrors()).containsExactly(seq.maxErrors());
    assertThat(par.maxErrorIndices()).containsExactly(seq.maxErrorIndices());
  }
}
